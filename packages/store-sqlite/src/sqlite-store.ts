import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import { type EntityType } from '@provisio/core';
import {
  type AuditPruneFilter,
  type AuditEntry,
  type ClaimOptions,
  type CommitReceipt,
  type GuardDecision,
  type IdentityWrite,
  type JobAbandoned,
  type JobFailed,
  type JobFilter,
  type JobPruneFilter,
  type JobRetry,
  type JobSucceeded,
  type Store,
  type IdentityQuery,
  type TargetReportKind,
  type TargetReportRecord,
} from '@provisio/core/engine';
import { storageFailure } from './storage-failure.js';
import { migrate } from './migrations.js';
import { SqliteAudit } from './sqlite-audit.js';
import { SqliteGuards } from './sqlite-guards.js';
import { GroupCommit } from './sqlite-group-commit.js';
import { SqliteIdentityReads } from './sqlite-identity-reads.js';
import { SqliteIdentityWrites } from './sqlite-identity-writes.js';
import { SqliteJobQueue } from './sqlite-job-queue.js';
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
  private readonly jobs: SqliteJobQueue;

  private constructor(private readonly db: Db) {
    this.statements = new StatementCache(db);
    this.reads = new SqliteIdentityReads(this.statements);
    this.links = new SqliteLinks(this.statements);
    this.audit = new SqliteAudit(this.statements);
    this.retention = new SqliteRetention(this.statements, db, db.pragma('synchronous', { simple: true }) as number);
    this.guards = new SqliteGuards(this.statements, this.audit);
    this.quarantines = new SqliteQuarantines(this.statements);
    this.schedules = new SqliteSchedules(this.statements);
    this.jobs = new SqliteJobQueue(db, this.statements, this.links);
    const writes = new SqliteIdentityWrites(
      this.statements,
      this.audit,
      (job, now, held) => this.jobs.enqueue(job, now, held),
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

  async claimJobs(options: ClaimOptions) {
    return this.jobs.claim(options);
  }

  async completeJob(outcome: JobSucceeded) {
    this.jobs.complete(outcome);
  }

  async retryJobLater(outcome: JobRetry) {
    this.jobs.retryLater(outcome);
  }

  async failJob(outcome: JobFailed) {
    this.jobs.fail(outcome);
  }

  async abandonClaim(outcome: JobAbandoned) {
    this.jobs.abandon(outcome);
  }

  async releaseExpiredJobs(now: number, graceMs = 0) {
    return this.jobs.releaseExpired(now, graceMs);
  }

  /** One process owns the file, so every job still running belonged to a process that died. */
  async recoverAbandonedJobs(now: number) {
    return this.jobs.recoverAbandoned(now);
  }

  async extendLeases(workerId: string, leaseUntil: number) {
    return this.jobs.extendLeases(workerId, leaseUntil);
  }

  async releaseJobsOf(workerId: string) {
    return this.jobs.releaseJobsOf(workerId);
  }

  async retryFailedJobs(filter: { jobId?: string; instanceId?: string }, now: number) {
    return this.jobs.retryFailed(filter, now);
  }

  async getJob(id: string) {
    return this.jobs.get(id);
  }

  async listJobs(filter: JobFilter) {
    return this.jobs.list(filter);
  }

  async jobCounts(instanceId?: string) {
    return this.jobs.counts(instanceId);
  }

  async nextDueJobAt() {
    return this.jobs.nextDueAt();
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
