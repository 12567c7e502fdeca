import { randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import {
  DEFAULT_TENANT,
  EMPTY_COUNTS,
  type ClaimedJob,
  type ClaimOptions,
  type JobAbandoned,
  type CommitReceipt,
  type GuardDecision,
  type JobFailed,
  type JobFilter,
  type JobRecord,
  type JobRetry,
  type JobStatus,
  type JobSucceeded,
  type NewJob,
  type StatusCounts,
} from '@provisio/core/engine';
import { assertCurrentClaim, finishedJobColumns, recordedOutcome, type ClaimOutcome, type RecordedOutcome } from '@provisio/store-sql';
import { decideGuards, resetGuard } from './guard-rows.js';
import { putLink } from './identity-writes.js';
import { jobIdOrUndefined, toJob, type JobRow } from './job-rows.js';
import type { Queryable } from './queryable.js';

/**
 * The pg-boss queue of a connector instance of a tenant: a queue per tenant, so that a worker of one
 * tenant never fetches another's jobs. The tenant whose rows are from before tenants (`unprefixed`,
 * the default tenant unless the database was migrated with another) keeps the queue names of then;
 * `/` is in neither a tenant domain nor an instance id, so no two names meet.
 */
export function queueName(instanceId: string, tenant: string = DEFAULT_TENANT, unprefixed: string = DEFAULT_TENANT): string {
  return tenant === unprefixed ? `provisio.${instanceId}` : `provisio.${tenant}/${instanceId}`;
}

/**
 * Queue settings. Policy `singleton` keyed by identity: pg-boss makes at most one job
 * of an identity active at a time, across every process, and its fetch costs the same
 * however deep the queue (`key_strict_fifo` ranks every queued key on each fetch: 9 ms
 * at 1,000 queued jobs, 158 ms at 40,000). Order per identity follows from keeping at
 * most one job of an identity pending besides the one running (see `supersede…`):
 * the pending one cannot start before the running one ends.
 * Retries are decided by Provisio (error class, attempt budget, Retry-After) and
 * scheduled by pg-boss (a failed attempt goes back to pg-boss's `retry` state with our
 * start time). pg-boss's own expiry is only a backstop: leases renewed by the running
 * process decide when a dead process's jobs are taken over.
 */
const QUEUE_OPTIONS = {
  policy: 'singleton',
  retryLimit: 1_000_000,
  retryDelay: 0,
  retryBackoff: false,
  expireInSeconds: 24 * 60 * 60,
  retentionSeconds: 365 * 24 * 60 * 60,
  deleteAfterSeconds: 24 * 60 * 60,
} as const;

type BossDb = { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };

/** pg-boss statements in our transaction: its job and ours commit together. */
function bossDb(client: Queryable): BossDb {
  return { executeSql: (text, values) => client.query(text, values) };
}

interface BossJobData {
  jobId: string;
}

interface BossJob {
  id: string;
  data: BossJobData;
  singletonKey: string;
  startAfter: Date;
}

/** The pg-boss job of a job record: one of its identity's (the singleton key), due at `startAfter` (epoch ms). */
function bossJob(id: string, jobId: string, entityType: string, localId: string, startAfter: number): BossJob {
  return { id, data: { jobId }, singletonKey: identityKey(entityType, localId), startAfter: new Date(startAfter) };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Provisio's job ports over pg-boss, for one tenant: every statement names it, and its
 * instances have queues of their own (see queueName). Each method runs inside a
 * transaction the store opens (`client`), so a job's pg-boss state, its record and the
 * link it writes change together or not at all.
 */
export class JobQueue {
  /**
   * @param knownQueues queues this process knows exist (shared by the tenants' views)
   * @param unprefixedTenant the tenant whose queues keep their names from before tenants
   */
  constructor(
    private readonly boss: PgBoss,
    private readonly tenant: string,
    private readonly knownQueues: Set<string>,
    private readonly unprefixedTenant: string,
  ) {}

  private queue(instanceId: string): string {
    return queueName(instanceId, this.tenant, this.unprefixedTenant);
  }

  /** Creates the pg-boss queues of these instances once per process (idempotent across processes). */
  async ensureQueues(instanceIds: Iterable<string>): Promise<void> {
    for (const instanceId of instanceIds) {
      const name = this.queue(instanceId);
      if (this.knownQueues.has(name)) continue;
      if (!(await this.boss.getQueue(name))) {
        try {
          await this.boss.createQueue(name, QUEUE_OPTIONS);
        } catch (error) {
          // Another process created it between our look and our create.
          if (!(await this.boss.getQueue(name))) throw error;
        }
      }
      this.knownQueues.add(name);
    }
  }

  /**
   * Records the jobs, supersedes waiting ones of the same identity, and hands them to pg-boss;
   * jobs the accidental-deletion guard holds are recorded `held` and get no pg-boss job.
   */
  async enqueue(client: Queryable, jobs: readonly NewJob[], now: number): Promise<CommitReceipt> {
    if (jobs.length === 0) return { trippedGuards: [] };
    const at = iso(now);
    const { held, trippedGuards } = await decideGuards(client, this.tenant, jobs, now);
    const db = bossDb(client);
    // Of several jobs for one identity in this write, the last says it all: the others are recorded as superseded.
    const lastOf = new Map(jobs.map((job, index) => [identityKey(job.entityType, job.localId, job.instanceId), index]));
    const live = jobs.map((job, index) => lastOf.get(identityKey(job.entityType, job.localId, job.instanceId)) === index);
    // A superseded job that was attempted may have changed the remote: its successor looks before acting.
    const inherits = jobs.map(() => false);
    for (const [index, job] of jobs.entries())
      if (live[index]) inherits[index] = await this.supersedePending(client, job.instanceId, job.entityType, job.localId, at);
    const bossIds = jobs.map((_, index) => (live[index] && !held[index] ? randomUUID() : null));
    const { rows } = await client.query<{ id: string; boss_id: string | null }>(
      `INSERT INTO jobs (tenant, instance_id, entity_type, local_id, action, reason, status, attempts, max_attempts, run_at, created_at, updated_at, boss_id, outcome_unknown, last_known, request_id, guard_counted)
       SELECT $16, * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::bigint[], $10::text[], $10::text[], $11::uuid[], $12::boolean[], $13::jsonb[], $14::text[], $15::boolean[])
       RETURNING id, boss_id`,
      [
        jobs.map((j) => j.instanceId),
        jobs.map((j) => j.entityType),
        jobs.map((j) => j.localId),
        jobs.map((j) => j.action),
        jobs.map((j) => j.reason),
        live.map((isLive, index) => (!isLive ? 'superseded' : held[index] ? 'held' : 'pending')),
        jobs.map(() => 0),
        jobs.map((j) => j.maxAttempts),
        jobs.map((j) => j.runAt ?? now),
        jobs.map(() => at),
        bossIds,
        inherits,
        jobs.map((j) => (j.lastKnown === undefined ? null : JSON.stringify(j.lastKnown))),
        jobs.map((j) => j.requestId ?? null),
        jobs.map((j, index) => live[index] && !held[index] && j.guard?.counts === true),
        this.tenant,
      ],
    );
    const recordIdOf = new Map(rows.map((row) => [row.boss_id, String(row.id)]));
    const byQueue = new Map<string, BossJob[]>();
    jobs.forEach((job, index) => {
      const bossId = bossIds[index];
      if (bossId === null) return;
      const list = byQueue.get(job.instanceId) ?? [];
      list.push(bossJob(bossId, recordIdOf.get(bossId) ?? '', job.entityType, job.localId, job.runAt ?? now));
      byQueue.set(job.instanceId, list);
    });
    for (const [instanceId, list] of byQueue) await this.boss.insert(this.queue(instanceId), list, { db });
    return { trippedGuards };
  }

  /**
   * The operator's decision on an instance's held jobs: released ones become pending with a new
   * pg-boss job each (due now), discarded ones `discarded`; the guard is reset, counting from now.
   */
  async resolveHeld(client: Queryable, instanceId: string, decision: GuardDecision, now: number): Promise<number> {
    const at = iso(now);
    // The guard row first: a commit planning deprovisioning jobs for this instance waits for this decision.
    await resetGuard(client, this.tenant, instanceId, at);
    if (decision === 'discard') {
      const { rowCount } = await client.query(
        `UPDATE jobs SET status = 'discarded', updated_at = $2 WHERE tenant = $3 AND instance_id = $1 AND status = 'held'`,
        [instanceId, at, this.tenant],
      );
      return rowCount ?? 0;
    }
    const { rows } = await client.query<{ id: string; entity_type: string; local_id: string; boss_id: string }>(
      `UPDATE jobs SET status = 'pending', run_at = $2, updated_at = $3, boss_id = gen_random_uuid() WHERE tenant = $4 AND instance_id = $1 AND status = 'held'
       RETURNING id, entity_type, local_id, boss_id`,
      [instanceId, now, at, this.tenant],
    );
    if (rows.length === 0) return 0;
    await this.boss.insert(
      this.queue(instanceId),
      rows.map((row) => bossJob(row.boss_id, String(row.id), row.entity_type, row.local_id, now)),
      { db: bossDb(client) },
    );
    return rows.length;
  }

  /**
   * A newer job for an identity replaces its pending one (state-based jobs: the newest
   * says it all). Returns whether a replaced one had been attempted or had an unknown
   * outcome, or one is running now (the newer one must then look before acting).
   */
  private async supersedePending(client: Queryable, instanceId: string, entityType: string, localId: string, at: string): Promise<boolean> {
    // A job of the identity still running counts as attempted too: its outcome is unknown until it ends, and with
    // several processes the takeover that hands it back can commit beside this write, each missing the other
    // (the chaos test's second Salesforce create: the newer job created, then found the older one's account).
    const { rows } = await client.query<{ boss_id: string | null; attempted: boolean }>(
      `WITH replaced AS (
         UPDATE jobs SET status = 'superseded', updated_at = $4 WHERE tenant = $5 AND instance_id = $1 AND entity_type = $2 AND local_id = $3 AND status IN ('pending', 'held')
         RETURNING boss_id, (outcome_unknown OR jsonb_array_length(history) > 0) AS attempted)
       SELECT boss_id, attempted FROM replaced
       UNION ALL
       SELECT NULL, true WHERE EXISTS (
         SELECT 1 FROM jobs WHERE tenant = $5 AND instance_id = $1 AND entity_type = $2 AND local_id = $3 AND status = 'running')`,
      [instanceId, entityType, localId, at, this.tenant],
    );
    const ids = rows.map((r) => r.boss_id).filter((id): id is string => id !== null);
    if (ids.length > 0) await this.boss.cancel(this.queue(instanceId), ids, { db: bossDb(client) });
    return rows.some((r) => r.attempted);
  }

  /**
   * Each instance's claim in a savepoint of its own: pg-boss answers a fetch that lost an identity's
   * active slot to another process (23505) with no jobs and swallows the error, which leaves the
   * transaction aborted. Without the savepoint, the COMMIT would then roll back the claims of the
   * instances before it while this process runs their jobs anyway, and another process claims and
   * runs them too (issue 22: second creates of 8 users). That instance gets nothing this time.
   */
  async claim(client: Queryable, options: ClaimOptions): Promise<ClaimedJob[]> {
    const claimed: ClaimedJob[] = [];
    for (const [instanceId, slots] of Object.entries(options.slots)) {
      if (slots <= 0) continue;
      await client.query('SAVEPOINT claim_instance');
      try {
        const rows = await this.claimOf(client, instanceId, slots, options);
        // Fails (25P02) when pg-boss caught a failure of its own statement: nothing of this instance stands.
        await client.query('RELEASE SAVEPOINT claim_instance');
        claimed.push(...rows);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code !== '25P02' && code !== '23505') throw error;
        await client.query('ROLLBACK TO SAVEPOINT claim_instance');
      }
    }
    return claimed;
  }

  /** One instance's due jobs: fetched from pg-boss, then marked running under a new claim token. */
  private async claimOf(client: Queryable, instanceId: string, slots: number, options: ClaimOptions): Promise<ClaimedJob[]> {
    const db = bossDb(client);
    const at = iso(options.now);
    const queue = this.queue(instanceId);
    const fetched = await this.boss.fetch<BossJobData>(queue, { batchSize: slots, db });
    if (fetched.length === 0) return [];
    const { rows } = await client.query<JobRow>(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, claimed_by = $1, lease_until = $2, updated_at = $3, claim_token = gen_random_uuid()::text,
         history = history || jsonb_build_array(jsonb_build_object('attempt', attempts + 1, 'startedAt', $3::text))
       WHERE tenant = $5 AND boss_id = ANY($4::uuid[]) AND status = 'pending'
       RETURNING *`,
      [options.workerId, options.now + options.leaseMs, at, fetched.map((j) => j.id), this.tenant],
    );
    // A pg-boss job whose record is no longer pending (superseded in a race) has nothing left to do.
    const live = new Set(rows.map((r) => r.boss_id));
    const stale = fetched.filter((j) => !live.has(j.id)).map((j) => j.id);
    if (stale.length > 0) await this.boss.deleteJob(queue, stale, { db });
    return rows.sort((a, b) => Number(a.id) - Number(b.id)).map((row) => ({ ...toJob(row), claimToken: row.claim_token ?? '' }));
  }

  async complete(client: Queryable, outcome: JobSucceeded): Promise<void> {
    const row = await this.finish(client, outcome, recordedOutcome.succeeded(outcome));
    if (row.boss_id) await this.boss.complete(this.queue(row.instance_id), row.boss_id, null, { db: bossDb(client) });
    await this.enqueue(client, outcome.followUps ?? [], outcome.now);
    await this.passwordDelivered(client, row);
  }

  async retryLater(client: Queryable, outcome: JobRetry): Promise<void> {
    const row = await this.finish(client, outcome, recordedOutcome.retry(outcome));
    if (await this.supersededByNewer(client, [row.id])) return;
    if (row.boss_id) await this.backToBoss(client, row.instance_id, [row.boss_id], outcome.runAt);
  }

  /**
   * Of these jobs going back to pending, those whose identity got a newer pending job
   * meanwhile are superseded instead (the newer one carries the latest state): an
   * identity never has two pending jobs, so the older cannot run after the newer.
   * The older ones were attempted, so the newer inherits the unknown outcome (it looks
   * before acting). Returns whether any was superseded.
   */
  private async supersededByNewer(client: Queryable, jobIds: readonly string[]): Promise<boolean> {
    const { rows } = await client.query<{ instance_id: string; entity_type: string; local_id: string; boss_id: string | null }>(
      `UPDATE jobs r SET status = 'superseded' WHERE r.tenant = $2 AND r.id = ANY($1::bigint[]) AND EXISTS (
         SELECT 1 FROM jobs n WHERE n.tenant = r.tenant AND n.instance_id = r.instance_id AND n.entity_type = r.entity_type AND n.local_id = r.local_id
           AND n.status IN ('pending', 'held') AND n.id > r.id)
       RETURNING r.instance_id, r.entity_type, r.local_id, r.boss_id`,
      [jobIds, this.tenant],
    );
    for (const row of rows) {
      if (row.boss_id) await this.boss.cancel(this.queue(row.instance_id), row.boss_id, { db: bossDb(client) });
      await client.query(
        `UPDATE jobs SET outcome_unknown = true WHERE tenant = $4 AND instance_id = $1 AND entity_type = $2 AND local_id = $3 AND status IN ('pending', 'held')`,
        [row.instance_id, row.entity_type, row.local_id, this.tenant],
      );
    }
    return rows.length > 0;
  }

  async fail(client: Queryable, outcome: JobFailed): Promise<void> {
    const row = await this.finish(client, outcome, recordedOutcome.failed(outcome));
    // The record keeps the failure (admin API, `provisio retry` sends a new pg-boss job); pg-boss's job has nothing left to do.
    if (row.boss_id) await this.boss.deleteJob(this.queue(row.instance_id), row.boss_id, { db: bossDb(client) });
    await client.query('UPDATE jobs SET boss_id = NULL WHERE tenant = $2 AND id = $1', [row.id, this.tenant]);
  }

  /**
   * Takeover: running jobs matching `where` back to pending, and their pg-boss jobs back
   * to its queue at once. The attempt is abandoned (not counted: attempts - 1, takeovers
   * + 1) and its remote effect unknown (the next attempt looks before acting).
   */
  async release(
    client: Queryable,
    where: string,
    params: unknown[],
    now: number,
    abandoned?: Pick<JobAbandoned, 'runAt' | 'error'>,
  ): Promise<number> {
    // $1 the time, $2.. the condition's parameters, then the abandoning claimer's start time and reason, and the tenant.
    const runAt = `$${params.length + 2}`;
    const reason = `$${params.length + 3}`;
    const tenant = `$${params.length + 4}`;
    const { rows: released } = await client.query<{ id: string; instance_id: string; boss_id: string | null }>(
      `UPDATE jobs SET status = 'pending', claimed_by = NULL, lease_until = NULL, claim_token = NULL, updated_at = $1,
         attempts = GREATEST(0, attempts - 1), takeovers = takeovers + 1, outcome_unknown = true, run_at = GREATEST(run_at, ${runAt}::bigint),
         history = CASE WHEN jsonb_array_length(history) > 0 AND NOT ((history -> -1) ? 'finishedAt')
           THEN jsonb_set(history, ARRAY[(jsonb_array_length(history) - 1)::text], (history -> -1) || jsonb_strip_nulls(jsonb_build_object('finishedAt', $1::text, 'outcome', 'abandoned', 'error', ${reason}::text)))
           ELSE history END
       WHERE tenant = ${tenant} AND status = 'running' AND ${where} RETURNING id, instance_id, boss_id`,
      [iso(now), ...params, abandoned?.runAt ?? 0, abandoned?.error ?? null, this.tenant],
    );
    if (released.length === 0) return 0;
    await this.supersededByNewer(
      client,
      released.map((r) => r.id),
    );
    const { rows } = await client.query<{ instance_id: string; boss_id: string | null }>(
      `SELECT instance_id, boss_id FROM jobs WHERE tenant = $2 AND id = ANY($1::bigint[]) AND status = 'pending'`,
      [released.map((r) => r.id), this.tenant],
    );
    const byInstance = new Map<string, string[]>();
    for (const row of rows) if (row.boss_id) byInstance.set(row.instance_id, [...(byInstance.get(row.instance_id) ?? []), row.boss_id]);
    // Due at once, on the database's clock (pg-boss's retry delay is 0).
    for (const [instanceId, ids] of byInstance) await this.backToBoss(client, instanceId, ids, abandoned?.runAt);
    return released.length;
  }

  /**
   * An active pg-boss job back to its `retry` state (its identity's head), due at once
   * or at `startAt`: pg-boss fails the attempt (our attempt budget is what counts),
   * then takes our start time.
   */
  private async backToBoss(client: Queryable, instanceId: string, bossIds: string[], startAt?: number): Promise<void> {
    const db = bossDb(client);
    const queue = this.queue(instanceId);
    await this.boss.fail(queue, bossIds, null, { db });
    if (startAt === undefined) return;
    for (const id of bossIds) await this.boss.update(queue, undefined, { id, startAfter: new Date(startAt), db });
  }

  async retryFailed(client: Queryable, filter: { jobId?: string; instanceId?: string }, now: number): Promise<JobRecord[]> {
    const jobId = filter.jobId === undefined ? null : (jobIdOrUndefined(filter.jobId) ?? '0');
    const { rows } = await client.query<JobRow>(
      `SELECT * FROM jobs WHERE tenant = $3 AND status = 'failed' AND ($1::bigint IS NULL OR id = $1::bigint) AND ($2::text IS NULL OR instance_id = $2) ORDER BY id FOR UPDATE`,
      [jobId, filter.instanceId ?? null, this.tenant],
    );
    const at = iso(now);
    const retried: JobRecord[] = [];
    for (const row of rows) {
      // A newer job of the identity carries newer state: the old failure is not replayed over it.
      const { rows: newer } = await client.query(
        `SELECT 1 FROM jobs WHERE tenant = $5 AND instance_id = $1 AND entity_type = $2 AND local_id = $3 AND id > $4 AND status <> 'superseded' LIMIT 1`,
        [row.instance_id, row.entity_type, row.local_id, row.id, this.tenant],
      );
      if (newer.length > 0) {
        await client.query(`UPDATE jobs SET status = 'superseded', updated_at = $2 WHERE tenant = $3 AND id = $1`, [
          row.id,
          at,
          this.tenant,
        ]);
        continue;
      }
      await this.supersedePending(client, row.instance_id, row.entity_type, row.local_id, at);
      const bossId = randomUUID();
      const { rows: updated } = await client.query<JobRow>(
        `UPDATE jobs SET status = 'pending', attempts = 0, run_at = $2, updated_at = $3, boss_id = $4 WHERE tenant = $5 AND id = $1 RETURNING *`,
        [row.id, now, at, bossId, this.tenant],
      );
      await this.boss.insert(this.queue(row.instance_id), [bossJob(bossId, String(row.id), row.entity_type, row.local_id, now)], {
        db: bossDb(client),
      });
      retried.push(toJob(updated[0]));
    }
    return retried;
  }

  private async finish(client: Queryable, outcome: ClaimOutcome, recorded: RecordedOutcome): Promise<JobRow> {
    const id = jobIdOrUndefined(outcome.jobId);
    const { rows } =
      id === undefined
        ? { rows: [] }
        : await client.query<JobRow>('SELECT * FROM jobs WHERE tenant = $2 AND id = $1 FOR UPDATE', [id, this.tenant]);
    const row = rows[0];
    assertCurrentClaim(row, outcome);
    // An outcome was recorded: what the remote holds is known again.
    await client.query(
      `UPDATE jobs SET status = $2, claimed_by = NULL, lease_until = NULL, claim_token = NULL, outcome_unknown = false, updated_at = $3, history = $4::jsonb, run_at = COALESCE($5, run_at),
         last_error = COALESCE($6, last_error), last_error_kind = COALESCE($7, last_error_kind) WHERE tenant = $8 AND id = $1`,
      [row.id, ...finishedJobColumns(row.history, outcome.now, recorded), this.tenant],
    );
    if (outcome.link) await putLink(client, this.tenant, outcome.link);
    return row;
  }

  /** The completed job's target has the password, unless a newer job of it (planned with a newer password) is still to run. */
  private async passwordDelivered(client: Queryable, row: JobRow): Promise<void> {
    if (row.entity_type !== 'user') return;
    await client.query(
      `UPDATE pending_passwords SET awaiting = array_remove(awaiting, $2) WHERE tenant = $3 AND user_id = $1 AND $2 = ANY(awaiting) AND NOT EXISTS
         (SELECT 1 FROM jobs WHERE tenant = $3 AND instance_id = $2 AND entity_type = 'user' AND local_id = $1 AND status = 'pending')`,
      [row.local_id, row.instance_id, this.tenant],
    );
    await client.query('DELETE FROM pending_passwords WHERE tenant = $2 AND user_id = $1 AND cardinality(awaiting) = 0', [
      row.local_id,
      this.tenant,
    ]);
  }

  /** Removes the pg-boss jobs of this tenant's open jobs (purgeTenant: their records go with the tenant's rows). */
  async dropOpenBossJobs(client: Queryable): Promise<void> {
    const { rows } = await client.query<{ instance_id: string; ids: string[] }>(
      `SELECT instance_id, array_agg(boss_id::text) AS ids FROM jobs
       WHERE tenant = $1 AND status IN ('pending', 'running') AND boss_id IS NOT NULL GROUP BY instance_id`,
      [this.tenant],
    );
    for (const row of rows) await this.boss.deleteJob(this.queue(row.instance_id), row.ids, { db: bossDb(client) });
  }

  // --- reads ---

  async get(db: Queryable, id: string): Promise<JobRecord | undefined> {
    const jobId = jobIdOrUndefined(id);
    if (jobId === undefined) return undefined;
    const { rows } = await db.query<JobRow>('SELECT * FROM jobs WHERE tenant = $2 AND id = $1', [jobId, this.tenant]);
    return rows[0] && toJob(rows[0]);
  }

  async list(db: Queryable, filter: JobFilter): Promise<JobRecord[]> {
    const before = filter.before === undefined ? null : (jobIdOrUndefined(filter.before) ?? '0');
    const { rows } = await db.query<JobRow>(
      `SELECT * FROM jobs WHERE tenant = $6 AND ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR instance_id = $2) AND ($3::text IS NULL OR local_id = $3) AND ($4::bigint IS NULL OR id < $4::bigint)
       ORDER BY id DESC LIMIT $5`,
      [filter.status ?? null, filter.instanceId ?? null, filter.localId ?? null, before, filter.limit ?? 100, this.tenant],
    );
    return rows.map(toJob);
  }

  async counts(db: Queryable, instanceId?: string): Promise<StatusCounts> {
    const { rows } = await db.query<{ status: JobStatus; n: string }>(
      'SELECT status, count(*) AS n FROM jobs WHERE tenant = $2 AND ($1::text IS NULL OR instance_id = $1) GROUP BY status',
      [instanceId ?? null, this.tenant],
    );
    const counts: StatusCounts = { ...EMPTY_COUNTS };
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  async nextDueAt(db: Queryable): Promise<number | undefined> {
    const { rows } = await db.query<{ at: string | null }>(`SELECT min(run_at) AS at FROM jobs WHERE tenant = $1 AND status = 'pending'`, [
      this.tenant,
    ]);
    return rows[0]?.at === null || rows[0]?.at === undefined ? undefined : Number(rows[0].at);
  }
}

/** pg-boss's singleton key: one identity within a queue (the queue is the instance); with `instanceId`, across queues. */
function identityKey(entityType: string, localId: string, instanceId?: string): string {
  return instanceId === undefined ? `${entityType}:${localId}` : `${instanceId}\u0000${entityType}:${localId}`;
}
