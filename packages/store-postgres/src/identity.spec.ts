import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  DEFAULT_TENANT,
  isStoreConflictError,
  parseFilter,
  type AttrPath,
  type GroupRecord,
  type IdentityQuery,
  type IdentityWrite,
  type UserRecord,
} from '@provisio/core/engine';
import { contractGroup, contractUser, InMemoryStore } from '@provisio/core/testing';
import { migrateSchema } from './migrate-schema.js';
import { PostgresIdentityReads } from './identity-reads.js';
import { PostgresStore } from './postgres-store.js';
import { tenantRoleOf } from './tenant-scope.js';
import { applyIdentityWrite, putLink } from './identity-writes.js';
import { translateFilter, USER_TABLE } from './pg-filter.js';
import { inTransaction } from './queryable.js';
import { render } from './sql-text.js';
import { postgresAvailable, TEST_DATABASE_URL } from '../test/test-database.js';

const DATABASE_URL = TEST_DATABASE_URL;
/** The tenant every write and read here is for (the functions under test take it; the pool's superuser ignores row-level security). */
const TENANT = DEFAULT_TENANT;

const describeWithPostgres = (await postgresAvailable()) ? describe : describe.skip;

const day = (n: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + n * 86_400_000).toISOString();

const AT_DAY_0 = { createdAt: day(0), updatedAt: day(0) };

const user = (id: string, userName: string, overrides: Partial<UserRecord> = {}, resource: Record<string, unknown> = {}): UserRecord =>
  contractUser(id, userName, { resource: { userName, active: true, ...resource }, ...AT_DAY_0, ...overrides });

const group = (id: string, displayName: string, members: string[] = [], overrides: Partial<GroupRecord> = {}): GroupRecord =>
  contractGroup(id, displayName, members, { ...AT_DAY_0, ...overrides });

async function conflictOf(promise: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isStoreConflictError(error)) return { kind: error.kind, message: error.message };
    throw error;
  }
  throw new Error('expected a StoreConflictError, the write succeeded');
}

describeWithPostgres('PostgreSQL identity store functions', () => {
  const schema = `provisio_test_${randomBytes(5).toString('hex')}`;
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 6, options: `-c search_path=${schema}` });
  const reads = new PostgresIdentityReads(pool, TENANT);

  /** Runs `body` in BEGIN/COMMIT on a client of the pool, rolling back when it throws (as the store does). */
  async function transaction<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      return await inTransaction(client, body);
    } finally {
      client.release();
    }
  }

  /**
   * Two processes writing at once: `first` stays uncommitted while `second` starts and waits on its
   * row locks, then commits. What `second` threw (undefined when it succeeded); it is rolled back.
   */
  async function race(first: IdentityWrite, second: IdentityWrite): Promise<unknown> {
    const [a, b] = [await pool.connect(), await pool.connect()];
    try {
      await a.query('BEGIN');
      await applyIdentityWrite(a, TENANT, first);
      await b.query('BEGIN');
      const outcome = applyIdentityWrite(b, TENANT, second).then(
        () => undefined,
        (error: unknown) => error,
      );
      await a.query('COMMIT');
      const error = await outcome;
      await b.query('ROLLBACK');
      return error;
    } finally {
      a.release();
      b.release();
    }
  }

  const commit = (write: IdentityWrite) => transaction((client) => applyIdentityWrite(client, TENANT, write));

  beforeAll(async () => {
    const client = await pool.connect();
    try {
      await migrateSchema(client, schema, { defaultTenant: TENANT, tenantRole: tenantRoleOf(schema) });
    } finally {
      client.release();
    }
  });

  afterAll(async () => {
    await PostgresStore.dropSchemas(DATABASE_URL, schema);
    await pool.end();
  });

  beforeEach(async () => {
    await pool.query('TRUNCATE users, user_emails, groups, group_members, links, pending_passwords, audit RESTART IDENTITY');
  });

  describe('writes', () => {
    it('round-trips a user with every field, and finds it by userName in any case', async () => {
      const ada = user(
        'u1',
        'Ada@Example.com',
        { externalId: 'e-1', passwordHash: 'scrypt$x', version: 3, active: false, createdAt: day(1), updatedAt: day(2) },
        { name: { givenName: 'Ada' }, emails: [{ value: 'A@x.org', primary: true }] },
      );
      await commit({ putUsers: [ada] });
      expect(await reads.getUser('u1')).toEqual(ada);
      expect((await reads.getUserByUserName('ada@EXAMPLE.com'))?.id).toBe('u1');
      expect(await reads.getUser('U1')).toBeUndefined();
    });

    it('refuses a taken userName (any case) and displayName with the SQLite store’s messages, writing nothing of that commit', async () => {
      await commit({ putUsers: [user('u1', 'ada')], putGroups: [group('g1', 'Sales')] });
      expect(
        await conflictOf(
          commit({
            putUsers: [user('u2', 'ADA')],
            audit: [{ at: day(0), actor: 'a', action: 'user.create', entityType: 'user', entityId: 'u2' }],
          }),
        ),
      ).toEqual({
        kind: 'uniqueness',
        message: 'userName "ADA" is already taken',
      });
      expect(await conflictOf(commit({ putGroups: [group('g2', 'Sales')] }))).toEqual({
        kind: 'uniqueness',
        message: 'displayName "Sales" is already taken',
      });
      expect(await reads.getUser('u2')).toBeUndefined();
      expect(await reads.listAudit({})).toEqual([]);
      // Group names are unique as written (as in the other stores): another case is another name.
      await commit({ putGroups: [group('g2', 'SALES')] });
    });

    it('checks expected versions: a stale version and "must not exist" both fail as version conflicts', async () => {
      await commit({
        putUsers: [user('u1', 'ada')],
        putGroups: [group('g1', 'Sales')],
        expectedUserVersions: { u1: 0 },
        expectedGroupVersions: { g1: 0 },
      });
      expect(await conflictOf(commit({ putUsers: [user('u1', 'ada', { version: 2 })], expectedUserVersions: { u1: 5 } }))).toEqual({
        kind: 'version',
        message: 'user u1 is at version 1, not 5',
      });
      expect((await conflictOf(commit({ putUsers: [user('u1', 'ada')], expectedUserVersions: { u1: 0 } }))).kind).toBe('version');
      expect(
        (await conflictOf(commit({ putGroups: [group('g1', 'Sales', [], { version: 2 })], expectedGroupVersions: { g1: 7 } }))).kind,
      ).toBe('version');
      expect((await conflictOf(commit({ deleteUsers: ['u9'], expectedUserVersions: { u9: 1 } }))).message).toBe(
        'user u9 is at version 0, not 1',
      );
      await commit({ putUsers: [user('u1', 'ada', { version: 2 })], expectedUserVersions: { u1: 1 } });
      expect((await reads.getUser('u1'))?.version).toBe(2);
    });

    it('makes the second of two processes creating the same id fail with a version conflict', async () => {
      // The second waits on the first's uncommitted row, then finds the id taken.
      const error = await race(
        { putUsers: [user('u1', 'ada')], expectedUserVersions: { u1: 0 } },
        { putUsers: [user('u1', 'bob')], expectedUserVersions: { u1: 0 } },
      );
      expect(isStoreConflictError(error) && [error.kind, error.entityId]).toEqual(['version', 'u1']);
      expect((await reads.getUser('u1'))?.userName).toBe('ada');
    });

    it('serializes two updates of the same version: the one that waited on the row lock sees the new version', async () => {
      await commit({ putUsers: [user('u1', 'ada')] });
      const error = await race(
        { putUsers: [user('u1', 'ada', { version: 2, active: false })], expectedUserVersions: { u1: 1 } },
        { putUsers: [user('u1', 'ada', { version: 2, externalId: 'lost' })], expectedUserVersions: { u1: 1 } },
      );
      expect(isStoreConflictError(error) && [error.kind, error.message]).toEqual(['version', 'user u1 is at version 2, not 1']);
      expect(await reads.getUser('u1')).toMatchObject({ version: 2, active: false, externalId: undefined });
    });

    it('makes the second of two processes taking the same userName fail with a uniqueness conflict', async () => {
      const error = await race({ putUsers: [user('u1', 'ada')] }, { putUsers: [user('u2', 'Ada')] });
      expect(isStoreConflictError(error) && [error.kind, error.message]).toEqual(['uniqueness', 'userName "Ada" is already taken']);
    });

    it('loses no update when several writers change the same two users at once (optimistic retries, no deadlock)', async () => {
      await commit({ putUsers: [user('u1', 'ada', {}, { emails: [{ value: 'a@x.org' }] }), user('u2', 'bob')] });
      const conflicts = { count: 0 };
      const writer = async (w: number) => {
        for (let i = 0; i < 10; i += 1) {
          for (let attempt = 1; ; attempt += 1) {
            const [a, b] = [(await reads.getUser('u1'))!, (await reads.getUser('u2'))!];
            const next = (u: UserRecord) => ({ ...u, version: u.version + 1, resource: { ...u.resource, title: `w${w}-${i}` } });
            // Opposite orders in the write: the row locks are still taken in id order.
            const putUsers = w % 2 ? [next(a), next(b)] : [next(b), next(a)];
            try {
              await commit({ putUsers, expectedUserVersions: { u1: a.version, u2: b.version } });
              break;
            } catch (error) {
              if (!isStoreConflictError(error) || error.kind !== 'version' || attempt >= 100) throw error;
              conflicts.count += 1;
            }
          }
        }
      };
      await Promise.all([0, 1, 2, 3].map(writer));
      expect([(await reads.getUser('u1'))?.version, (await reads.getUser('u2'))?.version]).toEqual([41, 41]);
      expect(conflicts.count).toBeGreaterThan(0);
    });

    it('deletes a user with its email index rows and pending password, and a group with its members', async () => {
      await commit({
        putUsers: [user('u1', 'ada', {}, { emails: [{ value: 'ada@x.org' }] })],
        putGroups: [group('g1', 'Sales', ['u1'])],
        pendingPasswords: [{ userId: 'u1', sealed: 'v1.sealed', awaiting: ['sf'], expiresAt: 1_000 }],
      });
      expect(await reads.pendingPassword('u1')).toEqual({ sealed: 'v1.sealed', awaiting: ['sf'], expiresAt: 1_000 });
      await commit({
        pendingPasswords: [
          { userId: 'u1', sealed: 'v1.new', awaiting: ['sf'], expiresAt: 2_000 },
          { userId: 'u1', sealed: 'v1.newer', awaiting: ['sf', 'gw'], expiresAt: 3_000 },
        ],
      });
      expect(await reads.pendingPassword('u1')).toEqual({ sealed: 'v1.newer', awaiting: ['sf', 'gw'], expiresAt: 3_000 });
      await commit({ deleteUsers: ['u1'], deleteGroups: ['g1'] });
      expect(await reads.pendingPassword('u1')).toBeUndefined();
      const left = await pool.query('SELECT (SELECT count(*) FROM user_emails) AS emails, (SELECT count(*) FROM group_members) AS members');
      expect(left.rows[0]).toEqual({ emails: '0', members: '0' });
    });

    it('keeps insertion order across updates and replaces index rows on change', async () => {
      await commit({ putUsers: [user('u1', 'ada', {}, { emails: [{ value: 'a@old.org' }] }), user('u2', 'bob')] });
      await commit({ putUsers: [user('u1', 'ada', { version: 2 }, { emails: [{ value: 'a@new.org' }, 'plain@scim11.org'] })] });
      expect((await reads.queryUsers({})).records.map((u) => u.id)).toEqual(['u1', 'u2']);
      expect((await reads.queryUsers({ filter: parseFilter('emails.value eq "a@old.org"') })).totalResults).toBe(0);
      expect((await reads.queryUsers({ filter: parseFilter('emails eq "PLAIN@scim11.org"') })).records.map((u) => u.id)).toEqual(['u1']);
      await commit({ putUsers: [user('u1', 'ada', { version: 3 }, { emails: [] })] });
      expect((await reads.queryUsers({ filter: parseFilter('emails pr') })).totalResults).toBe(0);
      expect((await pool.query('SELECT count(*) AS n FROM user_emails')).rows[0].n).toBe('0');
    });

    it('keeps group members in order, duplicates included, and finds groups of a member', async () => {
      await commit({
        putGroups: [group('g2', 'Ops', ['u2', 'u1', 'u2']), group('g1', 'Sales', ['u1'], { members: [{ value: 'u1', display: 'Ada' }] })],
      });
      expect((await reads.getGroup('g2'))?.members.map((m) => m.value)).toEqual(['u2', 'u1', 'u2']);
      expect((await reads.getGroup('g1'))?.members).toEqual([{ value: 'u1', display: 'Ada' }]);
      expect((await reads.groupsOfMember('u2')).map((g) => g.id)).toEqual(['g2']);
      expect((await reads.groupsOfMember('u1')).map((g) => g.id)).toEqual(['g1', 'g2']);
      // Shrinking and reordering rewrites positions; a group emptied keeps no rows.
      await commit({ putGroups: [group('g2', 'Ops', ['u3', 'u2'], { version: 2 }), group('g1', 'Sales', [], { version: 2 })] });
      expect((await reads.getGroup('g2'))?.members.map((m) => m.value)).toEqual(['u3', 'u2']);
      expect((await reads.getGroup('g1'))?.members).toEqual([]);
      expect((await reads.groupsOfMember('u1')).map((g) => g.id)).toEqual([]);
      expect((await reads.queryGroups({ filter: parseFilter('members.value eq "U3"') })).records.map((g) => g.id)).toEqual(['g2']);
    });

    it('writes audit entries in order and pages them newest first', async () => {
      const entry = (entityId: string, n: number) => ({
        at: day(n),
        actor: 'scim:entra',
        action: 'user.update',
        entityType: 'user' as const,
        entityId,
        details: { n, nested: { b: 1, a: [true] } },
      });
      await commit({ audit: [entry('u1', 1), entry('u2', 2), entry('u1', 3)] });
      await commit({ audit: [entry('u1', 4)] });
      const all = await reads.listAudit({});
      expect(all.map((a) => [a.seq, a.details?.n])).toEqual([
        [4, 4],
        [3, 3],
        [2, 2],
        [1, 1],
      ]);
      expect(all[0]).toEqual({ seq: 4, ...entry('u1', 4) });
      expect((await reads.listAudit({ entityId: 'u1', beforeSeq: 4, limit: 1 })).map((a) => a.seq)).toEqual([3]);
      expect(await reads.listAudit({ limit: -5 })).toEqual([]);
      expect((await reads.listAudit({ limit: Infinity, beforeSeq: 1e30 })).length).toBe(4);
      expect((await reads.listAudit({ beforeSeq: 2.5 })).map((a) => a.seq)).toEqual([2, 1]);
      expect(await reads.listAudit({ beforeSeq: -Infinity })).toEqual([]);
    });

    it('upserts links and keeps the key order of synced attributes (compared as JSON text by the job executor)', async () => {
      const link = {
        instanceId: 'sf',
        entityType: 'user' as const,
        localId: 'u1',
        remoteId: 'r1',
        status: 'synced' as const,
        syncedAttributes: { zeta: 1, alpha: { y: 2, b: 1 } },
        syncedMembers: ['m2', 'm1'],
        remoteActive: false,
      };
      await putLink(pool, TENANT, link);
      await putLink(pool, TENANT, { instanceId: 'google', entityType: 'user', localId: 'u1', status: 'failed', lastError: 'quota' });
      await putLink(pool, TENANT, { ...link, remoteName: 'ada', lastSyncedAt: day(1) });
      const stored = await reads.getLink('sf', 'user', 'u1');
      expect(stored).toEqual({ ...link, remoteName: 'ada', lastSyncedAt: day(1), lastError: undefined });
      expect(JSON.stringify(stored?.syncedAttributes)).toBe(JSON.stringify(link.syncedAttributes));
      expect((await reads.linksOf('user', 'u1')).map((l) => l.instanceId)).toEqual(['google', 'sf']);
      expect((await reads.linksFor('sf', 'user', ['u1', 'u2'])).map((l) => l.remoteId)).toEqual(['r1']);
      expect(await reads.linksFor('sf', 'user', [])).toEqual([]);
      expect(await reads.getLink('sf', 'group', 'u1')).toBeUndefined();
    });

    it('refuses a NUL character as a bad value (PostgreSQL cannot store it) and finds nothing when asked for one', async () => {
      await expect(commit({ putUsers: [user('u1', 'ada', {}, { title: 'a\u0000b' })] })).rejects.toMatchObject({
        name: 'IdentityError',
        kind: 'invalidValue',
      });
      await expect(commit({ putUsers: [user('u1', 'a\u0000da')] })).rejects.toMatchObject({ name: 'IdentityError', kind: 'invalidValue' });
      await commit({ putUsers: [user('u1', 'ada')] });
      expect(await reads.getUserByUserName('ada\u0000')).toBeUndefined();
      expect(await reads.getUser('u1\u0000')).toBeUndefined();
      expect((await reads.queryUsers({ filter: parseFilter('userName eq "ada\\u0000" or userName pr') })).totalResults).toBe(1);
    });

    it('lists ids in id order with keyset paging and a sane limit', async () => {
      await commit({ putUsers: ['u3', 'U2', 'u1', 'ü'].map((id, i) => user(id, `n${i}`)) });
      // Code-unit order (as JavaScript sorts), whatever the database's locale.
      expect(await reads.listUserIds(undefined, 10)).toEqual(['U2', 'u1', 'u3', 'ü']);
      expect(await reads.listUserIds('u1', 1)).toEqual(['u3']);
      expect(await reads.listUserIds(undefined, -1)).toEqual([]);
      expect(await reads.listUserIds(undefined, 1e20)).toHaveLength(4);
    });
  });

  describe('queries', () => {
    it('answers indexed filters from an index, exactly, and narrows mixed ones by their indexed side', async () => {
      const client = await pool.connect();
      try {
        // The planner prefers a scan of a tiny table; forbid that to see which index serves each condition.
        await client.query('SET enable_seqscan = off');
        const plans: [string, RegExp][] = [
          ['userName eq "x"', /users_user_name_unique/],
          ['userName sw "x"', /users_user_name_unique/],
          ['externalId eq "x"', /users_external_id/],
          ['id eq "x"', /users_pkey/],
          ['emails.value eq "x@y"', /user_emails_value/],
          ['emails.value sw "x@"', /user_emails_value/],
          ['displayName eq "x"', /users_display_name_lower/],
          ['meta.lastModified gt "2026-01-01T00:00:00Z"', /users_updated_ms/],
          ['active eq false', /users_active/],
          ['groups.value eq "g1"', /groups_id_lower/],
        ];
        for (const [filter, index] of plans) {
          const condition = translateFilter(parseFilter(filter), USER_TABLE);
          expect(condition?.exact).toBe(true);
          const { text, values } = render(condition!.sql);
          const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT * FROM users t WHERE ${text}`, values)).rows
            .map((r) => r['QUERY PLAN'])
            .join('\n');
          expect({ filter, plan }).toEqual({ filter, plan: expect.stringMatching(index) });
        }
      } finally {
        await client.query('RESET enable_seqscan');
        client.release();
      }
      expect(translateFilter(parseFilter('userName eq "x" and name.familyName eq "y"'), USER_TABLE)?.exact).toBe(false);
      expect(translateFilter(parseFilter('name.familyName eq "y"'), USER_TABLE)).toBeUndefined();
    });

    it('gives the same answers as core’s in-memory store on a varied population, for exact, narrowed and in-memory plans', async () => {
      const memory = new InMemoryStore();
      const { users, groups } = population(60);
      for (const write of [{ putUsers: users }, { putGroups: groups }]) {
        await commit(write);
        await memory.commit(write);
      }
      const shapes = [
        undefined,
        'userName sw "user-1"',
        'userName gt "USER-3"',
        'displayName co "an"',
        'displayName eq null',
        'not (displayName pr)',
        'externalId eq "EXT-4"',
        'externalId pr',
        'active eq "True"',
        'active ne false',
        'emails.value ew ".org"',
        'emails.type eq "work"',
        'emails.primary eq true',
        'emails pr',
        'emails eq null',
        'emails.value ne "a3@x.org"',
        'emails.value eq null',
        'emails.primary pr',
        'emails[primary pr]',
        'displayName ne null',
        'emails[type eq "home" and not (primary eq true)]',
        'emails[value sw "b"] or title eq "Boss"',
        `meta.lastModified ge "${day(20)}" and meta.lastModified lt "${day(30)}"`,
        `meta.created gt "2026-01-01T00:00:00+01:00"`,
        'title eq "Boss" and active eq true',
        'name.familyName sw "s"',
        'groups.value eq "G2"',
        'groups.display sw "team"',
        'groups pr and not (emails pr)',
        'userName co "%" or userName co "_"',
        'displayName eq "50%_off\\\\"',
      ];
      // Odd corners of the semantics: types that do not match, empty operands, names in other cases, schema URNs.
      const corners = [
        'userName eq 5',
        'active eq 1',
        'active co "t"',
        'displayName gt "2026-01-01T00:00:00Z"',
        'meta.lastModified sw "2026"',
        'meta.created eq "foo"',
        'id sw "u1"',
        'id eq "U1"',
        'externalId co "xt"',
        'emails.primary eq "true"',
        'emails.primary ne true',
        'emails[primary ne true]',
        'emails.type ne "work"',
        'emails.display pr',
        'not (emails[type eq "work"])',
        'groups.type eq "direct"',
        'groups.value ne "G2"',
        'groups eq null',
        'userName eq null',
        'userName ne null',
        'externalId eq null',
        'active eq null',
        'meta.created eq null',
        'emails.value gt "b"',
        'emails.value le "a9"',
        'displayName ew "n"',
        'displayName co ""',
        'userName sw ""',
        'emails.value co ""',
        'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "u"',
        'URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:USERNAME sw "u"',
        'Emails.Value sw "A"',
        'emails[Type eq "WORK"]',
        'active ne "false"',
        'active eq "yes"',
        'meta.lastModified gt "2026-01-20T00:00:00"',
        'meta.lastModified eq "2026-01-05T00:00:00.000+00:00"',
        'groups[display sw "TEAM" and value ew "a"]',
        'emails.primary eq false',
        'not (emails.primary eq true)',
        'displayName lt "dan"',
        'displayName ge "Íris"',
        'userName gt "user-5" and userName lt "user-6"',
        'emails[value pr and not (type pr)]',
      ];
      const sorts: (AttrPath | undefined)[] = [
        undefined,
        { attribute: 'userName' },
        { attribute: 'displayName' },
        { attribute: 'emails' },
        { attribute: 'meta', subAttribute: 'lastModified' },
        { attribute: 'title' },
        { attribute: 'active' },
        { attribute: 'id' },
        { attribute: 'externalId' },
        { attribute: 'emails', subAttribute: 'type' },
      ];
      let checked = 0;
      const totals: number[] = [];
      for (const filter of shapes)
        totals.push((await memory.queryUsers({ filter: filter === undefined ? undefined : parseFilter(filter) })).totalResults);
      for (const filter of [...shapes, ...corners]) {
        for (const sortBy of sorts) {
          for (const [startIndex, count] of [
            [undefined, undefined],
            [3, 4],
            [1, 0],
            [200, 5],
          ] as const) {
            for (const sortOrder of ['ascending', 'descending'] as const) {
              const query: IdentityQuery = {
                filter: filter === undefined ? undefined : parseFilter(filter),
                sortBy,
                sortOrder,
                startIndex,
                count,
              };
              const [got, want] = await Promise.all([reads.queryUsers(query), memory.queryUsers(query)]);
              expect({ filter, sortBy, sortOrder, startIndex, count, total: got.totalResults, ids: got.records.map((u) => u.id) }).toEqual({
                filter,
                sortBy,
                sortOrder,
                startIndex,
                count,
                total: want.totalResults,
                ids: want.records.map((u) => u.id),
              });
              checked += 1;
            }
          }
        }
      }
      expect(checked).toBe((shapes.length + corners.length) * sorts.length * 8);
      // The population is varied enough that (nearly) every filter keeps some users and drops others.
      expect(totals.filter((total) => total > 0 && total < 60).length).toBeGreaterThanOrEqual(shapes.length - 3);
      const groupSorts: (AttrPath | undefined)[] = [
        undefined,
        { attribute: 'displayName' },
        { attribute: 'id' },
        { attribute: 'meta', subAttribute: 'lastModified' },
        { attribute: 'members', subAttribute: 'value' },
      ];
      for (const filter of [
        undefined,
        'members.value eq "U1"',
        'members[display co "x"]',
        'displayName sw "team"',
        'members pr',
        'members eq null',
        'externalId eq "g"',
        'members.type eq "user" and id ew "2"',
      ]) {
        for (const sortBy of groupSorts) {
          for (const sortOrder of ['ascending', 'descending'] as const) {
            const query: IdentityQuery = {
              filter: filter === undefined ? undefined : parseFilter(filter),
              sortBy,
              sortOrder,
              startIndex: 2,
            };
            const [got, want] = await Promise.all([reads.queryGroups(query), memory.queryGroups(query)]);
            expect({ filter, sortBy, sortOrder, total: got.totalResults, ids: got.records.map((g) => g.id) }).toEqual({
              filter,
              sortBy,
              sortOrder,
              total: want.totalResults,
              ids: want.records.map((g) => g.id),
            });
          }
        }
      }
    });

    it('reads more rows than one batch when the filter has to be finished in memory', async () => {
      const users = Array.from({ length: 2100 }, (_, i) =>
        user(`u${String(i).padStart(4, '0')}`, `user${i}`, {}, { title: i % 7 === 0 ? 'Boss' : 'Staff' }),
      );
      await commit({ putUsers: users });
      const page = await reads.queryUsers({ filter: parseFilter('title eq "Boss"'), startIndex: 290, count: 10 });
      expect(page.totalResults).toBe(300);
      expect(page.records.map((u) => u.id)).toEqual(
        users
          .filter((_, i) => i % 7 === 0)
          .slice(289, 299)
          .map((u) => u.id),
      );
      expect(await reads.queryUsers({ startIndex: 1e20, count: 1e20 })).toEqual({ totalResults: 2100, records: [] });
      expect((await reads.queryUsers({ filter: parseFilter('userName sw "user1"'), startIndex: 2, count: 1e20 })).records).toHaveLength(
        1110,
      );
      const sorted = await reads.queryUsers({ sortBy: { attribute: 'title' }, sortOrder: 'descending', count: 2 });
      expect([sorted.totalResults, sorted.records.map((u) => u.id)]).toEqual([2100, ['u0001', 'u0002']]);
    });
  });
});

/** A deterministic population with the shapes SCIM clients send: missing attributes, odd cases, SCIM 1.1 emails. */
function population(size: number): { users: UserRecord[]; groups: GroupRecord[] } {
  // mulberry32: small, and unlike a plain LCG its low bits do not cycle.
  let seed = 42;
  const next = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const users: UserRecord[] = [];
  for (let i = 0; i < size; i += 1) {
    const resource: Record<string, unknown> = {};
    if (next(4) > 0) resource[next(5) === 0 ? 'DisplayName' : 'displayName'] = ['Ann', 'dan', 'Stan', 'Íris', 'ZOE', '50%_off\\'][next(6)];
    if (next(3) === 0) resource.title = next(2) ? 'Boss' : 'boss';
    if (next(3) === 0) resource.name = { familyName: ['Smith', 'stone', 'Ng'][next(3)] };
    const emailCount = next(4);
    if (emailCount > 0) {
      const emails: unknown[] = [];
      for (let e = 0; e < emailCount; e += 1) {
        const value = `${'abc'[next(3)]}${i}@x.${next(2) ? 'org' : 'COM'}`;
        if (next(6) === 0) emails.push(value);
        else if (next(8) === 0) emails.push({ type: 'work', primary: false });
        else
          emails.push({
            [next(4) === 0 ? 'Value' : 'value']: value,
            ...(next(2) ? { type: next(2) ? 'work' : 'Home' } : {}),
            ...(next(3) === 0 ? { primary: next(2) ? true : 'true' } : {}),
          });
      }
      resource[next(5) === 0 ? 'Emails' : 'emails'] = emails;
    }
    const externalId = next(3) === 0 ? undefined : `${next(2) ? 'ext' : 'EXT'}-${next(6)}`;
    const active = next(4) !== 0;
    const userName = `${next(2) ? 'user' : 'USER'}-${i}${next(8) === 0 ? '%' : next(8) === 0 ? '_x' : ''}`;
    users.push({
      id: `u${i}`,
      userName,
      externalId,
      active,
      resource: { userName, active, ...(externalId ? { externalId } : {}), ...resource },
      version: 1,
      createdAt: day(next(3)),
      updatedAt: day(next(40)),
    });
  }
  const groups: GroupRecord[] = ['G1', 'g2', 'Team-A', 'team-b'].map((id, n) => ({
    id,
    displayName: id.startsWith('T') || id.startsWith('t') ? id.toUpperCase() : `Group ${n}`,
    resource: { displayName: id },
    members: users
      .filter((_, i) => (i + n) % (n + 2) === 0)
      .map((u) => ({ value: n === 0 ? u.id.toUpperCase() : u.id, ...(n % 2 ? { display: `x${u.userName}` } : {}), type: 'User' as const })),
    version: 1,
    createdAt: day(0),
    updatedAt: day(n),
  }));
  return { users, groups };
}
