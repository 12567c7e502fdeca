import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { StaleClaimError, StoreConflictError } from '@provisio/core/engine';
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
  GroupRecord,
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
import { applyIdentityWrite } from './identity-writes.js';
import { JobQueue } from './job-queue.js';
import { jobIdOrUndefined } from './job-rows.js';
import { migrateSchema, quoteIdentifier } from './migrate-schema.js';
import { inTransaction, type Queryable } from './queryable.js';
import { PostgresRateBuckets } from './rate-buckets.js';
import { PostgresRetention } from './retention.js';
import { PostgresQuarantines } from './quarantines.js';
import { PostgresSchedules } from './schedules.js';
import { storageFailure } from './storage-failure.js';
import { getTargetReport, listTargetReports, saveTargetReport } from './target-reports.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:5432/database */
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
}

/** Errors that mean "run the transaction again": serialization failures and deadlocks. */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);
const CLAIM_RETRYABLE_SQLSTATES = new Set([...RETRYABLE_SQLSTATES, '23505']);
const MAX_TRANSACTION_ATTEMPTS = 5;

/**
 * The scale-out store: several Provisio processes share one PostgreSQL. Identities,
 * links, audit and job records in `<schema>`; the jobs themselves on pg-boss in
 * `<schema>_queue`, enqueued in the same transaction as the identity write.
 */
export class PostgresStore implements Store {
  readonly sharedRateLimits: PostgresRateBuckets;
  readonly quarantines: PostgresQuarantines;
  readonly schedules: PostgresSchedules;
  private readonly reads: PostgresIdentityReads;
  private readonly db: Queryable;
  private readonly jobs: JobQueue;
  private readonly retention: PostgresRetention;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly boss: PgBoss,
    readonly schema: string,
  ) {
    // Reads and single statements report an unreachable database as StoreUnavailableError too.
    const guarded: Queryable = {
      async query<R extends object>(text: string, values?: unknown[]) {
        try {
          return await pool.query<R>(text, values);
        } catch (error) {
          throw storageFailure(error);
        }
      },
    };
    this.db = guarded;
    this.reads = new PostgresIdentityReads(guarded);
    this.jobs = new JobQueue(boss);
    this.sharedRateLimits = new PostgresRateBuckets(guarded);
    this.retention = new PostgresRetention(guarded);
    this.quarantines = new PostgresQuarantines(guarded);
    this.schedules = new PostgresSchedules(guarded);
  }

  /** Connects, migrates (ours, then pg-boss's), and starts pg-boss. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema ?? 'provisio';
    const pool = createPool(options, schema);
    let boss: PgBoss | undefined;
    try {
      await migrateSchema(pool, schema);
      boss = createBoss(options, schema, options.maintenance !== false);
      boss.on('error', (error: unknown) => options.onError?.(error));
      await boss.start();
      return new PostgresStore(pool, boss, schema);
    } catch (error) {
      await boss?.stop({ graceful: false }).catch(() => undefined);
      await pool.end().catch(() => undefined);
      throw describeConnectionError(error, options.url);
    }
  }

  /** `provisio migrate`: brings both schemas to this version and returns. */
  static async migrate(
    options: PostgresStoreOptions,
  ): Promise<{ schema: string; from: number; to: number; queueSchema: string; queueVersion: number | null }> {
    const schema = options.schema ?? 'provisio';
    const pool = createPool(options, schema);
    try {
      const result = await migrateSchema(pool, schema);
      const boss = createBoss(options, schema, false);
      boss.on('error', (error: unknown) => options.onError?.(error));
      try {
        await boss.start();
        const queueVersion = await boss.schemaVersion();
        return { schema, ...result, queueSchema: queueSchemaOf(schema), queueVersion };
      } finally {
        // Its pool too: a half-started pg-boss must not keep `provisio migrate` from exiting.
        await boss.stop({ graceful: false, close: true }).catch(() => undefined);
      }
    } catch (error) {
      throw describeConnectionError(error, options.url);
    } finally {
      await pool.end().catch(() => undefined);
    }
  }

  /** Runs `body` in one transaction, again when PostgreSQL asks for it (deadlock, serialization). */
  private async transaction<T>(body: (client: Queryable) => Promise<T>, retryOn: ReadonlySet<string> = RETRYABLE_SQLSTATES): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const client = await this.pool.connect().catch((error: unknown) => {
        throw storageFailure(error);
      });
      // A checked-out client is ours to watch: a connection lost between two statements
      // must fail this transaction, not crash the process with an unhandled 'error'.
      const onLost = () => undefined;
      client.on('error', onLost);
      let broken = false;
      try {
        return await inTransaction(client, body);
      } catch (error) {
        const mapped = storageFailure(error);
        broken = mapped !== error;
        const code = (error as { code?: string }).code;
        if (attempt >= MAX_TRANSACTION_ATTEMPTS || code === undefined || !retryOn.has(code)) throw mapped;
      } finally {
        client.off('error', onLost);
        // A broken connection is dropped, not handed to the next caller.
        client.release(broken);
      }
    }
  }

  async commit(write: IdentityWrite): Promise<CommitReceipt> {
    const jobs = write.jobs ?? [];
    await this.jobs.ensureQueues(new Set(jobs.map((j) => j.instanceId)));
    try {
      return await this.transaction(async (client) => {
        await applyIdentityWrite(client, write);
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
      throw error;
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

  groupsOfMember(memberId: string): Promise<GroupRecord[]> {
    return this.reads.groupsOfMember(memberId);
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
    await this.transaction(async (client) => {
      await client.query(`INSERT INTO schema_migrations (version, description) VALUES (-1, 'readiness write probe')`);
      throw new ProbeRollback();
    }).catch((error: unknown) => {
      if (!(error instanceof ProbeRollback)) throw error;
    });
  }

  /** Tables and indexes of this store's schema and its queue schema. */
  async storageBytes(): Promise<number> {
    const { rows } = await this.db.query<{ bytes: string | null }>(
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
    return guardState(this.db, instanceId);
  }

  async resolveHeldJobs(instanceId: string, decision: GuardDecision, now: number, audit: AuditEntry): Promise<number> {
    await this.jobs.ensureQueues([instanceId]);
    return this.transaction(async (client) => {
      const jobs = await this.jobs.resolveHeld(client, instanceId, decision, now);
      await applyIdentityWrite(client, { audit: [{ ...audit, details: { ...audit.details, jobs } }] });
      return jobs;
    });
  }

  saveTargetReport(report: TargetReportRecord): Promise<void> {
    return saveTargetReport(this.db, report);
  }

  getTargetReport(id: string): Promise<TargetReportRecord | undefined> {
    return getTargetReport(this.db, id);
  }

  listTargetReports(filter: { instanceId: string; kind?: TargetReportKind; limit?: number }): Promise<TargetReportRecord[]> {
    return listTargetReports(this.db, filter);
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
    const { rowCount } = await this.db.query(`UPDATE jobs SET lease_until = $2 WHERE status = 'running' AND claimed_by = $1`, [
      workerId,
      leaseUntil,
    ]);
    return rowCount ?? 0;
  }

  releaseJobsOf(workerId: string): Promise<number> {
    return this.transaction((client) => this.jobs.release(client, 'claimed_by = $2', [workerId], Date.now()));
  }

  async retryFailedJobs(filter: { jobId?: string; instanceId?: string }, now: number): Promise<JobRecord[]> {
    const { rows } = await this.db.query<{ instance_id: string }>(`SELECT DISTINCT instance_id FROM jobs WHERE status = 'failed'`);
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.boss.stop({ graceful: false, close: true }).catch(() => undefined);
    await this.pool.end();
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

  /** Drops both schemas (tests, `provisio` never calls it). */
  static async dropSchemas(url: string, schema: string): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(queueSchemaOf(schema))} CASCADE`);
    } finally {
      await client.end();
    }
  }
}

export function queueSchemaOf(schema: string): string {
  return `${schema}_queue`;
}

function createPool(options: PostgresStoreOptions, schema: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.pool?.max ?? 10,
    idleTimeoutMillis: options.pool?.idleTimeoutMs ?? 30000,
    connectionTimeoutMillis: options.pool?.connectionTimeoutMs ?? 10000,
    // Every statement of ours names tables without a schema.
    options: `-c search_path=${quoteIdentifier(schema)}`,
    application_name: 'provisio',
  });
  // An idle connection that breaks (database restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

function createBoss(options: PostgresStoreOptions, schema: string, maintenance: boolean): PgBoss {
  return new PgBoss({
    connectionString: options.url,
    schema: queueSchemaOf(schema),
    max: 3,
    application_name: 'provisio-queue',
    supervise: maintenance,
    schedule: false,
    migrate: true,
  });
}

/** Connection errors name the server, never the URL (it may carry a password). */
function describeConnectionError(error: unknown, url: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  let where = 'the PostgreSQL server';
  try {
    const parsed = new URL(url);
    where = `PostgreSQL at ${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    // not a URL: keep the generic name
  }
  const scrubbed = message.split(url).join('<store.url>');
  const wrapped = new Error(`could not open the store (${where}): ${scrubbed}`);
  (wrapped as { code?: string }).code = (error as { code?: string }).code;
  return wrapped;
}

/** Thrown inside the write probe's transaction so that it rolls back. */
class ProbeRollback extends Error {}
