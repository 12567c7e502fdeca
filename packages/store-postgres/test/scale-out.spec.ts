import pg from 'pg';
import { contractJob } from '@provisio/core/testing';
import { PostgresStore } from '../src/index.js';
import { MIGRATIONS } from '../src/migrate-schema.js';
import { freshSchemasForSuite, postgresAvailable, TEST_DATABASE_URL } from './test-database.js';

const describeWithPostgres = (await postgresAvailable()) ? describe : describe.skip;

/** What several processes on one database rely on: concurrent starts, and one rate limit for all. */
describeWithPostgres('PostgresStore shared by several processes', () => {
  const fresh = freshSchemasForSuite();

  it('migrates once when three processes start on an empty database at the same moment', async () => {
    const schema = fresh();
    const stores = await Promise.all([1, 2, 3].map(() => PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false })));
    try {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      const { rows } = await client.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
      await client.end();
      // Every version once, up to the newest (several branches add migrations: never a fixed number here).
      expect(rows.map((r: { version: number }) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      // Each can write and every other sees it: one database, not three.
      await stores[0].commit({
        putUsers: [{ id: 'u1', userName: 'ada', active: true, resource: { userName: 'ada' }, version: 1, createdAt: '', updatedAt: '' }],
      });
      expect((await stores[2].getUser('u1'))?.userName).toBe('ada');
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('counts deprovisioning jobs of every process against one guard: exactly the threshold passes, it trips once', async () => {
    const schema = fresh();
    const stores = await Promise.all([1, 2, 3].map(() => PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false })));
    try {
      const guard = { maxCount: 25, windowMs: 60 * 60 * 1000, counts: true };
      // 3 processes × 8 concurrent writes × 3 deletes = 72 deprovisioning jobs at once.
      const receipts = await Promise.all(
        stores.flatMap((store, s) =>
          Array.from({ length: 8 }, (_, w) =>
            store.commit({
              jobs: [0, 1, 2].map((k) => contractJob(`u-${s}-${w}-${k}`, { action: 'delete', reason: 'deleted', guard, runAt: undefined })),
            }),
          ),
        ),
      );
      const counts = await stores[0].jobCounts('target');
      expect([counts.pending, counts.held]).toEqual([25, 72 - 25]);
      expect(receipts.flatMap((r) => r.trippedGuards)).toEqual(['target']);
      expect(await stores[1].deprovisionGuard('target')).toMatchObject({ tripped: true });
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  }, 60000);

  it('upgrades waiting passwords: each awaits the targets of its open jobs for the default 7 days; one without jobs goes', async () => {
    const schema = fresh();
    const mine = MIGRATIONS.find((m) => m.description.startsWith('pending passwords wait'))!;
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      // A database at the version before: its tables as those migrations made them, with a waiting password.
      await client.query(`CREATE SCHEMA "${schema}"`);
      await client.query(`SET search_path TO "${schema}"`);
      await client.query(
        'CREATE TABLE schema_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      for (const migration of MIGRATIONS.filter((m) => m.version < mine.version)) {
        for (const statement of migration.statements) await client.query(statement);
        await client.query('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [
          migration.version,
          migration.description,
        ]);
      }
      const job = `INSERT INTO jobs (instance_id, entity_type, local_id, action, reason, status, max_attempts, run_at, created_at, updated_at)
                   VALUES ($1, 'user', $2, 'sync', 'created', $3, 5, 0, 'x', 'x')`;
      await client.query(job, ['sf', 'u1', 'pending']);
      await client.query(job, ['gw', 'u1', 'running']);
      await client.query(job, ['sf', 'u2', 'succeeded']);
      await client.query("INSERT INTO pending_passwords (user_id, sealed) VALUES ('u1', 'v1.a'), ('u2', 'v1.b')");
    } finally {
      await client.end();
    }
    const before = Date.now();
    const store = await PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false });
    try {
      const upgraded = await store.pendingPassword('u1');
      expect(upgraded?.awaiting.sort()).toEqual(['gw', 'sf']);
      expect(upgraded!.expiresAt).toBeGreaterThanOrEqual(before - 1000 + 7 * 86_400_000);
      expect(upgraded!.expiresAt).toBeLessThanOrEqual(Date.now() + 1000 + 7 * 86_400_000);
      expect(await store.pendingPassword('u2')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('hands out one rate limit to every process: never more than the burst plus the refill', async () => {
    const schema = fresh();
    const stores = await Promise.all([1, 2].map(() => PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false })));
    const rate = { perSecond: 20, burst: 10 };
    try {
      const started = Date.now();
      let granted = 0;
      // Both "processes" ask for 5 tokens at a time, as fast as they can, for about a second.
      await Promise.all(
        stores.map(async (store) => {
          for (let i = 0; i < 200 && Date.now() - started < 1000; i += 1) {
            const taken = await store.sharedRateLimits.take('salesforce', 5, 1, rate);
            granted += taken.granted;
          }
        }),
      );
      const seconds = (Date.now() - started) / 1000;
      expect(granted).toBeGreaterThanOrEqual(rate.burst);
      expect(granted).toBeLessThanOrEqual(rate.burst + Math.ceil(rate.perSecond * seconds));
      // An empty bucket says how long until the minimum is there.
      const empty = await stores[0].sharedRateLimits.take('salesforce', 10, 10, rate);
      expect(empty.granted).toBe(0);
      expect(empty.waitMs).toBeGreaterThan(0);
      expect(empty.waitMs).toBeLessThanOrEqual(500);
      // Tokens given back are there for the other process.
      await stores[0].sharedRateLimits.giveBack('salesforce', 10, rate);
      expect((await stores[1].sharedRateLimits.take('salesforce', 10, 1, rate)).granted).toBe(10);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
  it('keeps one identity’s jobs in order across processes: a newer job waits for the running one, looks before acting, and replaces it when that one must retry', async () => {
    const schema = fresh();
    const [a, b] = await Promise.all([1, 2].map(() => PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false })));
    const job = (reason: string, localId = 'u1') => ({
      instanceId: 'target',
      entityType: 'user' as const,
      localId,
      action: 'sync' as const,
      reason,
      maxAttempts: 5,
    });
    try {
      await a.commit({ jobs: [job('created')] });
      const [running] = await a.claimJobs({ workerId: 'a', now: Date.now(), leaseMs: 60000, slots: { target: 4 } });
      expect(running.reason).toBe('created');
      await b.commit({ jobs: [job('updated'), job('created', 'u2')] });
      // Planned while a's job runs, whose outcome nobody knows yet: the newer one looks before it acts.
      const planned = (await b.listJobs({ localId: 'u1', status: 'pending' }))[0];
      expect(planned?.outcomeUnknown).toBe(true);
      expect((await b.listJobs({ localId: 'u2', status: 'pending' }))[0]?.outcomeUnknown ?? false).toBe(false);
      // Process b gets the other identity's job, never u1's while a runs one.
      expect((await b.claimJobs({ workerId: 'b', now: Date.now(), leaseMs: 60000, slots: { target: 4 } })).map((j) => j.localId)).toEqual([
        'u2',
      ]);
      // a's attempt fails transiently: the newer pending job already carries u1's latest state, so the old one is superseded.
      await a.retryJobLater({
        jobId: running.id,
        claimToken: running.claimToken,
        now: Date.now(),
        runAt: Date.now(),
        error: '503',
        errorKind: 'transient',
      });
      expect((await a.getJob(running.id))?.status).toBe('superseded');
      const [next] = await b.claimJobs({ workerId: 'b', now: Date.now(), leaseMs: 60000, slots: { target: 4 } });
      expect(next.reason).toBe('updated');
      expect(await a.claimJobs({ workerId: 'a', now: Date.now(), leaseMs: 60000, slots: { target: 4 } })).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
  it('fences a process whose lease was taken over by another: its late outcome is refused and the new claimer’s counts', async () => {
    const schema = fresh();
    const [a, b] = await Promise.all([1, 2].map(() => PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false })));
    try {
      await a.commit({
        jobs: [{ instanceId: 'target', entityType: 'user', localId: 'u1', action: 'sync', reason: 'created', maxAttempts: 5 }],
      });
      const [stalled] = await a.claimJobs({ workerId: 'a', now: Date.now(), leaseMs: 200, slots: { target: 1 } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await b.releaseExpiredJobs(Date.now())).toBe(1);
      const [taken] = await b.claimJobs({ workerId: 'b', now: Date.now(), leaseMs: 60000, slots: { target: 1 } });
      expect([taken.id, taken.attempts, taken.takeovers, taken.outcomeUnknown]).toEqual([stalled.id, 1, 1, true]);
      const link = { instanceId: 'target', entityType: 'user' as const, localId: 'u1', status: 'synced' as const };
      await expect(
        a.completeJob({ jobId: stalled.id, claimToken: stalled.claimToken, now: Date.now(), link: { ...link, remoteId: 'from-a' } }),
      ).rejects.toThrow(/taken over/);
      await b.completeJob({ jobId: taken.id, claimToken: taken.claimToken, now: Date.now(), link: { ...link, remoteId: 'from-b' } });
      expect((await a.getLink('target', 'user', 'u1'))?.remoteId).toBe('from-b');
      expect((await a.getJob(taken.id))?.history.map((h) => h.outcome)).toEqual(['abandoned', 'succeeded']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
  it('keeps the claims of one instance when pg-boss swallows the lost race of another instance in the same claim', async () => {
    const schema = fresh();
    const store = await PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false });
    const rival = new pg.Client({ connectionString: TEST_DATABASE_URL });
    const watcher = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await Promise.all([rival.connect(), watcher.connect()]);
    const job = (instanceId: string, localId: string) => ({
      instanceId,
      entityType: 'user' as const,
      localId,
      action: 'sync' as const,
      reason: 'created',
      maxAttempts: 5,
    });
    try {
      await store.commit({ jobs: [job('first', 'u1'), job('second', 'u2')] });
      // A second waiting pg-boss job of u2's identity, and another process that has just made the first one active
      // (not yet committed): the claim's fetch for "second" then loses the identity's active slot (23505).
      const queue = `"${schema}_queue".job`;
      const { rows } = await watcher.query<{ id: string }>(`SELECT id FROM ${queue} WHERE name = 'provisio.second'`);
      await watcher.query(`CREATE TEMP TABLE twin AS SELECT * FROM ${queue} WHERE id = $1`, [rows[0].id]);
      await watcher.query(`UPDATE twin SET id = gen_random_uuid(); INSERT INTO ${queue} SELECT * FROM twin`);
      await rival.query('BEGIN');
      await rival.query(`UPDATE ${queue} SET state = 'active', started_on = now() WHERE id = $1`, [rows[0].id]);
      const claiming = store.claimJobs({ workerId: 'w', now: Date.now(), leaseMs: 60000, slots: { first: 1, second: 1 } });
      // Wait (bounded) until the claim waits for the rival's row, then let the rival win.
      for (let i = 0; i < 200; i += 1) {
        const { rows: waiting } = await watcher.query(
          `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
        );
        if (waiting.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await rival.query('COMMIT');
      const claimed = await claiming;
      // What the claim hands out is claimed in the database: it runs under this claim, and nobody else gets it.
      expect(claimed.map((j) => j.localId)).toEqual(['u1']);
      expect((await store.getJob(claimed[0].id))?.status).toBe('running');
      expect(await store.claimJobs({ workerId: 'other', now: Date.now(), leaseMs: 60000, slots: { first: 1 } })).toEqual([]);
      await store.completeJob({ jobId: claimed[0].id, claimToken: claimed[0].claimToken, now: Date.now() });
      expect((await store.getJob(claimed[0].id))?.history.map((h) => h.outcome)).toEqual(['succeeded']);
    } finally {
      await rival.query('ROLLBACK').catch(() => undefined);
      await Promise.all([rival.end(), watcher.end(), store.close()]);
    }
  });

  it('keeps the last of several jobs one write plans for the same identity, and records the others as superseded', async () => {
    const store = await PostgresStore.open({ url: TEST_DATABASE_URL, schema: fresh(), maintenance: false });
    const job = (reason: string) => ({
      instanceId: 'target',
      entityType: 'user' as const,
      localId: 'u1',
      action: 'sync' as const,
      reason,
      maxAttempts: 5,
    });
    try {
      await store.commit({ jobs: [job('created'), job('updated'), { ...job('membership'), instanceId: 'other' }] });
      expect((await store.listJobs({ localId: 'u1' })).map((j) => [j.instanceId, j.reason, j.status])).toEqual([
        ['other', 'membership', 'pending'],
        ['target', 'updated', 'pending'],
        ['target', 'created', 'superseded'],
      ]);
      const claimed = await store.claimJobs({ workerId: 'w', now: Date.now(), leaseMs: 60000, slots: { target: 4, other: 4 } });
      expect(claimed.map((j) => j.reason).sort()).toEqual(['membership', 'updated']);
    } finally {
      await store.close();
    }
  });
});
