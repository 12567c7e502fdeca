import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { contractJob, contractUser, retentionUnderWriteLoad, storeContractCases } from '@provisio/core/testing';
import { migrate, MIGRATIONS } from './migrations.js';
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
