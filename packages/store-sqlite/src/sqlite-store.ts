import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import { type EntityType } from '@provisio/core';
import {
  DEFAULT_TENANT,
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
import { migrate, MIGRATIONS } from './migrations.js';
import { SqliteAudit } from './sqlite-audit.js';
import { SqliteGuards } from './sqlite-guards.js';
import { GroupCommit, type ApplyWrite } from './sqlite-group-commit.js';
import { SqliteIdentityReads } from './sqlite-identity-reads.js';
import { SqliteIdentityWrites } from './sqlite-identity-writes.js';
import { SqliteJobQueue } from './sqlite-job-queue.js';
import { SqliteLinks } from './sqlite-links.js';
import { SqliteRetention } from './sqlite-retention.js';
import { SqliteQuarantines } from './sqlite-quarantines.js';
import { SqliteSchedules } from './sqlite-schedules.js';
import { StatementCache } from './sqlite-statements.js';
import { SqliteTargetReports } from './sqlite-target-reports.js';
import { SqliteTenants } from './sqlite-tenants.js';
import { tenantDomain } from './tenant-domain.js';
import { WalSync } from './wal-sync.js';

export interface SqliteStoreOptions {
  /** Database file; `:memory:` for a throwaway store. Its folder is created if missing. */
  path: string;
  /**
   * `full` (default): every commit is fsynced before it is acknowledged.
   * `normal`: survives a process crash but may lose the last commits on power loss (faster).
   */
  synchronous?: 'full' | 'normal';
  /**
   * The tenant the opened store is bound to (see Store.forTenant), and the one the tenants migration
   * assigns the rows of an older file to. Default: DEFAULT_TENANT.
   */
  defaultTenant?: string;
}

/** What the tenant views of one file share: the connection, its statements, the group commit, and each other. */
interface SqliteFile {
  db: Db;
  statements: StatementCache;
  commits: GroupCommit;
  /** Syncs the log for the group commit (synchronous FULL on a file); undefined otherwise. */
  walSync: WalSync | undefined;
  tenants: SqliteTenants;
  /** The file's own `PRAGMA synchronous` level, restored after each prune. */
  synchronous: number;
  views: Map<string, SqliteStore>;
}

/**
 * The embedded store. One process owns the file (exclusive locking): a second
 * Provisio pointed at the same file fails at start instead of corrupting jobs.
 * better-sqlite3 is synchronous; every port method runs one statement or one
 * transaction, so the async API never interleaves partial writes.
 *
 * A store is bound to one tenant: every statement of its methods names it. `forTenant`
 * gives the view of another tenant on the same connection; closing the opened store closes them all.
 */
export class SqliteStore implements Store {
  /**
   * A prune batch runs on the event loop, so every SCIM request in flight waits behind it:
   * about 50 jobs (2 ms) at a time keeps their p99 within 1.5× while 100,000 are pruned
   * (docs/benchmarks.md, retention).
   */
  readonly retentionBatchMs = 2;
  /** One connection's group commit applies the writes of a batch in the order commit was called. */
  readonly commitsInCallOrder = true;
  private readonly reads: SqliteIdentityReads;
  private readonly links: SqliteLinks;
  private readonly audit: SqliteAudit;
  /** This view's writes, as the shared group commit applies them. */
  private readonly applyWrite: ApplyWrite;
  private readonly retention: SqliteRetention;
  private readonly guards: SqliteGuards;
  readonly quarantines: SqliteQuarantines;
  readonly schedules: SqliteSchedules;
  private readonly reports: SqliteTargetReports;
  private readonly jobs: SqliteJobQueue;

  private constructor(
    private readonly file: SqliteFile,
    /** The tenant every statement of this store names. */
    readonly tenant: string,
    /** The store `open` returned: the only one whose close() closes the file. */
    private readonly opened: boolean,
  ) {
    const { db, statements } = file;
    this.reads = new SqliteIdentityReads(statements, tenant);
    this.links = new SqliteLinks(statements, tenant);
    this.audit = new SqliteAudit(statements, tenant);
    this.retention = new SqliteRetention(statements, db, tenant, file.synchronous);
    this.guards = new SqliteGuards(statements, tenant, this.audit);
    this.quarantines = new SqliteQuarantines(statements, tenant);
    this.schedules = new SqliteSchedules(statements, tenant);
    this.jobs = new SqliteJobQueue(db, statements, tenant, this.links);
    const writes = new SqliteIdentityWrites(
      statements,
      tenant,
      this.audit,
      (job, now, held) => this.jobs.enqueue(job, now, held),
      this.guards,
      (link) => this.links.put(link),
    );
    this.applyWrite = (write, now) => writes.apply(write, now);
    this.reports = new SqliteTargetReports(statements, tenant);
    file.views.set(tenant, this);
  }

  static open(options: SqliteStoreOptions): SqliteStore {
    const defaultTenant = tenantDomain(options.defaultTenant ?? DEFAULT_TENANT, 'defaultTenant');
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const db = new Database(options.path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      db.pragma('foreign_keys = ON');
      // Index lookups over a large identity table stay in memory: a 64 MB page cache. No mmap: every page
      // a read touches (and the kernel's read-around) would stay mapped in this process, up to the whole file
      // (a drain of 100,000 users touches ~250 MB of it); read() leaves those pages to the kernel's cache.
      db.pragma('cache_size = -65536');
      db.pragma('mmap_size = 0');
      // Checkpoint the WAL in larger steps: fewer, longer sequential copies instead of frequent random ones.
      db.pragma('wal_autocheckpoint = 10000');
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('busy_timeout = 0');
      migrate(db, MIGRATIONS, { defaultTenant });
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
    const statements = new StatementCache(db);
    const synchronous = db.pragma('synchronous', { simple: true }) as number;
    // FULL on a file: identity commits sync the log off the event loop (WalSync) before they are answered.
    const walSync = synchronous >= 2 && options.path !== ':memory:' ? new WalSync(`${options.path}-wal`) : undefined;
    const file: SqliteFile = {
      db,
      statements,
      commits: new GroupCommit(db, walSync),
      walSync,
      tenants: new SqliteTenants(db, statements),
      synchronous,
      views: new Map(),
    };
    return new SqliteStore(file, defaultTenant, true);
  }

  // --- tenants ---

  /** The view of `tenant` (a lowercase DNS name) on this file; one per tenant, made on first use. */
  forTenant(tenant: string): Store {
    return this.file.views.get(tenant) ?? new SqliteStore(this.file, tenantDomain(tenant, 'tenant'), false);
  }

  async tenantsWithData(): Promise<string[]> {
    return this.file.tenants.withData();
  }

  async purgeTenant(): Promise<number> {
    return this.file.tenants.purge(this.tenant);
  }

  private stmt(sql: string): Statement {
    return this.file.statements.get(sql);
  }

  // --- identities ---

  /** One IdentityWrite, durable when the promise resolves (see GroupCommit). */
  commit(write: IdentityWrite): Promise<CommitReceipt> {
    return this.file.commits.commit(write, this.applyWrite);
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

  getGroupSummary(id: string) {
    return this.reads.getGroupSummary(id);
  }

  findGroupMembers(groupId: string, values: readonly string[]) {
    return this.reads.findGroupMembers(groupId, values);
  }

  groupsOfMember(memberId: string) {
    return this.reads.groupsOfMember(memberId);
  }

  groupSummariesOfMember(memberId: string) {
    return this.reads.groupSummariesOfMember(memberId);
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
    return this.file.db.transaction(() => this.guards.resolve(instanceId, decision, now, audit)).immediate();
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

  /** One process owns the file, so every job of this tenant still running belonged to a process that died. */
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

  /** A committed one-row write (of the file, not of a tenant): a read-only, moved or full database file fails it, as it fails real writes. */
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
    const pages = this.file.db.pragma('page_count', { simple: true }) as number;
    const size = this.file.db.pragma('page_size', { simple: true }) as number;
    return pages * size;
  }

  /** Closes the file, for every tenant's view, when this is the store `open` returned; a view's close does nothing. */
  async close() {
    if (!this.opened || !this.file.db.open) return;
    const { db, walSync } = this.file;
    // Commits whose log sync is under way are answered first; closing the file then checkpoints and removes the log.
    // With none under way the file closes at once, before close() returns its promise.
    if (walSync && !walSync.idle) await walSync.settled();
    if (db.open) db.close();
    await walSync?.close();
  }
}
