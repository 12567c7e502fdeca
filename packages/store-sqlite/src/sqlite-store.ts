import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import { type EntityType } from '@provisio/core';
import {
  EMPTY_COUNTS,
  StaleClaimError,
  type AuditPruneFilter,
  type ClaimedJob,
  type AuditEntry,
  type ClaimOptions,
  type CommitReceipt,
  type GuardDecision,
  type IdentityWrite,
  type JobAttempt,
  type JobAbandoned,
  type JobFailed,
  type JobFilter,
  type JobPruneFilter,
  type JobRecord,
  type JobRetry,
  type JobSucceeded,
  type LinkRecord,
  type NewJob,
  type StatusCounts,
  type Store,
  type IdentityQuery,
  type TargetReportKind,
  type TargetReportRecord,
} from '@provisio/core/engine';
import { storageFailure } from './storage-failure.js';
import { migrate } from './migrations.js';
import { toJob, type JobRow } from './rows.js';
import { SqliteAudit } from './sqlite-audit.js';
import { SqliteGuards } from './sqlite-guards.js';
import { GroupCommit } from './sqlite-group-commit.js';
import { SqliteIdentityReads } from './sqlite-identity-reads.js';
import { SqliteIdentityWrites } from './sqlite-identity-writes.js';
import { SqliteLinks } from './sqlite-links.js';
import { SqliteRetention } from './sqlite-retention.js';
import { SqliteQuarantines } from './sqlite-quarantines.js';
import { SqliteSchedules } from './sqlite-schedules.js';
import { StatementCache } from './sqlite-statements.js';
import { SqliteTargetReports } from './sqlite-target-reports.js';

export interface SqliteStoreOptions {
  /** Database file; `:memory:` for a throwaway store. Its folder is created if missing. */
  path: string;
  /**
   * `full` (default): every commit is fsynced before it is acknowledged.
   * `normal`: survives a process crash but may lose the last commits on power loss (faster).
   */
  synchronous?: 'full' | 'normal';
}

/**
 * The embedded store. One process owns the file (exclusive locking): a second
 * Provisio pointed at the same file fails at start instead of corrupting jobs.
 * better-sqlite3 is synchronous; every port method runs one statement or one
 * transaction, so the async API never interleaves partial writes.
 */
export class SqliteStore implements Store {
  /**
   * A prune batch runs on the event loop, so every SCIM request in flight waits behind it:
   * about 50 jobs (2 ms) at a time keeps their p99 within 1.5× while 100,000 are pruned
   * (docs/benchmarks.md, retention).
   */
  readonly retentionBatchMs = 2;
  private readonly statements: StatementCache;
  private readonly reads: SqliteIdentityReads;
  private readonly links: SqliteLinks;
  private readonly audit: SqliteAudit;
  private readonly commits: GroupCommit;
  private readonly retention: SqliteRetention;
  private readonly guards: SqliteGuards;
  readonly quarantines: SqliteQuarantines;
  readonly schedules: SqliteSchedules;
  private readonly reports: SqliteTargetReports;

  private constructor(private readonly db: Db) {
    this.statements = new StatementCache(db);
    this.reads = new SqliteIdentityReads(this.statements);
    this.links = new SqliteLinks(this.statements);
    this.audit = new SqliteAudit(this.statements);
    this.retention = new SqliteRetention(this.statements, db, db.pragma('synchronous', { simple: true }) as number);
    this.guards = new SqliteGuards(this.statements, this.audit);
    this.quarantines = new SqliteQuarantines(this.statements);
    this.schedules = new SqliteSchedules(this.statements);
    const writes = new SqliteIdentityWrites(
      this.statements,
      this.audit,
      (job, now, held) => this.enqueue(job, now, held),
      this.guards,
      (link) => this.links.put(link),
    );
    this.reports = new SqliteTargetReports(this.statements);
    this.commits = new GroupCommit(db, (write, now) => writes.apply(write, now));
  }

  static open(options: SqliteStoreOptions): SqliteStore {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const db = new Database(options.path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      db.pragma('foreign_keys = ON');
      // Index lookups over a large identity table stay in memory: 64 MB page cache, reads through mmap.
      db.pragma('cache_size = -65536');
      db.pragma('mmap_size = 268435456');
      // Checkpoint the WAL in larger steps: fewer, longer sequential copies instead of frequent random ones.
      db.pragma('wal_autocheckpoint = 10000');
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('busy_timeout = 0');
      migrate(db);
    } catch (error) {
      db.close();
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
        throw new Error(
          `the database ${options.path} is in use by another process; the SQLite store serves one Provisio process (use PostgreSQL to run several)`,
        );
      }
      throw error;
    }
    return new SqliteStore(db);
  }

  private stmt(sql: string): Statement {
    return this.statements.get(sql);
  }

  // --- identities ---

  /** One IdentityWrite, durable when the promise resolves (see GroupCommit). */
  commit(write: IdentityWrite): Promise<CommitReceipt> {
    return this.commits.commit(write);
  }

  getUser(id: string) {
    return this.reads.getUser(id);
  }

  getUserByUserName(userName: string) {
    return this.reads.getUserByUserName(userName);
  }

  getGroup(id: string) {
    return this.reads.getGroup(id);
  }

  groupsOfMember(memberId: string) {
    return this.reads.groupsOfMember(memberId);
  }

  listUserIds(afterId: string | undefined, limit: number) {
    return this.reads.listUserIds(afterId, limit);
  }

  listGroupIds(afterId: string | undefined, limit: number) {
    return this.reads.listGroupIds(afterId, limit);
  }

  queryUsers(query: IdentityQuery) {
    return this.reads.queryUsers(query);
  }

  queryGroups(query: IdentityQuery) {
    return this.reads.queryGroups(query);
  }

  pendingPassword(userId: string) {
    return this.reads.pendingPassword(userId);
  }

  // --- links ---

  getLink(instanceId: string, entityType: EntityType, localId: string) {
    return this.links.get(instanceId, entityType, localId);
  }

  linksOf(entityType: EntityType, localId: string) {
    return this.links.of(entityType, localId);
  }

  linksFor(instanceId: string, entityType: EntityType, localIds: readonly string[]) {
    return this.links.for(instanceId, entityType, localIds);
  }

  private putLink(link: LinkRecord): void {
    this.links.put(link);
  }

  // --- audit ---

  listAudit(options: { entityId?: string; limit?: number; beforeSeq?: number }) {
    return this.audit.list(options);
  }

  // --- retention ---

  async pruneJobs(filter: JobPruneFilter & { limit: number }) {
    return this.retention.pruneJobs(filter);
  }

  async pruneAudit(filter: AuditPruneFilter & { limit: number }) {
    return this.retention.pruneAudit(filter);
  }

  async countPrunableJobs(filter: JobPruneFilter) {
    return this.retention.countJobs(filter);
  }

  async countPrunableAudit(filter: AuditPruneFilter) {
    return this.retention.countAudit(filter);
  }

  // --- accidental-deletion guard ---

  async deprovisionGuard(instanceId: string) {
    return this.guards.state(instanceId);
  }

  async resolveHeldJobs(instanceId: string, decision: GuardDecision, now: number, audit: AuditEntry) {
    return this.db.transaction(() => this.guards.resolve(instanceId, decision, now, audit)).immediate();
  }

  async saveTargetReport(report: TargetReportRecord): Promise<void> {
    this.reports.save(report);
  }

  async getTargetReport(id: string) {
    return this.reports.get(id);
  }

  async listTargetReports(filter: { instanceId: string; kind?: TargetReportKind; limit?: number }) {
    return this.reports.list(filter);
  }

  // --- job queue ---

  private enqueue(job: NewJob, now: number, held = false): void {
    const at = new Date(now).toISOString();
    const { lastInsertRowid } = this.stmt(
      `INSERT INTO jobs (instance_id, entity_type, local_id, action, reason, status, attempts, max_attempts, run_at, created_at, updated_at, last_known, request_id, guard_counted)
       VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      job.instanceId,
      job.entityType,
      job.localId,
      job.action,
      job.reason,
      held ? 'held' : 'pending',
      job.maxAttempts,
      job.runAt ?? now,
      at,
      at,
      job.lastKnown === undefined ? null : JSON.stringify(job.lastKnown),
      job.requestId ?? null,
      job.guard?.counts && !held ? 1 : 0,
    );
    this.supersedeOlderPending(Number(lastInsertRowid), at);
  }

  /**
   * Newest state wins: of the identity's waiting jobs (pending or held) only the newest
   * (highest id) stays. When a superseded one was attempted before, its remote effect is unknown:
   * the newest inherits outcome_unknown and looks before acting.
   */
  private supersedeOlderPending(jobId: number, at: string): void {
    const pair = this.stmt('SELECT instance_id, entity_type, local_id FROM jobs WHERE id = ?').get(jobId) as Pick<
      JobRow,
      'instance_id' | 'entity_type' | 'local_id'
    >;
    const pending = this.stmt(
      `SELECT id, outcome_unknown, history FROM jobs WHERE instance_id = ? AND entity_type = ? AND local_id = ? AND status IN ('pending', 'held') ORDER BY id`,
    ).all(pair.instance_id, pair.entity_type, pair.local_id) as Pick<JobRow, 'id' | 'outcome_unknown' | 'history'>[];
    if (pending.length < 2) return;
    const newest = pending[pending.length - 1];
    const older = pending.slice(0, -1);
    for (const row of older) this.stmt(`UPDATE jobs SET status = 'superseded', updated_at = ? WHERE id = ?`).run(at, row.id);
    if (older.some((row) => row.outcome_unknown || row.history !== '[]'))
      this.stmt('UPDATE jobs SET outcome_unknown = 1 WHERE id = ?').run(newest.id);
  }

  async claimJobs(options: ClaimOptions): Promise<ClaimedJob[]> {
    const claim = this.db.transaction(() => {
      const at = new Date(options.now).toISOString();
      const claimed: ClaimedJob[] = [];
      for (const [instanceId, slots] of Object.entries(options.slots)) {
        if (slots <= 0) continue;
        const rows = this.stmt(
          `SELECT * FROM jobs j WHERE j.instance_id = ? AND j.status = 'pending' AND j.run_at <= ?
             AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.instance_id = j.instance_id AND r.entity_type = j.entity_type AND r.local_id = j.local_id AND r.status = 'running')
           ORDER BY j.run_at, j.id LIMIT ?`,
        ).all(instanceId, options.now, slots * 2) as JobRow[];
        const pairs = new Set<string>();
        for (const row of rows) {
          if (pairs.size >= slots) break;
          const pair = `${row.entity_type}\u0000${row.local_id}`;
          if (pairs.has(pair)) continue;
          pairs.add(pair);
          const history = JSON.parse(row.history) as JobAttempt[];
          history.push({ attempt: row.attempts + 1, startedAt: at });
          const claimToken = randomUUID();
          this.stmt(
            `UPDATE jobs SET status = 'running', attempts = attempts + 1, claimed_by = ?, lease_until = ?, updated_at = ?, history = ?, claim_token = ? WHERE id = ?`,
          ).run(options.workerId, options.now + options.leaseMs, at, JSON.stringify(history), claimToken, row.id);
          const job = toJob({
            ...row,
            status: 'running',
            attempts: row.attempts + 1,
            claimed_by: options.workerId,
            lease_until: options.now + options.leaseMs,
            updated_at: at,
            history: JSON.stringify(history),
          });
          claimed.push({ ...job, claimToken });
        }
      }
      return claimed;
    });
    return claim.immediate();
  }

  private finish(
    jobId: string,
    claimToken: string,
    now: number,
    status: JobRecord['status'],
    attempt: Partial<JobAttempt>,
    extra: { runAt?: number; error?: string; errorKind?: string },
    link?: LinkRecord,
  ): JobRow {
    const row = this.stmt('SELECT * FROM jobs WHERE id = ?').get(Number(jobId)) as JobRow | undefined;
    if (!row) throw new Error(`job ${jobId} does not exist`);
    // Fencing: only the current claim records an outcome.
    if (row.status !== 'running' || row.claim_token !== claimToken) throw new StaleClaimError(jobId);
    const at = new Date(now).toISOString();
    const history = JSON.parse(row.history) as JobAttempt[];
    const last = history[history.length - 1];
    if (last) Object.assign(last, { finishedAt: at, ...attempt });
    // An outcome was recorded: what the remote holds is known again.
    this.stmt(
      `UPDATE jobs SET status = ?, claimed_by = NULL, lease_until = NULL, claim_token = NULL, outcome_unknown = 0, updated_at = ?, history = ?, run_at = COALESCE(?, run_at),
         last_error = COALESCE(?, last_error), last_error_kind = COALESCE(?, last_error_kind) WHERE id = ?`,
    ).run(status, at, JSON.stringify(history), extra.runAt ?? null, extra.error ?? null, extra.errorKind ?? null, row.id);
    if (link) this.putLink(link);
    return row;
  }

  /** The completed job's target has the password, unless a newer job of it (planned with a newer password) is still to run. */
  private passwordDelivered(row: JobRow): void {
    if (row.entity_type !== 'user') return;
    this.stmt(
      `UPDATE pending_passwords SET awaiting = (SELECT json_group_array(a.value) FROM json_each(pending_passwords.awaiting) a WHERE a.value <> ?)
       WHERE user_id = ? AND EXISTS (SELECT 1 FROM json_each(pending_passwords.awaiting) WHERE value = ?)
         AND NOT EXISTS (SELECT 1 FROM jobs WHERE instance_id = ? AND entity_type = 'user' AND local_id = ? AND status = 'pending')`,
    ).run(row.instance_id, row.local_id, row.instance_id, row.instance_id, row.local_id);
    this.stmt(`DELETE FROM pending_passwords WHERE user_id = ? AND awaiting = '[]'`).run(row.local_id);
  }

  async completeJob(outcome: JobSucceeded) {
    this.db
      .transaction(() => {
        const row = this.finish(outcome.jobId, outcome.claimToken, outcome.now, 'succeeded', { outcome: 'succeeded' }, {}, outcome.link);
        for (const next of outcome.followUps ?? []) this.enqueue(next, outcome.now);
        this.passwordDelivered(row);
      })
      .immediate();
  }

  async retryJobLater(outcome: JobRetry) {
    this.db
      .transaction(() => {
        const row = this.finish(
          outcome.jobId,
          outcome.claimToken,
          outcome.now,
          'pending',
          { outcome: 'retry', error: outcome.error, errorKind: outcome.errorKind },
          { runAt: outcome.runAt, error: outcome.error, errorKind: outcome.errorKind },
          outcome.link,
        );
        this.supersedeOlderPending(row.id, new Date(outcome.now).toISOString());
      })
      .immediate();
  }

  async failJob(outcome: JobFailed) {
    this.db
      .transaction(() => {
        // The pending password stays: the retry of this job, or the next job of its target, still sends it.
        this.finish(
          outcome.jobId,
          outcome.claimToken,
          outcome.now,
          'failed',
          { outcome: 'failed', error: outcome.error, errorKind: outcome.errorKind },
          { error: outcome.error, errorKind: outcome.errorKind },
          outcome.link,
        );
      })
      .immediate();
  }

  async abandonClaim(outcome: JobAbandoned) {
    const released = this.release('id = ? AND claim_token = ?', [Number(outcome.jobId), outcome.claimToken], outcome.now, outcome);
    if (released === 0) throw new StaleClaimError(outcome.jobId);
  }

  async releaseExpiredJobs(now: number, graceMs = 0) {
    return this.release('lease_until < ?', [now - graceMs], now);
  }

  /** One process owns the file, so every job still running belonged to a process that died. */
  async recoverAbandonedJobs(now: number) {
    return this.release('1 = 1', [], now);
  }

  async extendLeases(workerId: string, leaseUntil: number) {
    return this.stmt(`UPDATE jobs SET lease_until = ? WHERE status = 'running' AND claimed_by = ?`).run(leaseUntil, workerId).changes;
  }

  async releaseJobsOf(workerId: string) {
    return this.release('claimed_by = ?', [workerId], Date.now());
  }

  /**
   * Takeover of running jobs matching `where`: back to pending, the attempt marked
   * abandoned and not counted, the outcome unknown; superseded when a newer job of
   * the identity is pending.
   */
  private release(where: string, params: unknown[], now: number, abandoned?: Pick<JobAbandoned, 'runAt' | 'error'>): number {
    return this.db
      .transaction(() => {
        const at = new Date(now).toISOString();
        const rows = this.stmt(`SELECT id, history FROM jobs WHERE status = 'running' AND ${where}`).all(...params) as Pick<
          JobRow,
          'id' | 'history'
        >[];
        for (const row of rows) {
          const history = JSON.parse(row.history) as JobAttempt[];
          const last = history[history.length - 1];
          if (last && !last.finishedAt)
            Object.assign(last, { finishedAt: at, outcome: 'abandoned', ...(abandoned ? { error: abandoned.error } : {}) });
          this.stmt(
            `UPDATE jobs SET status = 'pending', claimed_by = NULL, lease_until = NULL, claim_token = NULL, updated_at = ?, history = ?,
               attempts = MAX(0, attempts - 1), takeovers = takeovers + 1, outcome_unknown = 1, run_at = MAX(run_at, ?) WHERE id = ?`,
          ).run(at, JSON.stringify(history), abandoned?.runAt ?? 0, row.id);
          this.supersedeOlderPending(row.id, at);
        }
        return rows.length;
      })
      .immediate();
  }

  async retryFailedJobs(filter: { jobId?: string; instanceId?: string }, now: number) {
    return this.db
      .transaction(() => {
        const rows = this.stmt(
          `SELECT * FROM jobs WHERE status = 'failed' AND (? IS NULL OR id = ?) AND (? IS NULL OR instance_id = ?) ORDER BY id`,
        ).all(
          filter.jobId === undefined ? null : Number(filter.jobId),
          filter.jobId === undefined ? null : Number(filter.jobId),
          filter.instanceId ?? null,
          filter.instanceId ?? null,
        ) as JobRow[];
        const at = new Date(now).toISOString();
        const retried: JobRecord[] = [];
        for (const row of rows) {
          // A newer job of the identity carries newer state: the old failure is not replayed over it.
          const newer = this.stmt(
            `SELECT 1 FROM jobs WHERE instance_id = ? AND entity_type = ? AND local_id = ? AND id > ? AND status <> 'superseded' LIMIT 1`,
          ).get(row.instance_id, row.entity_type, row.local_id, row.id);
          if (newer) {
            this.stmt(`UPDATE jobs SET status = 'superseded', updated_at = ? WHERE id = ?`).run(at, row.id);
            continue;
          }
          this.stmt(`UPDATE jobs SET status = 'pending', attempts = 0, run_at = ?, updated_at = ? WHERE id = ?`).run(now, at, row.id);
          this.supersedeOlderPending(row.id, at);
          retried.push(toJob({ ...row, status: 'pending', attempts: 0, run_at: now, updated_at: at }));
        }
        return retried;
      })
      .immediate();
  }

  async getJob(id: string) {
    const row = this.stmt('SELECT * FROM jobs WHERE id = ?').get(Number(id)) as JobRow | undefined;
    return row && toJob(row);
  }

  async listJobs(filter: JobFilter) {
    const rows = this.stmt(
      `SELECT * FROM jobs WHERE (? IS NULL OR status = ?) AND (? IS NULL OR instance_id = ?) AND (? IS NULL OR local_id = ?) AND (? IS NULL OR id < ?)
       ORDER BY id DESC LIMIT ?`,
    ).all(
      filter.status ?? null,
      filter.status ?? null,
      filter.instanceId ?? null,
      filter.instanceId ?? null,
      filter.localId ?? null,
      filter.localId ?? null,
      filter.before === undefined ? null : Number(filter.before),
      filter.before === undefined ? null : Number(filter.before),
      filter.limit ?? 100,
    ) as JobRow[];
    return rows.map(toJob);
  }

  async jobCounts(instanceId?: string): Promise<StatusCounts> {
    const rows = this.stmt('SELECT status, COUNT(*) AS n FROM jobs WHERE (? IS NULL OR instance_id = ?) GROUP BY status').all(
      instanceId ?? null,
      instanceId ?? null,
    ) as { status: keyof StatusCounts; n: number }[];
    const counts: StatusCounts = { ...EMPTY_COUNTS };
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  async nextDueJobAt() {
    return (this.stmt(`SELECT MIN(run_at) AS at FROM jobs WHERE status = 'pending'`).get() as { at: number | null }).at ?? undefined;
  }

  /** A committed one-row write: a read-only, moved or full database file fails it, as it fails real writes. */
  async probeWrite(): Promise<void> {
    try {
      this.stmt('INSERT INTO store_heartbeat (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at').run(
        new Date().toISOString(),
      );
    } catch (error) {
      throw storageFailure(error);
    }
  }

  /** The database file's pages (the WAL not counted: it is folded in at checkpoints). */
  async storageBytes(): Promise<number> {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    return pages * size;
  }

  async close() {
    if (this.db.open) this.db.close();
  }
}
