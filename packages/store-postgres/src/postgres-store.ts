import pg from 'pg';
import type { PgBoss } from 'pg-boss';
import { DEFAULT_TENANT, StaleClaimError, StoreConflictError } from '@provisio/core/engine';
import type { EntityType } from '@provisio/core';
import type {
  AuditPruneFilter,
  AuditEntry,
  PendingPassword,
  AuditRecord,
  ClaimedJob,
  ClaimOptions,
  CommitReceipt,
  DeprovisionGuardState,
  GuardDecision,
  GroupMemberRef,
  GroupRecord,
  GroupSummary,
  IdentityQuery,
  IdentityWrite,
  JobAbandoned,
  JobFailed,
  JobFilter,
  JobPruneFilter,
  JobRecord,
  JobRetry,
  JobSucceeded,
  LinkRecord,
  PrunableSummary,
  QueryPage,
  StatusCounts,
  Store,
  UserRecord,
  TargetReportKind,
  TargetReportRecord,
} from '@provisio/core/engine';
import { PostgresIdentityReads } from './identity-reads.js';
import { guardState } from './guard-rows.js';
import { applyIdentityWrite, storeError } from './identity-writes.js';
import { JobQueue } from './job-queue.js';
import { jobIdOrUndefined } from './job-rows.js';
import { quoteIdentifier } from './migrate-schema.js';
import type { Queryable } from './queryable.js';
import { PostgresRateBuckets } from './rate-buckets.js';
import { PostgresRetention } from './retention.js';
import { PostgresQuarantines } from './quarantines.js';
import { PostgresSchedules } from './schedules.js';
import { createBoss, createPool, describeConnectionError, migrateAsOwner, queueSchemaOf } from './store-connection.js';
import { getTargetReport, listTargetReports, saveTargetReport } from './target-reports.js';
import { deleteTenantRows, tenantsWithRows } from './tenant-data.js';
import { checkedTenant, tenantRoleOf } from './tenant-scope.js';
import { RETRYABLE_SQLSTATES, scopedStatements, scopedTransaction } from './tenant-session.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:5432/database (the role that owns the schema; see docs/scale-out.md) */
  url: string;
  /** Schema of Provisio's tables (default `provisio`); pg-boss uses `<schema>_queue`. */
  schema?: string;
  pool?: { max?: number; idleTimeoutMs?: number; connectionTimeoutMs?: number };
  /**
   * Run pg-boss's maintenance in this process (expiry backstop, cleanup of finished
   * jobs); default true. Safe in every process at once: pg-boss coordinates it.
   */
  maintenance?: boolean;
  /** Reports pg-boss's background errors (the store keeps working; pg-boss retries). */
  onError?: (error: unknown) => void;
  /**
   * The tenant the opened store is bound to (default `DEFAULT_TENANT`), and the tenant the migration
   * to tenants (version 10) gives the rows already there.
   */
  defaultTenant?: string;
}

const CLAIM_RETRYABLE_SQLSTATES = new Set([...RETRYABLE_SQLSTATES, '23505']);

/** What the tenant views of one store share: the connections, pg-boss, and each other. */
interface StoreHouse {
  readonly pool: pg.Pool;
  readonly boss: PgBoss;
  readonly schema: string;
  /** The tenant whose pg-boss queues keep their names from before tenants (see queueName). */
  readonly unprefixedTenant: string;
  /** pg-boss queues this process knows exist. */
  readonly knownQueues: Set<string>;
  readonly views: Map<string, PostgresStore>;
  readonly rateBuckets: PostgresRateBuckets;
  /** Reads every tenant's rows (as the owner): tenantsWithData only. */
  readonly allTenants: Queryable;
  root?: PostgresStore;
  closed: boolean;
}

/**
 * The scale-out store: several Provisio processes share one PostgreSQL. Identities,
 * links, audit and job records in `<schema>`; the jobs themselves on pg-boss in
 * `<schema>_queue`, enqueued in the same transaction as the identity write.
 *
 * A store is bound to one tenant (see Store.forTenant); its views for other tenants
 * share the pool. Every statement names its tenant, and runs as the schema's tenant
 * role in a transaction that has the tenant set, so that row-level security keeps it
 * to that tenant's rows too (tenant-schema.ts, tenant-session.ts).
 */
export class PostgresStore implements Store {
  readonly tenant: string;
  readonly schema: string;
  readonly sharedRateLimits: PostgresRateBuckets;
  readonly quarantines: PostgresQuarantines;
  readonly schedules: PostgresSchedules;
  private readonly reads: PostgresIdentityReads;
  private readonly db: Queryable;
  private readonly jobs: JobQueue;
  private readonly retention: PostgresRetention;

  private constructor(
    private readonly house: StoreHouse,
    tenant: string,
  ) {
    this.tenant = tenant;
    this.schema = house.schema;
    // Reads and single statements report an unreachable database as StoreUnavailableError too.
    this.db = scopedStatements(house.pool, { tenant });
    this.reads = new PostgresIdentityReads(this.db, tenant);
    this.jobs = new JobQueue(house.boss, tenant, house.knownQueues, house.unprefixedTenant);
    this.sharedRateLimits = house.rateBuckets;
    this.retention = new PostgresRetention(this.db, tenant);
    this.quarantines = new PostgresQuarantines(this.db, tenant);
    this.schedules = new PostgresSchedules(this.db, tenant);
  }

  /** Connects, migrates (ours, then pg-boss's), and starts pg-boss. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema ?? 'provisio';
    const defaultTenant = checkedTenant(options.defaultTenant ?? DEFAULT_TENANT);
    const tenantRole = tenantRoleOf(schema);
    let pool: pg.Pool | undefined;
    let boss: PgBoss | undefined;
    try {
      const { migratedTenant } = await migrateAsOwner(options, schema, { defaultTenant, tenantRole });
      pool = createPool(options, schema, tenantRole);
      // A role that cannot be taken (missing after a restore into a new cluster, not granted) fails the start, not the first request.
      await scopedStatements(pool, 'no tenant').query('SELECT 1');
      boss = createBoss(options, schema, options.maintenance !== false);
      boss.on('error', (error: unknown) => options.onError?.(error));
      await boss.start();
      const house: StoreHouse = {
        pool,
        boss,
        schema,
        unprefixedTenant: migratedTenant,
        knownQueues: new Set(),
        views: new Map(),
        rateBuckets: new PostgresRateBuckets(scopedStatements(pool, 'no tenant')),
        allTenants: scopedStatements(pool, 'all tenants'),
        closed: false,
      };
      const root = new PostgresStore(house, defaultTenant);
      house.root = root;
      house.views.set(defaultTenant, root);
      return root;
    } catch (error) {
      await boss?.stop({ graceful: false }).catch(() => undefined);
      await pool?.end().catch(() => undefined);
      throw describeConnectionError(error, options.url);
    }
  }

  /** `provisio migrate`: brings both schemas to this version and returns. */
  static async migrate(
    options: PostgresStoreOptions,
  ): Promise<{ schema: string; from: number; to: number; queueSchema: string; queueVersion: number | null }> {
    const schema = options.schema ?? 'provisio';
    const defaultTenant = checkedTenant(options.defaultTenant ?? DEFAULT_TENANT);
    try {
      const { from, to } = await migrateAsOwner(options, schema, { defaultTenant, tenantRole: tenantRoleOf(schema) });
      const boss = createBoss(options, schema, false);
      boss.on('error', (error: unknown) => options.onError?.(error));
      try {
        await boss.start();
        const queueVersion = await boss.schemaVersion();
        return { schema, from, to, queueSchema: queueSchemaOf(schema), queueVersion };
      } finally {
        // Its pool too: a half-started pg-boss must not keep `provisio migrate` from exiting.
        await boss.stop({ graceful: false, close: true }).catch(() => undefined);
      }
    } catch (error) {
      throw describeConnectionError(error, options.url);
    }
  }

  forTenant(tenant: string): Store {
    const known = this.house.views.get(tenant);
    if (known) return known;
    const view = new PostgresStore(this.house, checkedTenant(tenant));
    this.house.views.set(tenant, view);
    return view;
  }

  tenantsWithData(): Promise<string[]> {
    return tenantsWithRows(this.house.allTenants);
  }

  /** One transaction: the tenant's pg-boss jobs, then its rows in every tenant table. */
  purgeTenant(): Promise<number> {
    return this.transaction(async (client) => {
      await this.jobs.dropOpenBossJobs(client);
      return deleteTenantRows(client, this.tenant);
    });
  }

  /** Runs `body` in one transaction of this tenant, again when PostgreSQL asks for it (deadlock, serialization). */
  private transaction<T>(body: (client: Queryable) => Promise<T>, retryOn: ReadonlySet<string> = RETRYABLE_SQLSTATES): Promise<T> {
    return scopedTransaction(this.house.pool, { tenant: this.tenant }, body, retryOn);
  }

  async commit(write: IdentityWrite): Promise<CommitReceipt> {
    const jobs = write.jobs ?? [];
    await this.jobs.ensureQueues(new Set(jobs.map((j) => j.instanceId)));
    try {
      return await this.transaction(async (client) => {
        await applyIdentityWrite(client, this.tenant, write);
        return this.jobs.enqueue(client, jobs, Date.now());
      });
    } catch (error) {
      // Still deadlocked after every retry: a concurrent change won; the caller re-reads and tries again.
      const code = (error as { code?: string }).code;
      if (code !== undefined && RETRYABLE_SQLSTATES.has(code)) {
        const [entityType, entityId] =
          write.putUsers?.length || write.deleteUsers?.length
            ? (['user', write.putUsers?.[0]?.id ?? write.deleteUsers?.[0]] as const)
            : (['group', write.putGroups?.[0]?.id ?? write.deleteGroups?.[0]] as const);
        throw new StoreConflictError('version', `a concurrent change to the same identity won (${code})`, entityType, entityId);
      }
      // The write's last statements fail in the round trip of the COMMIT that carries them.
      throw storeError(error);
    }
  }

  getUser(id: string): Promise<UserRecord | undefined> {
    return this.reads.getUser(id);
  }

  getUserByUserName(userName: string): Promise<UserRecord | undefined> {
    return this.reads.getUserByUserName(userName);
  }

  getGroup(id: string): Promise<GroupRecord | undefined> {
    return this.reads.getGroup(id);
  }

  getGroupSummary(id: string): Promise<GroupSummary | undefined> {
    return this.reads.getGroupSummary(id);
  }

  findGroupMembers(groupId: string, values: readonly string[]): Promise<GroupMemberRef[]> {
    return this.reads.findGroupMembers(groupId, values);
  }

  groupsOfMember(memberId: string): Promise<GroupRecord[]> {
    return this.reads.groupsOfMember(memberId);
  }

  groupSummariesOfMember(memberId: string): Promise<GroupSummary[]> {
    return this.reads.groupSummariesOfMember(memberId);
  }

  listUserIds(afterId: string | undefined, limit: number): Promise<string[]> {
    return this.reads.listUserIds(afterId, limit);
  }

  listGroupIds(afterId: string | undefined, limit: number): Promise<string[]> {
    return this.reads.listGroupIds(afterId, limit);
  }

  queryUsers(query: IdentityQuery): Promise<QueryPage<UserRecord>> {
    return this.reads.queryUsers(query);
  }

  queryGroups(query: IdentityQuery): Promise<QueryPage<GroupRecord>> {
    return this.reads.queryGroups(query);
  }

  getLink(instanceId: string, entityType: EntityType, localId: string): Promise<LinkRecord | undefined> {
    return this.reads.getLink(instanceId, entityType, localId);
  }

  linksOf(entityType: EntityType, localId: string): Promise<LinkRecord[]> {
    return this.reads.linksOf(entityType, localId);
  }

  linksFor(instanceId: string, entityType: EntityType, localIds: readonly string[]): Promise<LinkRecord[]> {
    return this.reads.linksFor(instanceId, entityType, localIds);
  }

  pendingPassword(userId: string): Promise<PendingPassword | undefined> {
    return this.reads.pendingPassword(userId);
  }

  listAudit(options: { entityId?: string; limit?: number; beforeSeq?: number }): Promise<AuditRecord[]> {
    return this.reads.listAudit(options);
  }

  /**
   * A row written and rolled back: a read-only database or standby, a revoked grant or a
   * lost connection fails it, and nothing stays behind (several processes probe at once).
   */
  async probeWrite(): Promise<void> {
    await scopedTransaction(this.house.pool, 'no tenant', async (client) => {
      await client.query(`INSERT INTO schema_migrations (version, description) VALUES (-1, 'readiness write probe')`);
      throw new ProbeRollback();
    }).catch((error: unknown) => {
      if (!(error instanceof ProbeRollback)) throw error;
    });
  }

  /** Tables and indexes of this store's schema and its queue schema (every tenant's). */
  async storageBytes(): Promise<number> {
    const { rows } = await scopedStatements(this.house.pool, 'no tenant').query<{ bytes: string | null }>(
      `SELECT sum(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'm') AND n.nspname IN ($1, $2)`,
      [this.schema, `${this.schema}_queue`],
    );
    return Number(rows[0]?.bytes ?? 0);
  }

  // --- retention ---

  pruneJobs(filter: JobPruneFilter & { limit: number }): Promise<number> {
    return this.retention.pruneJobs(filter);
  }

  pruneAudit(filter: AuditPruneFilter & { limit: number }): Promise<number> {
    return this.retention.pruneAudit(filter);
  }

  countPrunableJobs(filter: JobPruneFilter): Promise<PrunableSummary> {
    return this.retention.countJobs(filter);
  }

  countPrunableAudit(filter: AuditPruneFilter): Promise<PrunableSummary> {
    return this.retention.countAudit(filter);
  }

  // --- accidental-deletion guard ---

  deprovisionGuard(instanceId: string): Promise<DeprovisionGuardState> {
    return guardState(this.db, this.tenant, instanceId);
  }

  async resolveHeldJobs(instanceId: string, decision: GuardDecision, now: number, audit: AuditEntry): Promise<number> {
    await this.jobs.ensureQueues([instanceId]);
    return this.transaction(async (client) => {
      const jobs = await this.jobs.resolveHeld(client, instanceId, decision, now);
      await applyIdentityWrite(client, this.tenant, { audit: [{ ...audit, details: { ...audit.details, jobs } }] });
      return jobs;
    });
  }

  saveTargetReport(report: TargetReportRecord): Promise<void> {
    return saveTargetReport(this.db, this.tenant, report);
  }

  getTargetReport(id: string): Promise<TargetReportRecord | undefined> {
    return getTargetReport(this.db, this.tenant, id);
  }

  listTargetReports(filter: { instanceId: string; kind?: TargetReportKind; limit?: number }): Promise<TargetReportRecord[]> {
    return listTargetReports(this.db, this.tenant, filter);
  }

  // --- job queue (pg-boss) ---

  async claimJobs(options: ClaimOptions): Promise<ClaimedJob[]> {
    await this.jobs.ensureQueues(Object.keys(options.slots));
    // Two processes claiming the same identity's job at once: pg-boss's one-active-per-identity index rejects the second; claim again.
    return this.transaction((client) => this.jobs.claim(client, options), CLAIM_RETRYABLE_SQLSTATES);
  }

  completeJob(outcome: JobSucceeded): Promise<void> {
    return this.jobs
      .ensureQueues(new Set((outcome.followUps ?? []).map((j) => j.instanceId)))
      .then(() => this.transaction((client) => this.jobs.complete(client, outcome)));
  }

  retryJobLater(outcome: JobRetry): Promise<void> {
    return this.transaction((client) => this.jobs.retryLater(client, outcome));
  }

  failJob(outcome: JobFailed): Promise<void> {
    return this.transaction((client) => this.jobs.fail(client, outcome));
  }

  async abandonClaim(outcome: JobAbandoned): Promise<void> {
    const id = jobIdOrUndefined(outcome.jobId);
    const released =
      id === undefined
        ? 0
        : await this.transaction((client) =>
            this.jobs.release(client, 'id = $2 AND claim_token = $3', [id, outcome.claimToken], outcome.now, outcome),
          );
    if (released === 0) throw new StaleClaimError(outcome.jobId);
  }

  releaseExpiredJobs(now: number, graceMs = 0): Promise<number> {
    return this.transaction((client) => this.jobs.release(client, 'lease_until < $2', [now - graceMs], now));
  }

  /** Shared by several processes: only jobs whose lease ran out were abandoned; the others are running elsewhere. */
  recoverAbandonedJobs(now: number, graceMs = 0): Promise<number> {
    return this.releaseExpiredJobs(now, graceMs);
  }

  async extendLeases(workerId: string, leaseUntil: number): Promise<number> {
    const { rowCount } = await this.db.query(
      `UPDATE jobs SET lease_until = $2 WHERE tenant = $3 AND status = 'running' AND claimed_by = $1`,
      [workerId, leaseUntil, this.tenant],
    );
    return rowCount ?? 0;
  }

  releaseJobsOf(workerId: string): Promise<number> {
    return this.transaction((client) => this.jobs.release(client, 'claimed_by = $2', [workerId], Date.now()));
  }

  async retryFailedJobs(filter: { jobId?: string; instanceId?: string }, now: number): Promise<JobRecord[]> {
    const { rows } = await this.db.query<{ instance_id: string }>(
      `SELECT DISTINCT instance_id FROM jobs WHERE tenant = $1 AND status = 'failed'`,
      [this.tenant],
    );
    await this.jobs.ensureQueues(rows.map((r) => r.instance_id));
    return this.transaction((client) => this.jobs.retryFailed(client, filter, now));
  }

  getJob(id: string): Promise<JobRecord | undefined> {
    return this.jobs.get(this.db, id);
  }

  listJobs(filter: JobFilter): Promise<JobRecord[]> {
    return this.jobs.list(this.db, filter);
  }

  jobCounts(instanceId?: string): Promise<StatusCounts> {
    return this.jobs.counts(this.db, instanceId);
  }

  nextDueJobAt(): Promise<number | undefined> {
    return this.jobs.nextDueAt(this.db);
  }

  /** Closes the pool and pg-boss, for every view; a view's close (of another tenant) does nothing. */
  async close(): Promise<void> {
    if (this !== this.house.root || this.house.closed) return;
    this.house.closed = true;
    await this.house.boss.stop({ graceful: false, close: true }).catch(() => undefined);
    await this.house.pool.end();
  }

  /** Whether the database answers, within `timeoutMs`; the error says why not (never with the URL). */
  static async ping(url: string, timeoutMs = 3000): Promise<void> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      throw describeConnectionError(error, url);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Drops both schemas and the schema's tenant role (tests, `provisio` never calls it). */
  static async dropSchemas(url: string, schema: string): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(queueSchemaOf(schema))} CASCADE`);
      await client.query(`DROP ROLE IF EXISTS ${quoteIdentifier(tenantRoleOf(schema))}`);
    } finally {
      await client.end();
    }
  }
}

/** Thrown inside the write probe's transaction so that it rolls back. */
class ProbeRollback extends Error {}
