import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_TENANT, parseFilter } from '@provisio/core/engine';
import { contractGroup, contractJob, contractUser, retentionUnderWriteLoad, storeContractCases } from '@provisio/core/testing';
import { migrate, MIGRATIONS } from './migrations.js';
import { tenantTables, translateFilter } from './sql-filter.js';
import { SqliteStore } from './sqlite-store.js';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'provisio-sqlite-')), 'nested', 'provisio.db');

describe('SqliteStore (the store contract)', () => {
  for (const contractCase of storeContractCases(async () => SqliteStore.open({ path: tempFile() })))
    it(contractCase.name, contractCase.run);
});

describe('SqliteStore', () => {
  it('keeps everything across a reopen of the file', async () => {
    const path = tempFile();
    const first = SqliteStore.open({ path });
    await first.commit({ putUsers: [contractUser('u1', 'ada')], jobs: [contractJob('u1')] });
    await first.close();
    const second = SqliteStore.open({ path });
    expect((await second.getUser('u1'))?.userName).toBe('ada');
    expect((await second.listJobs({})).map((j) => j.localId)).toEqual(['u1']);
    await second.close();
  });

  it('refuses a second process on the same file with a clear message', async () => {
    const path = tempFile();
    const owner = SqliteStore.open({ path });
    await owner.commit({ putUsers: [contractUser('u1', 'ada')] });
    expect(() => SqliteStore.open({ path })).toThrow(/in use by another process/);
    await owner.close();
  });

  it('records applied migrations and refuses a database newer than the code', async () => {
    const path = tempFile();
    (await SqliteStore.open({ path })).close();
    const db = new Database(path);
    // Every migration, in order, up to the newest (compared with the list, so a new one needs no edit here).
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version })),
    );
    // The worker's "when is the next job due" reads one index entry, however many jobs wait.
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT MIN(run_at) AS at FROM jobs WHERE status = 'pending'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('USING COVERING INDEX jobs_status_run_at');
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'x')").run();
    db.close();
    expect(() => SqliteStore.open({ path })).toThrow(/schema version 999, newer than this Provisio/);
  });

  it('upgrades a version 3 file: its jobs get no takeovers, a known outcome and no claim token', async () => {
    const path = tempFile();
    mkdirSync(dirname(path), { recursive: true });
    const old = new Database(path);
    migrate(
      old,
      MIGRATIONS.filter((m) => m.version <= 3),
    );
    old
      .prepare(
        `INSERT INTO jobs (instance_id, entity_type, local_id, action, reason, status, attempts, max_attempts, run_at, created_at, updated_at) VALUES ('t', 'user', 'u1', 'sync', 'created', 'pending', 0, 5, 0, 'x', 'x')`,
      )
      .run();
    old.close();
    const store = SqliteStore.open({ path });
    const [job] = await store.listJobs({});
    expect(job).toMatchObject({ localId: 'u1', takeovers: 0 });
    expect(job.outcomeUnknown).toBeUndefined();
    const [claimed] = await store.claimJobs({ workerId: 'w', now: 1, leaseMs: 1000, slots: { t: 1 } });
    expect(claimed.claimToken).toMatch(/^[0-9a-f-]{36}$/);
    await store.close();
  });

  it('upgrades waiting passwords: each awaits the targets of its open jobs for the default 7 days; one without jobs goes', async () => {
    const path = tempFile();
    mkdirSync(dirname(path), { recursive: true });
    const old = new Database(path);
    const mine = MIGRATIONS.find((m) => m.name.startsWith('pending passwords wait'))!;
    migrate(
      old,
      MIGRATIONS.filter((m) => m.version < mine.version),
    );
    const job = old.prepare(
      `INSERT INTO jobs (instance_id, entity_type, local_id, action, reason, status, attempts, max_attempts, run_at, created_at, updated_at) VALUES (?, 'user', ?, 'sync', 'created', ?, 0, 5, 0, 'x', 'x')`,
    );
    job.run('sf', 'u1', 'pending');
    job.run('gw', 'u1', 'running');
    job.run('sf', 'u2', 'succeeded');
    old.prepare("INSERT INTO pending_passwords (user_id, sealed) VALUES ('u1', 'v1.a'), ('u2', 'v1.b')").run();
    old.close();
    const before = Date.now();
    const store = SqliteStore.open({ path });
    const upgraded = await store.pendingPassword('u1');
    expect(upgraded?.awaiting.sort()).toEqual(['gw', 'sf']);
    expect(upgraded!.expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 7 * 86_400_000);
    expect(upgraded!.expiresAt).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);
    expect(await store.pendingPassword('u2')).toBeUndefined();
    await store.close();
  });

  it('never stores a password in plain text', async () => {
    const path = tempFile();
    const store = SqliteStore.open({ path });
    await store.commit({
      putUsers: [contractUser('u1', 'ada', { passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA' })],
      pendingPasswords: [{ userId: 'u1', sealed: 'v1.aaa.bbb.ccc', awaiting: ['t'], expiresAt: Date.now() + 60_000 }],
    });
    await store.close();
    const db = new Database(path, { readonly: true });
    const dump = JSON.stringify([db.prepare('SELECT * FROM users').all(), db.prepare('SELECT * FROM pending_passwords').all()]);
    db.close();
    expect(dump).toContain('scrypt$');
    expect(dump).toContain('v1.aaa.bbb.ccc');
  });
});

/** A version 11 file (the schema before tenants) holding a little of everything, written as that schema writes it. */
function seedVersion11(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const old = new Database(path);
  migrate(
    old,
    MIGRATIONS.filter((m) => m.version <= 11),
  );
  const at = new Date(Date.now() - 60_000).toISOString();
  const user = old.prepare(
    `INSERT INTO users (id, user_name, user_name_lower, external_id, active, resource, version, created_at, updated_at, display_name_lower)
     VALUES (?, ?, ?, NULL, 1, ?, 1, ?, ?, ?)`,
  );
  // Inserted out of id order: an unsorted list keeps insertion order across the upgrade.
  user.run('u2', 'Zoe', 'zoe', JSON.stringify({ userName: 'Zoe', active: true, emails: [{ value: 'zoe@example.com' }] }), at, at, null);
  user.run('u1', 'Ada', 'ada', JSON.stringify({ userName: 'Ada', active: true, displayName: 'Ada L' }), at, at, 'ada l');
  old
    .prepare(
      `INSERT INTO user_emails (user_id, position, value_lower, type_lower, is_primary) VALUES ('u2', 0, 'zoe@example.com', NULL, NULL)`,
    )
    .run();
  old
    .prepare(
      `INSERT INTO groups (id, display_name, display_name_lower, resource, version, created_at, updated_at) VALUES ('g1', 'Admins', 'admins', ?, 1, ?, ?)`,
    )
    .run(JSON.stringify({ displayName: 'Admins' }), at, at);
  old.prepare(`INSERT INTO group_members (group_id, member_id, position, display, type) VALUES ('g1', 'u1', 0, NULL, 'User')`).run();
  old
    .prepare(`INSERT INTO links (instance_id, entity_type, local_id, remote_id, status) VALUES ('target', 'user', 'u1', 'r1', 'synced')`)
    .run();
  const job = old.prepare(
    `INSERT INTO jobs (instance_id, entity_type, local_id, action, reason, status, attempts, max_attempts, run_at, created_at, updated_at)
     VALUES ('target', 'user', ?, 'sync', 'created', ?, 0, 5, 0, ?, ?)`,
  );
  job.run('u1', 'pending', at, at);
  job.run('u2', 'succeeded', at, at);
  job.run('u2', 'succeeded', at, at);
  old.prepare(`DELETE FROM jobs WHERE id = 3`).run(); // pruned: its id is not handed out again
  old.prepare(`INSERT INTO audit (at, actor, action, entity_type, entity_id) VALUES (?, 'scim:test', 'user.create', 'user', 'u1')`).run(at);
  old
    .prepare(`INSERT INTO pending_passwords (user_id, sealed, awaiting, expires_at) VALUES ('u1', 'v1.sealed', '["target"]', ?)`)
    .run(Date.now() + 60_000);
  old
    .prepare(`INSERT INTO target_reports (id, instance_id, kind, started_at, body) VALUES ('rep1', 'target', 'import', ?, ?)`)
    .run(at, JSON.stringify({ id: 'rep1', instanceId: 'target', kind: 'import', status: 'done', startedAt: at }));
  old.prepare(`INSERT INTO deprovision_guards (instance_id, tripped_at) VALUES ('target', ?)`).run(at);
  old.prepare(`INSERT INTO quarantines (instance_id, since, reason, next_probe_at) VALUES ('target', 1, 'auth refused', 2)`).run();
  old.prepare(`INSERT INTO schedules (key, next_at) VALUES ('reconcile:target', 5000)`).run();
  old.close();
}

describe('SqliteStore tenants', () => {
  const ACME = 'acme.example.com';

  it("upgrades a version 11 file: every row is the default tenant's and readable, and another tenant can reuse its names", async () => {
    const path = tempFile();
    seedVersion11(path);
    const store = SqliteStore.open({ path });
    try {
      expect(store.tenant).toBe(DEFAULT_TENANT);
      expect((await store.getUserByUserName('ADA'))?.id).toBe('u1');
      expect((await store.queryUsers({})).records.map((u) => u.id)).toEqual(['u2', 'u1']);
      expect((await store.queryUsers({ filter: parseFilter('emails.value eq "zoe@example.com"') })).records.map((u) => u.id)).toEqual([
        'u2',
      ]);
      expect((await store.queryUsers({ filter: parseFilter('displayName eq "ada l"') })).totalResults).toBe(1);
      expect((await store.getGroup('g1'))?.members.map((m) => m.value)).toEqual(['u1']);
      expect((await store.groupsOfMember('u1')).map((g) => g.id)).toEqual(['g1']);
      expect((await store.queryGroups({ filter: parseFilter('members.value eq "u1"') })).totalResults).toBe(1);
      expect((await store.getLink('target', 'user', 'u1'))?.remoteId).toBe('r1');
      expect((await store.listJobs({})).map((j) => j.id)).toEqual(['2', '1']);
      expect((await store.listAudit({ entityId: 'u1' })).map((a) => a.action)).toEqual(['user.create']);
      expect((await store.pendingPassword('u1'))?.sealed).toBe('v1.sealed');
      expect((await store.getTargetReport('rep1'))?.kind).toBe('import');
      expect((await store.deprovisionGuard('target')).tripped).toBe(true);
      expect((await store.quarantines.list()).map((q) => q.instanceId)).toEqual(['target']);
      expect(await store.schedules.nextAt('reconcile:target')).toBe(5000);
      expect(await store.tenantsWithData()).toEqual([DEFAULT_TENANT]);
      const [claimed] = await store.claimJobs({ workerId: 'w', now: Date.now(), leaseMs: 30_000, slots: { target: 1 } });
      expect(claimed.localId).toBe('u1');

      // The job and audit sequences go on where they were (the pruned job 3 is not reused).
      await store.commit({
        jobs: [contractJob('u2')],
        audit: [{ at: new Date().toISOString(), actor: 'a', action: 'x', entityType: 'user', entityId: 'u2' }],
      });
      expect((await store.listJobs({ localId: 'u2', status: 'pending' }))[0].id).toBe('4');
      expect((await store.listAudit({}))[0].seq).toBe(2);

      // Another tenant: nothing of the file is its, its names are free, the default tenant's ids are not.
      const acme = store.forTenant(ACME);
      expect(await acme.getUser('u1')).toBeUndefined();
      expect((await acme.queryUsers({ filter: parseFilter('emails.value eq "zoe@example.com"') })).totalResults).toBe(0);
      await acme.commit({ putUsers: [contractUser('a1', 'ada')], putGroups: [contractGroup('ag', 'Admins', ['a1'])] });
      expect((await acme.getUserByUserName('Ada'))?.id).toBe('a1');
      await expect(acme.commit({ putUsers: [contractUser('u1', 'someone')] })).rejects.toMatchObject({ kind: 'uniqueness' });
      expect((await store.getUser('u1'))?.userName).toBe('Ada');
      expect(await store.tenantsWithData()).toEqual([ACME, DEFAULT_TENANT]);
    } finally {
      await store.close();
    }
  });

  it("assigns an older file's rows to the configured default tenant", async () => {
    const path = tempFile();
    seedVersion11(path);
    const store = SqliteStore.open({ path, defaultTenant: ACME });
    try {
      expect(store.tenant).toBe(ACME);
      expect((await store.getUser('u1'))?.userName).toBe('Ada');
      expect((await store.listJobs({})).length).toBe(2);
      expect(await store.forTenant(DEFAULT_TENANT).getUser('u1')).toBeUndefined();
      expect(await store.tenantsWithData()).toEqual([ACME]);
    } finally {
      await store.close();
    }
  });

  it('refuses a tenant that is not a lowercase DNS name', async () => {
    expect(() => SqliteStore.open({ path: ':memory:', defaultTenant: 'Acme Corp' })).toThrow(
      /defaultTenant "Acme Corp" is not a tenant domain/,
    );
    const store = SqliteStore.open({ path: ':memory:' });
    try {
      for (const bad of ['ACME.example.com', "acme'; DROP TABLE users; --", '', '-acme.example.com'])
        expect(() => store.forTenant(bad)).toThrow(/is not a tenant domain/);
    } finally {
      await store.close();
    }
  });

  it('closing the opened store closes every view of it', async () => {
    const store = SqliteStore.open({ path: tempFile() });
    const acme = store.forTenant(ACME);
    expect(store.forTenant(ACME)).toBe(acme);
    await store.close();
    await expect(acme.getUser('u1')).rejects.toThrow(/not open/);
  });

  it("shares one group commit between tenants: each write is applied as its own tenant's, a conflict fails alone", async () => {
    const store = SqliteStore.open({ path: tempFile() });
    const acme = store.forTenant(ACME);
    try {
      const writes = [
        store.commit({ putUsers: [contractUser('d1', 'kim')], jobs: [contractJob('d1')] }),
        acme.commit({ putUsers: [contractUser('a1', 'kim')], jobs: [contractJob('a1')] }),
        acme.commit({ putUsers: [contractUser('a2', 'KIM')] }),
      ];
      const results = await Promise.allSettled(writes);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      expect((await store.getUserByUserName('kim'))?.id).toBe('d1');
      expect((await acme.getUserByUserName('kim'))?.id).toBe('a1');
      expect((await acme.listJobs({})).map((j) => j.localId)).toEqual(['a1']);
      expect((await store.listJobs({})).map((j) => j.localId)).toEqual(['d1']);
    } finally {
      await store.close();
    }
  });
});

describe('SqliteStore group commit', () => {
  it('answers each of many concurrent commits on its own: conflicts fail alone, the rest are stored', async () => {
    const store = SqliteStore.open({ path: tempFile() });
    const writes = Array.from({ length: 50 }, (_, i) =>
      store.commit({ putUsers: [contractUser(`u${i}`, `user${i}`)], expectedUserVersions: { [`u${i}`]: 0 }, jobs: [contractJob(`u${i}`)] }),
    );
    // Same userName as u7 (uniqueness), and a stale version for u3: both in the same turn as the others.
    writes.push(store.commit({ putUsers: [contractUser('dup', 'USER7')], jobs: [contractJob('dup')] }));
    writes.push(store.commit({ putUsers: [contractUser('u3', 'user3', { version: 2 })], expectedUserVersions: { u3: 7 } }));
    const results = await Promise.allSettled(writes);
    expect(results.slice(0, 50).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[50]).toMatchObject({ status: 'rejected', reason: { kind: 'uniqueness' } });
    expect(results[51]).toMatchObject({ status: 'rejected', reason: { kind: 'version' } });
    expect(await store.getUser('dup')).toBeUndefined();
    expect((await store.listJobs({ localId: 'dup' })).length).toBe(0);
    expect((await store.getUser('u3'))?.version).toBe(1);
    expect((await store.jobCounts()).pending).toBe(50);
    await store.close();
  });
});

// The store's statements as it prepares them (copied here: a change to one should be checked here too),
// planned on a migrated file: each is answered from an index that leads with the tenant, or by key.
describe('SQLite query plans of a tenant', () => {
  const db = new Database(':memory:');
  migrate(db);
  afterAll(() => db.close());
  const T = DEFAULT_TENANT;
  const plan = (sql: string, ...params: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');

  it('gives every index that leads with the tenant planner figures, and keeps figures a real ANALYZE wrote', () => {
    const tenantIndexes = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").all() as { name: string }[]).filter(
      ({ name }) => (db.prepare('SELECT name FROM pragma_index_info(?) WHERE seqno = 0').get(name) as { name: string }).name === 'tenant',
    );
    const figures = new Map(
      (db.prepare('SELECT idx, stat FROM sqlite_stat1').all() as { idx: string; stat: string }[]).map((r) => [r.idx, r.stat]),
    );
    expect(tenantIndexes.length).toBeGreaterThan(20);
    for (const { name } of tenantIndexes) expect(figures.get(name)).toMatch(/^1000000 100000( \d+)*$/);

    const analyzed = new Database(':memory:');
    migrate(analyzed);
    analyzed.exec("UPDATE sqlite_stat1 SET stat = '42 42 1' WHERE idx = 'users_external_id'");
    migrate(analyzed);
    expect(analyzed.prepare("SELECT stat FROM sqlite_stat1 WHERE idx = 'users_external_id'").get()).toEqual({ stat: '42 42 1' });
    analyzed.close();
  });

  // As runIdentityQuery runs an unsorted page: the tenant's rows in insertion order.
  const listPlan = (table: 'users' | 'groups', filter: string) => {
    const fragment = translateFilter(parseFilter(filter), tenantTables(T)[table])!;
    return plan(
      `SELECT * FROM ${table} WHERE tenant = ? AND (${fragment.sql}) ORDER BY rowid LIMIT ? OFFSET ?`,
      T,
      ...fragment.params,
      100,
      0,
    );
  };

  it.each([
    ['users', 'userName eq "x"', /USING INDEX users_user_name_lower \(tenant=\? AND user_name_lower=\?\)/],
    ['users', 'externalId eq "x"', /USING INDEX users_external_id \(tenant=\? AND external_id=\?\)/],
    ['users', 'emails.value eq "x@y"', /users_tenant_id \(tenant=\? AND id=\?\).*user_emails_value \(tenant=\? AND value_lower=\?\)/],
    ['users', 'groups.value eq "g1"', /users_tenant_id \(tenant=\? AND id=\?\).*group_members/],
    ['groups', 'displayName eq "x"', /USING INDEX groups_display_name_lower \(tenant=\? AND display_name_lower=\?\)/],
    ['groups', 'members.value eq "u1"', /groups_tenant_id \(tenant=\? AND id=\?\).*group_members_member_lower \(tenant=\? AND <expr>=\?\)/],
  ] as const)('lists %s with %s from the index, not by walking the tenant', (table, filter, expected) => {
    const detail = listPlan(table, filter);
    expect(detail).toMatch(expected);
    expect(detail).not.toMatch(/INDEX (users|groups)_tenant \(tenant=\?\)/);
  });

  it("pages an unfiltered list by walking the table in insertion order, and reconcile from the tenant's index, without sorting", () => {
    expect(plan('SELECT * FROM users NOT INDEXED WHERE tenant = ? AND (1) ORDER BY rowid LIMIT ? OFFSET ?', T, 100, 0)).toBe('SCAN users');
    expect(plan('SELECT id FROM users WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?', T, '', 100)).toBe(
      'SEARCH users USING COVERING INDEX users_tenant_id (tenant=? AND id>?)',
    );
  });

  it.each([
    [
      "a group's members",
      'SELECT member_id, display, type FROM group_members WHERE tenant = ? AND group_id = ? ORDER BY position',
      [T, 'g'],
      /^SEARCH group_members USING INDEX group_members_position \(group_id=\?\)$/,
    ],
    [
      "the last position of a group's members (a member added goes after it)",
      'SELECT max(position) AS position FROM group_members WHERE group_id = ?',
      ['g'],
      /^SEARCH group_members USING COVERING INDEX group_members_position \(group_id=\?\)$/,
    ],
    [
      'a member taken out of a group',
      'DELETE FROM group_members WHERE group_id = ? AND member_id = ? AND tenant = ?',
      ['g', 'u', T],
      /^SEARCH group_members USING INDEX sqlite_autoindex_group_members_1 \(group_id=\? AND member_id=\?\)$/,
    ],
    [
      "a group's member by its value ignoring case",
      `SELECT member_id, display, type, position FROM group_members INDEXED BY group_members_member_lower
       WHERE tenant = ? AND lower(member_id) = ? AND group_id = ?`,
      [T, 'u', 'g'],
      /^SEARCH group_members USING INDEX group_members_member_lower \(tenant=\? AND <expr>=\?\)$/,
    ],
    [
      "a member's groups",
      'SELECT DISTINCT group_id FROM group_members WHERE tenant = ? AND member_id = ?',
      [T, 'u'],
      /^SEARCH group_members USING INDEX group_members_member \(tenant=\? AND member_id=\?\)/,
    ],
    [
      "an identity's links",
      'SELECT * FROM links WHERE tenant = ? AND entity_type = ? AND local_id = ? ORDER BY instance_id',
      [T, 'user', 'u'],
      /links_local \(tenant=\? AND entity_type=\? AND local_id=\?\)/,
    ],
    [
      'the claim',
      `SELECT * FROM jobs j WHERE j.tenant = ? AND j.instance_id = ? AND j.status = 'pending' AND j.run_at <= ?
         AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.tenant = j.tenant AND r.instance_id = j.instance_id AND r.entity_type = j.entity_type
           AND r.local_id = j.local_id AND r.status = 'running')
       ORDER BY j.run_at, j.id LIMIT ?`,
      [T, 'target', 0, 10],
      /jobs_due \(tenant=\? AND instance_id=\? AND status=\? AND run_at<\?\).*jobs_pair \(tenant=\? AND instance_id=\? AND entity_type=\? AND local_id=\? AND status=\?\)/,
    ],
    [
      'the next due job',
      `SELECT MIN(run_at) AS at FROM jobs WHERE tenant = ? AND status = 'pending'`,
      [T],
      /COVERING INDEX jobs_status_run_at \(tenant=\? AND status=\?\)/,
    ],
    [
      'the job list',
      'SELECT * FROM jobs WHERE tenant = ? AND (? IS NULL OR status = ?) AND (? IS NULL OR instance_id = ?) AND (? IS NULL OR local_id = ?) AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?',
      [T, null, null, null, null, null, null, null, null, 100],
      /^SEARCH jobs USING INDEX jobs_tenant \(tenant=\?\)$/,
    ],
    [
      'the audit',
      'SELECT * FROM audit NOT INDEXED WHERE tenant = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
      [T, Number.MAX_SAFE_INTEGER, 100],
      /^SEARCH audit USING INTEGER PRIMARY KEY \(rowid<\?\)$/,
    ],
    [
      'the prune of old audit entries',
      'DELETE FROM audit WHERE seq IN (SELECT seq FROM audit WHERE tenant = ? AND at < ? ORDER BY at, seq LIMIT ?)',
      [T, '2026-01-01', 50],
      /COVERING INDEX audit_at \(at<\?\)/,
    ],
    [
      'the prune of old jobs',
      `SELECT j.id FROM jobs j WHERE j.tenant = ? AND j.status = ? AND j.updated_at < ? ORDER BY j.updated_at, j.id LIMIT ?`,
      [T, 'succeeded', '2026-01-01', 50],
      /jobs_status_updated_at \(tenant=\? AND status=\? AND updated_at<\?\)/,
    ],
  ] as const)('answers %s from its index', (_what, sql, params, expected) => {
    expect(plan(sql, ...params)).toMatch(expected);
  });
});

// In this file, not its own: better-sqlite3 is a native module that jest loads once per worker, and its rows
// belong to the first test file's realm, so a second file's deepStrictEqual on them would fail.

/** `count` succeeded jobs finished at `finishedAt`, straight into the jobs table in one transaction. */
function seedOldJobs(path: string, count: number, finishedAt: string): void {
  const db = new Database(path);
  try {
    const insert = db.prepare(
      `INSERT INTO jobs (instance_id, entity_type, local_id, action, reason, status, attempts, max_attempts, run_at, created_at, updated_at, history)
       VALUES ('target', 'user', ?, 'sync', 'created', 'succeeded', 1, 5, ?, ?, ?, ?)`,
    );
    const runAt = Date.parse(finishedAt);
    const history = JSON.stringify([{ attempt: 1, startedAt: finishedAt, finishedAt, outcome: 'succeeded' }]);
    db.transaction(() => {
      for (let i = 0; i < count; i += 1) insert.run(`old-${i % 5000}`, runAt, finishedAt, finishedAt, history);
    })();
  } finally {
    db.close();
  }
}

describe('SqliteStore retention', () => {
  it('prunes 100,000 old succeeded jobs while identity writes go on, and removes nothing else', async () => {
    const path = tempFile();
    await SqliteStore.open({ path }).close(); // migrated: the seed writes the store's own tables
    const result = await retentionUnderWriteLoad(
      async (count, finishedAt) => seedOldJobs(path, count, finishedAt),
      async () => SqliteStore.open({ path }),
    );
    expect(result.pruned).toBe(100_000);
    // Writes were not stopped: some committed while the batches ran.
    expect(result.writesDuringPrune).toBeGreaterThan(0);
  }, 90_000);
});
