import { randomUUID } from 'node:crypto';
import type { Database as Db, Statement } from 'better-sqlite3';
import {
  EMPTY_COUNTS,
  StaleClaimError,
  type ClaimedJob,
  type ClaimOptions,
  type JobAbandoned,
  type JobAttempt,
  type JobFailed,
  type JobFilter,
  type JobRecord,
  type JobRetry,
  type JobSucceeded,
  type NewJob,
  type StatusCounts,
} from '@provisio/core/engine';
import { assertCurrentClaim, finishedJobColumns, recordedOutcome, type ClaimOutcome, type RecordedOutcome } from '@provisio/store-sql';
import { toJob, type JobRow } from './rows.js';
import type { SqliteLinks } from './sqlite-links.js';
import type { StatementCache } from './sqlite-statements.js';

/**
 * The job-queue part of the Store port on SQLite, for one tenant: jobs are rows of `jobs`, claimed and
 * finished in short IMMEDIATE transactions. One process owns the file, so a claim needs
 * no lock beyond the transaction. Every statement names the tenant: another tenant's job is not found.
 */
export class SqliteJobQueue {
  constructor(
    private readonly db: Db,
    private readonly statements: StatementCache,
    private readonly tenant: string,
    private readonly links: SqliteLinks,
  ) {}

  private stmt(sql: string): Statement {
    return this.statements.get(sql);
  }

  /** Records a job (`held`: the accidental-deletion guard holds it); inside the caller's transaction. */
  enqueue(job: NewJob, now: number, held = false): void {
    const at = new Date(now).toISOString();
    const { lastInsertRowid } = this.stmt(
      `INSERT INTO jobs (tenant, instance_id, entity_type, local_id, action, reason, status, attempts, max_attempts, run_at, created_at, updated_at, last_known, request_id, guard_counted)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      this.tenant,
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
    const pair = this.stmt('SELECT instance_id, entity_type, local_id FROM jobs WHERE id = ? AND tenant = ?').get(
      jobId,
      this.tenant,
    ) as Pick<JobRow, 'instance_id' | 'entity_type' | 'local_id'>;
    const pending = this.stmt(
      `SELECT id, outcome_unknown, history FROM jobs WHERE tenant = ? AND instance_id = ? AND entity_type = ? AND local_id = ? AND status IN ('pending', 'held') ORDER BY id`,
    ).all(this.tenant, pair.instance_id, pair.entity_type, pair.local_id) as Pick<JobRow, 'id' | 'outcome_unknown' | 'history'>[];
    if (pending.length < 2) return;
    const newest = pending[pending.length - 1];
    const older = pending.slice(0, -1);
    for (const row of older)
      this.stmt(`UPDATE jobs SET status = 'superseded', updated_at = ? WHERE id = ? AND tenant = ?`).run(at, row.id, this.tenant);
    if (older.some((row) => row.outcome_unknown || row.history !== '[]'))
      this.stmt('UPDATE jobs SET outcome_unknown = 1 WHERE id = ? AND tenant = ?').run(newest.id, this.tenant);
  }

  claim(options: ClaimOptions): ClaimedJob[] {
    const claim = this.db.transaction(() => {
      const at = new Date(options.now).toISOString();
      const claimed: ClaimedJob[] = [];
      for (const [instanceId, slots] of Object.entries(options.slots)) {
        if (slots <= 0) continue;
        const rows = this.stmt(
          `SELECT * FROM jobs j WHERE j.tenant = ? AND j.instance_id = ? AND j.status = 'pending' AND j.run_at <= ?
             AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.tenant = j.tenant AND r.instance_id = j.instance_id AND r.entity_type = j.entity_type
               AND r.local_id = j.local_id AND r.status = 'running')
           ORDER BY j.run_at, j.id LIMIT ?`,
        ).all(this.tenant, instanceId, options.now, slots * 2) as JobRow[];
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
            `UPDATE jobs SET status = 'running', attempts = attempts + 1, claimed_by = ?, lease_until = ?, updated_at = ?, history = ?, claim_token = ? WHERE id = ? AND tenant = ?`,
          ).run(options.workerId, options.now + options.leaseMs, at, JSON.stringify(history), claimToken, row.id, this.tenant);
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

  private finish(outcome: ClaimOutcome, recorded: RecordedOutcome): JobRow {
    const row = this.stmt('SELECT * FROM jobs WHERE id = ? AND tenant = ?').get(Number(outcome.jobId), this.tenant) as JobRow | undefined;
    assertCurrentClaim(row, outcome);
    // An outcome was recorded: what the remote holds is known again.
    this.stmt(
      `UPDATE jobs SET status = ?, claimed_by = NULL, lease_until = NULL, claim_token = NULL, outcome_unknown = 0, updated_at = ?, history = ?, run_at = COALESCE(?, run_at),
         last_error = COALESCE(?, last_error), last_error_kind = COALESCE(?, last_error_kind) WHERE id = ? AND tenant = ?`,
    ).run(...finishedJobColumns(JSON.parse(row.history) as JobAttempt[], outcome.now, recorded), row.id, this.tenant);
    if (outcome.link) this.links.put(outcome.link);
    return row;
  }

  /** The completed job's target has the password, unless a newer job of it (planned with a newer password) is still to run. */
  private passwordDelivered(row: JobRow): void {
    if (row.entity_type !== 'user') return;
    this.stmt(
      `UPDATE pending_passwords SET awaiting = (SELECT json_group_array(a.value) FROM json_each(pending_passwords.awaiting) a WHERE a.value <> ?)
       WHERE tenant = ? AND user_id = ? AND EXISTS (SELECT 1 FROM json_each(pending_passwords.awaiting) WHERE value = ?)
         AND NOT EXISTS (SELECT 1 FROM jobs WHERE tenant = ? AND instance_id = ? AND entity_type = 'user' AND local_id = ? AND status = 'pending')`,
    ).run(row.instance_id, this.tenant, row.local_id, row.instance_id, this.tenant, row.instance_id, row.local_id);
    this.stmt(`DELETE FROM pending_passwords WHERE tenant = ? AND user_id = ? AND awaiting = '[]'`).run(this.tenant, row.local_id);
  }

  complete(outcome: JobSucceeded): void {
    this.db
      .transaction(() => {
        const row = this.finish(outcome, recordedOutcome.succeeded(outcome));
        for (const next of outcome.followUps ?? []) this.enqueue(next, outcome.now);
        this.passwordDelivered(row);
      })
      .immediate();
  }

  retryLater(outcome: JobRetry): void {
    this.db
      .transaction(() => {
        const row = this.finish(outcome, recordedOutcome.retry(outcome));
        this.supersedeOlderPending(row.id, new Date(outcome.now).toISOString());
      })
      .immediate();
  }

  fail(outcome: JobFailed): void {
    // The pending password stays: the retry of this job, or the next job of its target, still sends it.
    this.db.transaction(() => this.finish(outcome, recordedOutcome.failed(outcome))).immediate();
  }

  abandon(outcome: JobAbandoned): void {
    const released = this.release('id = ? AND claim_token = ?', [Number(outcome.jobId), outcome.claimToken], outcome.now, outcome);
    if (released === 0) throw new StaleClaimError(outcome.jobId);
  }

  releaseExpired(now: number, graceMs = 0): number {
    return this.release('lease_until < ?', [now - graceMs], now);
  }

  /** One process owns the file, so every job of the tenant still running belonged to a process that died. */
  recoverAbandoned(now: number): number {
    return this.release('1 = 1', [], now);
  }

  extendLeases(workerId: string, leaseUntil: number): number {
    return this.stmt(`UPDATE jobs SET lease_until = ? WHERE tenant = ? AND status = 'running' AND claimed_by = ?`).run(
      leaseUntil,
      this.tenant,
      workerId,
    ).changes;
  }

  releaseJobsOf(workerId: string): number {
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
        const rows = this.stmt(`SELECT id, history FROM jobs WHERE tenant = ? AND status = 'running' AND ${where}`).all(
          this.tenant,
          ...params,
        ) as Pick<JobRow, 'id' | 'history'>[];
        for (const row of rows) {
          const history = JSON.parse(row.history) as JobAttempt[];
          const last = history[history.length - 1];
          if (last && !last.finishedAt)
            Object.assign(last, { finishedAt: at, outcome: 'abandoned', ...(abandoned ? { error: abandoned.error } : {}) });
          this.stmt(
            `UPDATE jobs SET status = 'pending', claimed_by = NULL, lease_until = NULL, claim_token = NULL, updated_at = ?, history = ?,
               attempts = MAX(0, attempts - 1), takeovers = takeovers + 1, outcome_unknown = 1, run_at = MAX(run_at, ?) WHERE id = ? AND tenant = ?`,
          ).run(at, JSON.stringify(history), abandoned?.runAt ?? 0, row.id, this.tenant);
          this.supersedeOlderPending(row.id, at);
        }
        return rows.length;
      })
      .immediate();
  }

  retryFailed(filter: { jobId?: string; instanceId?: string }, now: number): JobRecord[] {
    return this.db
      .transaction(() => {
        const rows = this.stmt(
          `SELECT * FROM jobs WHERE tenant = ? AND status = 'failed' AND (? IS NULL OR id = ?) AND (? IS NULL OR instance_id = ?) ORDER BY id`,
        ).all(
          this.tenant,
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
            `SELECT 1 FROM jobs WHERE tenant = ? AND instance_id = ? AND entity_type = ? AND local_id = ? AND id > ? AND status <> 'superseded' LIMIT 1`,
          ).get(this.tenant, row.instance_id, row.entity_type, row.local_id, row.id);
          if (newer) {
            this.stmt(`UPDATE jobs SET status = 'superseded', updated_at = ? WHERE id = ? AND tenant = ?`).run(at, row.id, this.tenant);
            continue;
          }
          this.stmt(`UPDATE jobs SET status = 'pending', attempts = 0, run_at = ?, updated_at = ? WHERE id = ? AND tenant = ?`).run(
            now,
            at,
            row.id,
            this.tenant,
          );
          this.supersedeOlderPending(row.id, at);
          retried.push(toJob({ ...row, status: 'pending', attempts: 0, run_at: now, updated_at: at }));
        }
        return retried;
      })
      .immediate();
  }

  get(id: string): JobRecord | undefined {
    const row = this.stmt('SELECT * FROM jobs WHERE id = ? AND tenant = ?').get(Number(id), this.tenant) as JobRow | undefined;
    return row && toJob(row);
  }

  list(filter: JobFilter): JobRecord[] {
    const rows = this.stmt(
      `SELECT * FROM jobs WHERE tenant = ? AND (? IS NULL OR status = ?) AND (? IS NULL OR instance_id = ?) AND (? IS NULL OR local_id = ?) AND (? IS NULL OR id < ?)
       ORDER BY id DESC LIMIT ?`,
    ).all(
      this.tenant,
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

  counts(instanceId?: string): StatusCounts {
    // Two statements, not `(? IS NULL OR instance_id = ?)`: each counts from a covering index, (tenant, status, …) or (tenant, instance_id, status, …).
    const rows = (
      instanceId === undefined
        ? this.stmt('SELECT status, COUNT(*) AS n FROM jobs WHERE tenant = ? GROUP BY status').all(this.tenant)
        : this.stmt('SELECT status, COUNT(*) AS n FROM jobs WHERE tenant = ? AND instance_id = ? GROUP BY status').all(
            this.tenant,
            instanceId,
          )
    ) as { status: keyof StatusCounts; n: number }[];
    const counts: StatusCounts = { ...EMPTY_COUNTS };
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  nextDueAt(): number | undefined {
    return (
      (this.stmt(`SELECT MIN(run_at) AS at FROM jobs WHERE tenant = ? AND status = 'pending'`).get(this.tenant) as { at: number | null })
        .at ?? undefined
    );
  }
}
