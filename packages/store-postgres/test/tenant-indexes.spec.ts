import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { PgBoss } from 'pg-boss';
import { DEFAULT_TENANT, parseFilter, type Store } from '@provisio/core/engine';
import { contractGroup, contractJob, contractUser } from '@provisio/core/testing';
import { PostgresStore } from '../src/index.js';
import { guardState } from '../src/guard-rows.js';
import { PostgresIdentityReads } from '../src/identity-reads.js';
import { JobQueue } from '../src/job-queue.js';
import type { Queryable } from '../src/queryable.js';
import { PostgresRetention } from '../src/retention.js';
import { createPool } from '../src/store-connection.js';
import { tenantRoleOf } from '../src/tenant-scope.js';
import { scopedTransaction } from '../src/tenant-session.js';
import { freshSchema, postgresAvailable, TEST_DATABASE_URL } from './test-database.js';

const describeWithPostgres = (await postgresAvailable()) ? describe : describe.skip;

const ACME = 'acme.example.com';
const GLOBEX = 'globex.example.com';

/**
 * `hundreds` hundred users (each in a group of two), their jobs (pending, running, succeeded) and audit
 * in `view`'s tenant.
 */
async function populate(view: Store, hundreds: number): Promise<void> {
  const prefix = view.tenant.split('.')[0];
  for (let batch = 0; batch < hundreds; batch += 1) {
    const users = Array.from({ length: 100 }, (_, i) => {
      const n = batch * 100 + i;
      return contractUser(`${prefix}-u${n}`, `user${n}@example.com`, {
        externalId: `e${n}`,
        resource: { userName: `user${n}@example.com`, displayName: `User ${n}`, emails: [{ value: `user${n}@example.com` }] },
      });
    });
    const pairs = Array.from({ length: 50 }, (_, i) => batch * 50 + i);
    await view.commit({
      putUsers: users,
      putGroups: pairs.map((n) => contractGroup(`${prefix}-g${n}`, `Group ${n}`, [users[(n % 50) * 2].id, users[(n % 50) * 2 + 1].id])),
      jobs: users.map((u) => contractJob(u.id)),
      audit: users.map((u) => ({
        at: new Date().toISOString(),
        actor: 'test',
        action: 'user.create',
        entityType: 'user' as const,
        entityId: u.id,
      })),
    });
  }
  const claimed = await view.claimJobs({ workerId: 'w', now: Date.now(), leaseMs: 60_000, slots: { target: 50 } });
  for (const job of claimed.slice(0, 25)) await view.completeJob({ jobId: job.id, claimToken: job.claimToken, now: Date.now() });
}

/**
 * The plans of the statements `run` makes, as the tenant role runs them for ACME with sequential scans
 * off (so a plan shows a scan only when no index serves it). The statements are explained, not run.
 */
async function plansOf(pool: pg.Pool, run: (db: Queryable) => Promise<unknown>): Promise<string[]> {
  const plans: string[] = [];
  await scopedTransaction(pool, { tenant: ACME }, async (client) => {
    await client.query(`SELECT set_config('enable_seqscan', 'off', true)`);
    const explaining: Queryable = {
      async query<R extends object>(text: string, values?: unknown[]) {
        // Savepoints (each instance's claim has one) read no table: nothing to explain.
        if (/^(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT) /.test(text)) return { rows: [] as R[], rowCount: 0 };
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values);
        plans.push(rows.map((row) => row['QUERY PLAN']).join('\n'));
        return { rows: [] as R[], rowCount: 0 };
      },
    };
    await run(explaining);
  });
  return plans;
}

/** Just enough of pg-boss for a claim to reach its UPDATE: one fetched job, whose record the UPDATE does not find. */
const fetchingBoss = { fetch: async () => [{ id: randomUUID() }], deleteJob: async () => undefined } as unknown as PgBoss;

/**
 * A small tenant beside a big one, where an index that does not lead with the tenant would read the big
 * one's entries too: each of the small tenant's queries is answered from an index that leads with the
 * tenant (or from a key unique across tenants).
 */
describeWithPostgres('indexes under row-level security: what a tenant reads comes from an index that leads with the tenant', () => {
  const schema = freshSchema('provisio_tenant_plans');
  let store: PostgresStore;
  let pool: pg.Pool;

  beforeAll(async () => {
    store = await PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false });
    await populate(store.forTenant(ACME), 1);
    await populate(store.forTenant(GLOBEX), 15);
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
    await admin.connect();
    await admin.query('ANALYZE');
    await admin.end();
    pool = createPool({ url: TEST_DATABASE_URL }, schema, tenantRoleOf(schema));
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await PostgresStore.dropSchemas(TEST_DATABASE_URL, schema);
  });

  const reads = (db: Queryable) => new PostgresIdentityReads(db, ACME);
  const jobs = (db: Queryable) => ({ queue: new JobQueue(fetchingBoss, ACME, new Set(), DEFAULT_TENANT), db });
  const users = (filter: string) => (db: Queryable) => reads(db).queryUsers({ filter: parseFilter(filter), count: 10 });
  const groups = (filter: string) => (db: Queryable) => reads(db).queryGroups({ filter: parseFilter(filter), count: 10 });

  const cases: [string, (db: Queryable) => Promise<unknown>, RegExp][] = [
    ['userName eq', users('userName eq "user7@example.com"'), /users_user_name_unique/],
    // sw is LIKE, which row-level security keeps out of index conditions (not leakproof): the range beside it serves.
    ['userName sw', users('userName sw "user1"'), /Index Cond: .*user_name_lower >= /],
    ['externalId eq', users('externalId eq "e7"'), /users_external_id/],
    ['id eq', users('id eq "acme-u7"'), /users_pkey|users_tenant_id/],
    ['emails.value eq', users('emails.value eq "user7@example.com"'), /user_emails_value/],
    ['emails.value sw', users('emails.value sw "user7@"'), /user_emails_value/],
    ['displayName eq', users('displayName eq "user 7"'), /users_display_name_lower/],
    ['meta.lastModified gt', users('meta.lastModified gt "2030-01-01T00:00:00Z"'), /users_updated_ms/],
    ['active eq false', users('active eq false'), /users_active/],
    ['groups.value eq', users('groups.value eq "acme-g1"'), /groups_id_lower|group_members_member/],
    ['all users, insertion order', (db) => reads(db).queryUsers({ count: 10 }), /users_seq/],
    ['sorted by userName', (db) => reads(db).queryUsers({ sortBy: { attribute: 'userName' }, count: 10 }), /users_user_name_unique/],
    ['group displayName eq', groups('displayName eq "group 1"'), /groups_display_name_lower/],
    ['group members.value eq', groups('members.value eq "acme-u7"'), /group_members_member_lower/],
    ['getUserByUserName', (db) => reads(db).getUserByUserName('user7@example.com'), /users_user_name_unique/],
    ['groupsOfMember', (db) => reads(db).groupsOfMember('acme-u7'), /group_members_member/],
    ['listUserIds', (db) => reads(db).listUserIds('acme-u1', 10), /users_tenant_id/],
    ['linksOf', (db) => reads(db).linksOf('user', 'acme-u7'), /links_local|links_pkey/],
    ['listAudit', (db) => reads(db).listAudit({ limit: 10 }), /audit_tenant/],
    ['listAudit of an identity', (db) => reads(db).listAudit({ entityId: 'acme-u7' }), /audit_entity/],
    [
      'claim',
      (db) => {
        const { queue } = jobs(db);
        return queue.claim(db, { workerId: 'w', now: Date.now(), leaseMs: 1000, slots: { target: 10 } });
      },
      /jobs_boss_id/,
    ],
    ['release expired leases', (db) => jobs(db).queue.release(db, 'lease_until < $2', [Date.now()], Date.now()), /jobs_running_lease/],
    ['release a worker', (db) => jobs(db).queue.release(db, 'claimed_by = $2', ['w'], Date.now()), /jobs_running_worker/],
    ['next due', (db) => jobs(db).queue.nextDueAt(db), /jobs_pending_run_at/],
    ['counts', (db) => jobs(db).queue.counts(db, 'target'), /jobs_status_instance|jobs_instance|jobs_tenant/],
    ['list', (db) => jobs(db).queue.list(db, { limit: 10 }), /jobs_tenant/],
    ['list of an identity', (db) => jobs(db).queue.list(db, { localId: 'acme-u7' }), /jobs_local_id/],
    ['list failed', (db) => jobs(db).queue.list(db, { status: 'failed', instanceId: 'target' }), /jobs_status_instance|jobs_finished/],
    [
      'prunable jobs',
      (db) => new PostgresRetention(db, ACME).countJobs({ status: 'succeeded', finishedBefore: Date.now() }),
      /jobs_finished/,
    ],
    ['prunable audit', (db) => new PostgresRetention(db, ACME).countAudit({ before: Date.now() }), /audit_at|audit_tenant/],
    ['guard', (db) => guardState(db, ACME, 'target'), /deprovision_guards_pkey/],
  ];

  it.each(cases)('%s', async (_name, run, index) => {
    const plans = await plansOf(pool, run);
    expect(plans.length).toBeGreaterThan(0);
    for (const plan of plans) expect(plan).not.toMatch(/Seq Scan/);
    expect(plans.join('\n---\n')).toMatch(index);
  });
});
