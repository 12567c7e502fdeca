import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Database as Db, type Statement, type Transaction } from 'better-sqlite3';
import {
  EMPTY_COUNTS,
  StoreConflictError,
  type ClaimOptions,
  type EntityType,
  type IdentityWrite,
  type JobAttempt,
  type JobFailed,
  type JobFilter,
  type JobRecord,
  type JobRetry,
  type JobSucceeded,
  type LinkRecord,
  type NewJob,
  type StatusCounts,
  type Store,
  type IdentityQuery,
  type QueryPage,
  type UserRecord,
  type GroupRecord,
  userFilterDocument,
  groupFilterDocument,
  lowerText,
} from '@provisio/core';
import { emailRows, migrate } from './migrations.js';
import { runIdentityQuery } from './sqlite-identity-query.js';
import { storageFailure } from './storage-failure.js';
import { GROUP_TABLE, USER_TABLE } from './sql-filter.js';
import { linkParams, toAudit, toGroup, toJob, toLink, toUser, type AuditRow, type GroupRow, type JobRow, type LinkRow, type MemberRow, type UserRow } from './rows.js';

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
/** How long a write may wait for others to share its fsync, when writes are arriving back to back. */
const GROUP_COMMIT_WINDOW_MS = 1;

export class SqliteStore implements Store {
  private readonly statements = new Map<string, Statement>();
  /** Statements of list queries, whose SQL depends on the filter's shape: bounded, oldest dropped. */
  private readonly queryStatements = new Map<string, Statement>();

  private constructor(private readonly db: Db) {
    this.applyWrite = db.transaction((write: IdentityWrite, now: number) => this.applyIdentityWrite(write, now));
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
        throw new Error(`the database ${options.path} is in use by another process; the SQLite store serves one Provisio process (use PostgreSQL to run several)`);
      }
      throw error;
    }
    return new SqliteStore(db);
  }

  private stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private queryStmt(sql: string): Statement {
    let statement = this.queryStatements.get(sql);
    if (statement) return statement;
    statement = this.db.prepare(sql);
    if (this.queryStatements.size >= 256) this.queryStatements.delete(this.queryStatements.keys().next().value as string);
    this.queryStatements.set(sql, statement);
    return statement;
  }

  // --- identities ---

  /**
   * Group commit: writes that arrive in the same turn of the event loop share
   * one transaction and one fsync. Each runs in its own savepoint, so one
   * write's conflict rolls back that write only; every caller is answered
   * after the COMMIT, i.e. only once its write is durable.
   */
  commit(write: IdentityWrite): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pendingCommits.push({ write, resolve, reject });
      if (this.pendingCommits.length !== 1) return;
      // Under concurrent load (the last flush just ended and carried several writes) wait a moment so
      // that more writes share the fsync. A lone sequential writer never waits: its batches are of one.
      if (this.lastBatchSize > 1 && performance.now() - this.lastFlushEnded < GROUP_COMMIT_WINDOW_MS) setTimeout(() => this.flushCommits(), GROUP_COMMIT_WINDOW_MS);
      else setImmediate(() => this.flushCommits());
    });
  }

  private readonly pendingCommits: { write: IdentityWrite; resolve: () => void; reject: (error: unknown) => void }[] = [];

  private lastFlushEnded = -Infinity;
  private lastBatchSize = 0;

  private flushCommits(): void {
    const batch = this.pendingCommits.splice(0);
    this.lastBatchSize = batch.length;
    try {
      this.flushBatch(batch);
    } finally {
      this.lastFlushEnded = performance.now();
    }
  }

  private flushBatch(batch: SqliteStore['pendingCommits']): void {
    const errors: unknown[] = [];
    try {
      this.db
        .transaction(() => {
          for (const item of batch) {
            try {
              // A nested transaction is a savepoint: it undoes just this write on error.
              this.applyWrite.default(item.write, Date.now());
              errors.push(undefined);
            } catch (error) {
              errors.push(error);
            }
          }
        })
        .immediate();
    } catch (error) {
      // The COMMIT itself failed (disk full, read-only file): nothing of the batch is durable.
      for (const item of batch) item.reject(storageFailure(error));
      return;
    }
    batch.forEach((item, index) => (errors[index] === undefined ? item.resolve() : item.reject(storageFailure(errors[index]))));
  }

  /** One write as a nested transaction (a savepoint inside the group commit). */
  private readonly applyWrite: Transaction<(write: IdentityWrite, now: number) => void>;

  private applyIdentityWrite(write: IdentityWrite, now: number): void {
    this.checkVersions('user', 'users', write.expectedUserVersions);
    this.checkVersions('group', 'groups', write.expectedGroupVersions);
    for (const id of write.deleteUsers ?? []) {
      this.stmt('DELETE FROM users WHERE id = ?').run(id);
      this.stmt('DELETE FROM pending_passwords WHERE user_id = ?').run(id);
    }
    for (const user of write.putUsers ?? []) this.putUser(user);
    for (const id of write.deleteGroups ?? []) this.stmt('DELETE FROM groups WHERE id = ?').run(id);
    for (const group of write.putGroups ?? []) {
      this.unique('group', group.id, () =>
        this.stmt(
          `INSERT INTO groups (id, display_name, display_name_lower, external_id, resource, version, created_at, updated_at)
           VALUES (@id, @display_name, @display_name_lower, @external_id, @resource, @version, @created_at, @updated_at)
           ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name, display_name_lower = excluded.display_name_lower, external_id = excluded.external_id, resource = excluded.resource,
             version = excluded.version, updated_at = excluded.updated_at`,
        ).run({
          id: group.id,
          display_name: group.displayName,
          display_name_lower: group.displayName.toLowerCase(),
          external_id: group.externalId ?? null,
          resource: JSON.stringify(group.resource),
          version: group.version,
          created_at: group.createdAt,
          updated_at: group.updatedAt,
        }),
      `displayName "${group.displayName}" is already taken`);
      this.stmt('DELETE FROM group_members WHERE group_id = ?').run(group.id);
      const insert = this.stmt('INSERT INTO group_members (group_id, member_id, position, display, type) VALUES (?, ?, ?, ?, ?)');
      group.members.forEach((m, position) => insert.run(group.id, m.value, position, m.display ?? null, m.type ?? null));
    }
    for (const { userId, sealed } of write.pendingPasswords ?? []) {
      this.stmt('INSERT INTO pending_passwords (user_id, sealed) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET sealed = excluded.sealed').run(userId, sealed);
    }
    for (const job of write.jobs ?? []) this.enqueue(job, now);
    for (const entry of write.audit ?? []) {
      this.stmt('INSERT INTO audit (at, actor, action, entity_type, entity_id, details) VALUES (?, ?, ?, ?, ?, ?)').run(
        entry.at,
        entry.actor,
        entry.action,
        entry.entityType,
        entry.entityId,
        entry.details === undefined ? null : JSON.stringify(entry.details),
      );
    }
  }

  /** Writes one user and its email index rows; an update touches only what changed. */
  private putUser(user: UserRecord): void {
    const params = {
      id: user.id,
      user_name: user.userName,
      user_name_lower: user.userName.toLowerCase(),
      external_id: user.externalId ?? null,
      active: user.active ? 1 : 0,
      resource: JSON.stringify(user.resource),
      version: user.version,
      created_at: user.createdAt,
      updated_at: user.updatedAt,
      password_hash: user.passwordHash ?? null,
      display_name_lower: lowerText(user.resource.displayName),
    };
    let existed = false;
    this.unique('user', user.id, () => {
      // The common case is a change to an existing user: a plain UPDATE that sets the indexed
      // columns only when they changed, so their indexes are not rewritten for nothing.
      const before = user.version > 1 ? (this.stmt('SELECT user_name, user_name_lower, external_id, display_name_lower, active FROM users WHERE id = ?').get(user.id) as Record<string, unknown> | undefined) : undefined;
      if (before) {
        const indexed = (['user_name', 'user_name_lower', 'external_id', 'display_name_lower', 'active'] as const).filter((column) => before[column] !== params[column]);
        const sets = ['resource = @resource', 'version = @version', 'updated_at = @updated_at', 'password_hash = @password_hash', ...indexed.map((column) => `${column} = @${column}`)];
        this.stmt(`UPDATE users SET ${sets.join(', ')} WHERE id = @id`).run(params);
        existed = true;
      }
      if (!existed) {
        this.stmt(
          `INSERT INTO users (id, user_name, user_name_lower, external_id, active, resource, version, created_at, updated_at, password_hash, display_name_lower)
           VALUES (@id, @user_name, @user_name_lower, @external_id, @active, @resource, @version, @created_at, @updated_at, @password_hash, @display_name_lower)
           ON CONFLICT(id) DO UPDATE SET user_name = excluded.user_name, user_name_lower = excluded.user_name_lower, external_id = excluded.external_id,
             display_name_lower = excluded.display_name_lower,
             active = excluded.active, resource = excluded.resource, version = excluded.version, updated_at = excluded.updated_at, password_hash = excluded.password_hash`,
        ).run(params);
      }
    }, `userName "${user.userName}" is already taken`);
    const emails = emailRows(user.resource);
    if (existed) {
      // Reading the few index rows is cheaper than rewriting them when the emails did not change.
      const current = this.stmt('SELECT value_lower AS value, type_lower AS type, is_primary AS "primary" FROM user_emails WHERE user_id = ? ORDER BY position').all(user.id);
      if (JSON.stringify(current) === JSON.stringify(emails)) return;
    }
    this.stmt('DELETE FROM user_emails WHERE user_id = ?').run(user.id);
    const insertEmail = this.stmt('INSERT INTO user_emails (user_id, position, value_lower, type_lower, is_primary) VALUES (?, ?, ?, ?, ?)');
    emails.forEach((e, position) => insertEmail.run(user.id, position, e.value, e.type, e.primary));
  }

  private checkVersions(entityType: EntityType, table: 'users' | 'groups', expected: Record<string, number> | undefined): void {
    for (const [id, version] of Object.entries(expected ?? {})) {
      const row = this.stmt(`SELECT version FROM ${table} WHERE id = ?`).get(id) as { version: number } | undefined;
      const current = row?.version ?? 0;
      if (current !== version) throw new StoreConflictError('version', `${entityType} ${id} is at version ${current}, not ${version}`, entityType, id);
    }
  }

  private unique(entityType: EntityType, id: string, run: () => unknown, message: string): void {
    try {
      run();
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new StoreConflictError('uniqueness', message, entityType, id);
      throw error;
    }
  }

  private enqueue(job: NewJob, now: number): void {
    const at = new Date(now).toISOString();
    this.stmt(`UPDATE jobs SET status = 'superseded', updated_at = ? WHERE instance_id = ? AND entity_type = ? AND local_id = ? AND status = 'pending'`).run(at, job.instanceId, job.entityType, job.localId);
    this.stmt(
      `INSERT INTO jobs (instance_id, entity_type, local_id, action, reason, status, attempts, max_attempts, run_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)`,
    ).run(job.instanceId, job.entityType, job.localId, job.action, job.reason, job.maxAttempts, job.runAt ?? now, at, at);
  }

  async getUser(id: string) {
    const row = this.stmt('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  async getUserByUserName(userName: string) {
    const row = this.stmt('SELECT * FROM users WHERE user_name_lower = ?').get(userName.toLowerCase()) as UserRow | undefined;
    return row && toUser(row);
  }

  async getGroup(id: string) {
    const row = this.stmt('SELECT * FROM groups WHERE id = ?').get(id) as GroupRow | undefined;
    return row && toGroup(row, this.members(id));
  }

  private members(groupId: string): MemberRow[] {
    return this.stmt('SELECT member_id, display, type FROM group_members WHERE group_id = ? ORDER BY position').all(groupId) as MemberRow[];
  }

  async groupsOfMember(memberId: string) {
    const rows = this.stmt('SELECT g.* FROM groups g JOIN group_members m ON m.group_id = g.id WHERE m.member_id = ? ORDER BY g.id').all(memberId) as GroupRow[];
    return rows.map((row) => toGroup(row, this.members(row.id)));
  }

  async listUserIds(afterId: string | undefined, limit: number) {
    return (this.stmt('SELECT id FROM users WHERE id > ? ORDER BY id LIMIT ?').all(afterId ?? '', limit) as { id: string }[]).map((r) => r.id);
  }

  async listGroupIds(afterId: string | undefined, limit: number) {
    return (this.stmt('SELECT id FROM groups WHERE id > ? ORDER BY id LIMIT ?').all(afterId ?? '', limit) as { id: string }[]).map((r) => r.id);
  }

  // --- links ---

  async queryUsers(query: IdentityQuery): Promise<QueryPage<UserRecord>> {
    return runIdentityQuery<UserRow, UserRecord>(
      {
        table: USER_TABLE,
        prepare: (sql) => this.queryStmt(sql),
        toRecord: toUser,
        document: (user, withGroups) => userFilterDocument(user, withGroups ? this.groupRowsOf(user.id) : []),
      },
      query,
    );
  }

  async queryGroups(query: IdentityQuery): Promise<QueryPage<GroupRecord>> {
    return runIdentityQuery<GroupRow, GroupRecord>(
      { table: GROUP_TABLE, prepare: (sql) => this.queryStmt(sql), toRecord: (row) => toGroup(row, this.members(row.id)), document: (group) => groupFilterDocument(group) },
      query,
    );
  }

  private groupRowsOf(memberId: string): GroupRecord[] {
    const rows = this.stmt('SELECT g.* FROM groups g JOIN group_members m ON m.group_id = g.id WHERE m.member_id = ? ORDER BY g.id').all(memberId) as GroupRow[];
    return rows.map((row) => toGroup(row, this.members(row.id)));
  }

  async getLink(instanceId: string, entityType: EntityType, localId: string) {
    const row = this.stmt('SELECT * FROM links WHERE instance_id = ? AND entity_type = ? AND local_id = ?').get(instanceId, entityType, localId) as LinkRow | undefined;
    return row && toLink(row);
  }

  async linksOf(entityType: EntityType, localId: string) {
    return (this.stmt('SELECT * FROM links WHERE entity_type = ? AND local_id = ? ORDER BY instance_id').all(entityType, localId) as LinkRow[]).map(toLink);
  }

  async linksFor(instanceId: string, entityType: EntityType, localIds: readonly string[]) {
    if (localIds.length === 0) return [];
    const rows = this.stmt("SELECT * FROM links WHERE instance_id = ? AND entity_type = ? AND local_id IN (SELECT value FROM json_each(?))").all(instanceId, entityType, JSON.stringify(localIds)) as LinkRow[];
    return rows.map(toLink);
  }

  private putLink(link: LinkRecord): void {
    this.stmt(
      `INSERT INTO links (instance_id, entity_type, local_id, remote_id, remote_name, status, last_error, last_synced_at, synced_attributes, synced_members, remote_active)
       VALUES (@instance_id, @entity_type, @local_id, @remote_id, @remote_name, @status, @last_error, @last_synced_at, @synced_attributes, @synced_members, @remote_active)
       ON CONFLICT(instance_id, entity_type, local_id) DO UPDATE SET remote_id = excluded.remote_id, remote_name = excluded.remote_name, status = excluded.status,
         last_error = excluded.last_error, last_synced_at = excluded.last_synced_at, synced_attributes = excluded.synced_attributes,
         synced_members = excluded.synced_members, remote_active = excluded.remote_active`,
    ).run(linkParams(link));
  }

  async pendingPassword(userId: string) {
    return (this.stmt('SELECT sealed FROM pending_passwords WHERE user_id = ?').get(userId) as { sealed: string } | undefined)?.sealed;
  }

  // --- job queue ---

  async claimJobs(options: ClaimOptions) {
    const claim = this.db.transaction(() => {
      const at = new Date(options.now).toISOString();
      const claimed: JobRecord[] = [];
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
          this.stmt(`UPDATE jobs SET status = 'running', attempts = attempts + 1, claimed_by = ?, lease_until = ?, updated_at = ?, history = ? WHERE id = ?`).run(
            options.workerId,
            options.now + options.leaseMs,
            at,
            JSON.stringify(history),
            row.id,
          );
          claimed.push(toJob({ ...row, status: 'running', attempts: row.attempts + 1, claimed_by: options.workerId, lease_until: options.now + options.leaseMs, updated_at: at, history: JSON.stringify(history) }));
        }
      }
      return claimed;
    });
    return claim.immediate();
  }

  private finish(jobId: string, now: number, status: JobRecord['status'], attempt: Partial<JobAttempt>, extra: { runAt?: number; error?: string; errorKind?: string }, link?: LinkRecord): JobRow {
    const row = this.stmt('SELECT * FROM jobs WHERE id = ?').get(Number(jobId)) as JobRow | undefined;
    if (!row) throw new Error(`job ${jobId} does not exist`);
    const at = new Date(now).toISOString();
    const history = JSON.parse(row.history) as JobAttempt[];
    const last = history[history.length - 1];
    if (last) Object.assign(last, { finishedAt: at, ...attempt });
    this.stmt(
      `UPDATE jobs SET status = ?, claimed_by = NULL, lease_until = NULL, updated_at = ?, history = ?, run_at = COALESCE(?, run_at),
         last_error = COALESCE(?, last_error), last_error_kind = COALESCE(?, last_error_kind) WHERE id = ?`,
    ).run(status, at, JSON.stringify(history), extra.runAt ?? null, extra.error ?? null, extra.errorKind ?? null, row.id);
    if (link) this.putLink(link);
    return row;
  }

  private dropPasswordIfDone(row: JobRow): void {
    if (row.entity_type !== 'user') return;
    this.stmt(
      `DELETE FROM pending_passwords WHERE user_id = ? AND NOT EXISTS
         (SELECT 1 FROM jobs WHERE entity_type = 'user' AND local_id = ? AND status IN ('pending', 'running'))`,
    ).run(row.local_id, row.local_id);
  }

  async completeJob(outcome: JobSucceeded) {
    this.db.transaction(() => {
      const row = this.finish(outcome.jobId, outcome.now, 'succeeded', { outcome: 'succeeded' }, {}, outcome.link);
      for (const next of outcome.followUps ?? []) this.enqueue(next, outcome.now);
      this.dropPasswordIfDone(row);
    }).immediate();
  }

  async retryJobLater(outcome: JobRetry) {
    this.db.transaction(() => {
      this.finish(outcome.jobId, outcome.now, 'pending', { outcome: 'retry', error: outcome.error, errorKind: outcome.errorKind }, { runAt: outcome.runAt, error: outcome.error, errorKind: outcome.errorKind }, outcome.link);
    }).immediate();
  }

  async failJob(outcome: JobFailed) {
    this.db.transaction(() => {
      const row = this.finish(outcome.jobId, outcome.now, 'failed', { outcome: 'failed', error: outcome.error, errorKind: outcome.errorKind }, { error: outcome.error, errorKind: outcome.errorKind }, outcome.link);
      this.dropPasswordIfDone(row);
    }).immediate();
  }

  async releaseExpiredJobs(now: number) {
    return this.stmt(`UPDATE jobs SET status = 'pending', claimed_by = NULL, lease_until = NULL, updated_at = ? WHERE status = 'running' AND lease_until < ?`).run(new Date(now).toISOString(), now).changes;
  }

  /** One process owns the file, so every job still running belonged to a process that died. */
  async recoverAbandonedJobs(now: number) {
    return this.stmt(`UPDATE jobs SET status = 'pending', claimed_by = NULL, lease_until = NULL, updated_at = ? WHERE status = 'running'`).run(new Date(now).toISOString()).changes;
  }

  async extendLeases(workerId: string, leaseUntil: number) {
    return this.stmt(`UPDATE jobs SET lease_until = ? WHERE status = 'running' AND claimed_by = ?`).run(leaseUntil, workerId).changes;
  }

  async releaseJobsOf(workerId: string) {
    return this.stmt(`UPDATE jobs SET status = 'pending', claimed_by = NULL, lease_until = NULL, updated_at = ? WHERE status = 'running' AND claimed_by = ?`).run(new Date().toISOString(), workerId).changes;
  }

  async retryFailedJobs(filter: { jobId?: string; instanceId?: string }, now: number) {
    return this.db
      .transaction(() => {
        const rows = this.stmt(`SELECT * FROM jobs WHERE status = 'failed' AND (? IS NULL OR id = ?) AND (? IS NULL OR instance_id = ?) ORDER BY id`).all(
          filter.jobId === undefined ? null : Number(filter.jobId),
          filter.jobId === undefined ? null : Number(filter.jobId),
          filter.instanceId ?? null,
          filter.instanceId ?? null,
        ) as JobRow[];
        const at = new Date(now).toISOString();
        return rows.map((row) => {
          this.stmt(`UPDATE jobs SET status = 'superseded', updated_at = ? WHERE instance_id = ? AND entity_type = ? AND local_id = ? AND status = 'pending'`).run(at, row.instance_id, row.entity_type, row.local_id);
          this.stmt(`UPDATE jobs SET status = 'pending', attempts = 0, run_at = ?, updated_at = ? WHERE id = ?`).run(now, at, row.id);
          return toJob({ ...row, status: 'pending', attempts: 0, run_at: now, updated_at: at });
        });
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
    const rows = this.stmt('SELECT status, COUNT(*) AS n FROM jobs WHERE (? IS NULL OR instance_id = ?) GROUP BY status').all(instanceId ?? null, instanceId ?? null) as { status: keyof StatusCounts; n: number }[];
    const counts: StatusCounts = { ...EMPTY_COUNTS };
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  async nextDueJobAt() {
    return (this.stmt(`SELECT MIN(run_at) AS at FROM jobs WHERE status = 'pending'`).get() as { at: number | null }).at ?? undefined;
  }

  async listAudit(options: { entityId?: string; limit?: number; beforeSeq?: number }) {
    const rows = this.stmt('SELECT * FROM audit WHERE (? IS NULL OR entity_id = ?) AND (? IS NULL OR seq < ?) ORDER BY seq DESC LIMIT ?').all(
      options.entityId ?? null,
      options.entityId ?? null,
      options.beforeSeq ?? null,
      options.beforeSeq ?? null,
      options.limit ?? 100,
    ) as AuditRow[];
    return rows.map(toAudit);
  }

  async close() {
    if (this.db.open) this.db.close();
  }
}
