import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { CallDeadline, remoteCallAborted } from '../connector/remote-call.js';
import { classifyError, isTransientError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { ClaimedJob, JobRecord, LinkRecord } from '../store/records.js';
import { isStaleClaimError, type Store } from '../store/store-ports.js';
import type { JobEvents } from './job-events.js';
import { runUserBatch, type BatchJobResult, type ExecutionResult, type JobExecutor } from './job-executor.js';
import { leaseMarginMs, takeoverGraceMs } from './lease-timing.js';
import type { ProvisioningTarget } from './provisioning-target.js';
import type { QuarantineGate } from './quarantine-monitor.js';
import { rateBucketKey, RateGates, type RateGate } from './rate-gate.js';
import { retryDelayMs } from './retry-policy.js';

/** How long a batching target whose batch size could not be learnt (it is down) goes before the worker asks again. */
const BATCH_LIMIT_RETRY_MS = 30_000;

export interface WorkerOptions {
  /**
   * How long a claimed job is ours before another worker may take it (our process
   * died). The worker renews the leases of its running jobs every third of it.
   */
  leaseMs?: number;
  /** Longest sleep when idle; new jobs wake the worker at once. */
  idlePollMs?: number;
  /** How long stop() waits for running jobs before handing them back. */
  stopTimeoutMs?: number;
  random?: () => number;
}

export interface WorkerDeps {
  store: Store;
  targets: readonly ProvisioningTarget[];
  executor: JobExecutor;
  events: JobEvents;
  clock: Clock;
  logger: Logger;
  /** Removes secrets from error texts before they are stored or logged. */
  scrub: (text: string) => string;
  /** Quarantined instances get no claims; every call's outcome is reported to it. */
  quarantine?: QuarantineGate;
  /** The process's rate gates (several tenants' workers share a `rateLimit.key`); absent: this worker's own. */
  rateGates?: RateGates;
}

/**
 * Claims due jobs and runs them: per target at most `concurrency` at once and
 * at most `rateLimit.perSecond`; one job per identity and target at a time (the
 * store guarantees it), so operations on one identity stay in order.
 */
export class Worker {
  /** Unique; the pid in it tells which process holds a claim (and sent a request: X-Provisio-Worker). */
  readonly id = `worker-${process.pid}-${randomUUID()}`;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** Something happened since the loop last looked (a task finished, jobs were planned, stop): its next sleep is skipped. */
  private nudged = false;
  private readonly inFlight = new Map<string, number>();
  private readonly active = new Set<Promise<void>>();
  private readonly gates = new Map<string, RateGate>();
  /** Targets that answered 429/503 with Retry-After: no new call to them before this time. */
  private readonly pausedUntil = new Map<string, number>();
  private readonly byId: Map<string, ProvisioningTarget>;
  private unsubscribe?: () => void;
  private heartbeat?: ReturnType<typeof setInterval>;
  /** Until when each running job's lease is known to be ours (claim, then each renewal that succeeded). */
  private readonly leases = new Map<string, number>();
  /** The deadline of each running job's remote calls: its lease less the margin (the jobs of one batch share one). */
  private readonly deadlines = new Map<string, CallDeadline>();
  /** Operations per provisionBatch request each batching target takes now (its connector's batchLimit). */
  private readonly batchLimits = new Map<string, number>();
  /** After a failed batch-limit lookup (target down), when to ask again: not on every poll. */
  private readonly batchLimitRetryAt = new Map<string, number>();

  constructor(
    private readonly deps: WorkerDeps,
    private readonly options: WorkerOptions = {},
  ) {
    this.byId = new Map(deps.targets.map((t) => [t.id, t]));
    // Without the process's gates (a worker on its own), this worker's: the same bucket per key either way.
    const gates = deps.rateGates ?? new RateGates(deps.clock);
    for (const target of deps.targets) {
      const rate = target.instance.settings.rateLimit;
      if (!rate) continue;
      const settings = { perSecond: rate.perSecond, burst: rate.burst ?? Math.max(1, Math.ceil(rate.perSecond)) };
      const key = rateBucketKey(deps.store.tenant, target.id, rate.key);
      this.gates.set(target.id, gates.gateFor(key, settings, deps.store.sharedRateLimits));
    }
  }

  /** Between start() and stop(): readiness reports it. */
  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const recovered = await this.deps.store.recoverAbandonedJobs(this.deps.clock.now(), takeoverGraceMs(this.leaseMs));
    if (recovered > 0) this.deps.logger.warn({ jobs: recovered }, 'picked up jobs whose worker stopped without finishing them');
    this.unsubscribe = this.deps.events.onJobsEnqueued(() => this.nudge());
    this.loop = this.run();
    // Its own timer: a run loop waiting on a busy store must not let our leases lapse.
    this.heartbeat = setInterval(() => void this.renewLeases(), Math.max(100, this.leaseMs / 3));
    this.heartbeat.unref?.();
  }

  /** Finishes running jobs (up to stopTimeoutMs), then hands any left back to the queue. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    clearInterval(this.heartbeat);
    this.nudge();
    await this.loop;
    const timeout = this.options.stopTimeoutMs ?? 10000;
    await Promise.race([Promise.allSettled([...this.active]), new Promise((resolve) => setTimeout(resolve, timeout).unref())]);
    const released = await this.deps.store.releaseJobsOf(this.id);
    if (released > 0) this.deps.logger.warn({ jobs: released }, 'handed unfinished jobs back to the queue');
  }

  private renewing = false;

  /** Moves the leases of our running jobs a full lease ahead (one renewal at a time). */
  private async renewLeases(): Promise<void> {
    if (this.renewing || this.active.size === 0) return;
    this.renewing = true;
    try {
      const until = this.deps.clock.now() + this.leaseMs;
      const ours = [...this.leases.keys()];
      const renewed = await this.deps.store.extendLeases(this.id, until);
      // Fewer renewed than we hold: one was taken over, and we cannot tell which; keep every old deadline.
      const held = ours.filter((jobId) => this.leases.has(jobId));
      if (renewed < held.length) return;
      for (const jobId of held) {
        this.leases.set(jobId, until);
        this.deadlines.get(jobId)?.moveTo(until - leaseMarginMs(this.leaseMs));
      }
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not renew job leases; retrying');
    } finally {
      this.renewing = false;
    }
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 5 * 60 * 1000;
  }

  /** How often the loop hands expired leases back; also the longest sleep while no target can take a job. */
  private get leaseSweepMs(): number {
    return Math.min(5000, this.leaseMs / 3);
  }

  private async run(): Promise<void> {
    let lastLeaseSweep = 0;
    while (this.running) {
      this.nudged = false;
      const now = this.deps.clock.now();
      try {
        if (now - lastLeaseSweep > this.leaseSweepMs) {
          lastLeaseSweep = now;
          // Only a grace period after a lease ended: the old worker's calls have been cut off by then.
          await this.deps.store.releaseExpiredJobs(now, takeoverGraceMs(this.leaseMs));
        }
        const { slots, tokens, blockedMs } = await this.reserveSlots();
        const jobs =
          Object.keys(slots).length === 0 ? [] : await this.deps.store.claimJobs({ workerId: this.id, now, leaseMs: this.leaseMs, slots });
        for (const job of jobs) this.leases.set(job.id, now + this.leaseMs);
        const used = this.launchAll(jobs);
        // Tokens are taken before the claim; give back what fewer due jobs did not use.
        for (const [id, taken] of tokens) {
          const unused = taken - (used.get(id) ?? 0);
          if (unused > 0) await this.gates.get(id)?.release(unused);
        }
        if (jobs.length === 0) await this.idle(blockedMs);
      } catch (error) {
        this.deps.logger.error({ err: error }, 'worker loop error; retrying in 1 s');
        await this.sleep(1000);
      }
    }
  }

  /**
   * Jobs to claim per target: its free concurrency slots (a slot of a batching target
   * carries one batch request), bounded by the rate-limit tokens taken for them. A claim
   * holds only what is about to be sent: a killed worker strands no queue of unsent jobs.
   * `blockedMs`: when no target can take a job now (every slot busy, no tokens, Retry-After),
   * how long until the first one can (Infinity: until a task finishes); undefined when one can.
   */
  private async reserveSlots(): Promise<{ slots: Record<string, number>; tokens: Map<string, number>; blockedMs?: number }> {
    const slots: Record<string, number> = {};
    const tokens = new Map<string, number>();
    let blockedMs: number | undefined = Infinity;
    const blockedFor = (ms: number) => {
      if (blockedMs !== undefined) blockedMs = Math.min(blockedMs, ms);
    };
    for (const target of this.deps.targets) {
      const pausedMs = (this.pausedUntil.get(target.id) ?? 0) - this.deps.clock.now();
      if (pausedMs > 0) {
        blockedFor(pausedMs);
        continue;
      }
      // A quarantine lifts without telling the worker: polled as before.
      if (this.deps.quarantine?.blocks(target.id)) {
        blockedMs = undefined;
        continue;
      }
      const free = target.instance.settings.concurrency - (this.inFlight.get(target.id) ?? 0);
      if (free <= 0) continue;
      await this.refreshBatchLimit(target);
      const size = this.batchSize(target);
      const gate = this.gates.get(target.id);
      let jobs = free * size;
      if (gate && operationsCountAgainstRate(target)) {
        // Wait for tokens for a worthwhile batch instead of sending batches of one as tokens trickle in.
        jobs = await gate.acquire(jobs, Math.min(size, gate.capacity));
        tokens.set(target.id, jobs);
      } else if (gate) {
        const calls = await gate.acquire(free, 1);
        tokens.set(target.id, calls);
        jobs = calls * size;
      }
      if (jobs > 0) {
        slots[target.id] = jobs;
        blockedMs = undefined;
      } else if (gate) {
        const waitMs = gate.waitMs();
        blockedFor(waitMs);
        this.deps.events.rateLimitWait({ instanceId: target.id, cause: 'rate-limit', waitMs });
      }
    }
    return { slots, tokens, ...(blockedMs === undefined ? {} : { blockedMs }) };
  }

  /** Asks a batching target's connector how many operations one request carries now (SCIM: 1 without /Bulk). */
  private async refreshBatchLimit(target: ProvisioningTarget): Promise<void> {
    const connector = target.instance.connector;
    if (declaredBatchSize(target) <= 1 || !connector.batchLimit) return;
    const now = this.deps.clock.now();
    if ((this.batchLimitRetryAt.get(target.id) ?? 0) > now) return;
    try {
      this.batchLimits.set(target.id, Math.max(1, Math.floor(await connector.batchLimit())));
      this.batchLimitRetryAt.delete(target.id);
    } catch (error) {
      // One operation per slot meanwhile; the jobs' own retries still probe the target.
      if (!this.batchLimitRetryAt.has(target.id))
        this.deps.logger.warn({ err: error, connector: target.id }, 'could not learn the batch size; claiming one operation per slot');
      this.batchLimits.set(target.id, 1);
      this.batchLimitRetryAt.set(target.id, now + BATCH_LIMIT_RETRY_MS);
    }
  }

  /** Operations per remote call: the declared batch size, bounded by what the connector says it sends now. */
  private batchSize(target: ProvisioningTarget): number {
    return Math.min(declaredBatchSize(target), this.batchLimits.get(target.id) ?? Infinity);
  }

  /**
   * Claimed jobs → tasks: user jobs of a batching target in chunks of its batch size,
   * the rest one by one. Returns the rate-limit tokens each target's tasks use.
   */
  private launchAll(jobs: readonly ClaimedJob[]): Map<string, number> {
    const used = new Map<string, number>();
    const launch = (chunk: ClaimedJob[], target: ProvisioningTarget | undefined) => {
      const cost = target && operationsCountAgainstRate(target) ? chunk.length : 1;
      used.set(chunk[0].instanceId, (used.get(chunk[0].instanceId) ?? 0) + cost);
      this.launch(chunk, target);
    };
    const chunks = new Map<string, ClaimedJob[]>();
    for (const job of jobs) {
      const target = this.byId.get(job.instanceId);
      if (target && job.entityType === 'user' && this.batchSize(target) > 1) {
        const chunk = chunks.get(target.id) ?? [];
        chunk.push(job);
        if (chunk.length >= this.batchSize(target)) {
          launch(chunk, target);
          chunks.delete(target.id);
        } else chunks.set(target.id, chunk);
      } else launch([job], target);
    }
    for (const [id, chunk] of chunks) launch(chunk, this.byId.get(id));
    return used;
  }

  /**
   * Nothing claimed. While no target can take a job (`blockedMs`), a poll would find nothing to
   * run: sleep until the first one can (a finishing task or new jobs wake the loop sooner), at
   * most until the next lease sweep. Otherwise poll as configured, sooner when a job falls due.
   */
  private async idle(blockedMs: number | undefined): Promise<void> {
    if (blockedMs !== undefined) {
      await this.sleep(Math.max(1, Math.min(blockedMs, this.leaseSweepMs)));
      return;
    }
    const idleMs = this.options.idlePollMs ?? 1000;
    const next = await this.deps.store.nextDueJobAt();
    // A job due now that could not be claimed waits behind its identity's running job (or a
    // full slot): a finishing task wakes us; poll gently for those another process runs.
    const untilDue = next === undefined ? idleMs : next > this.deps.clock.now() ? next - this.deps.clock.now() : 50;
    const rateWait = Math.min(...[...this.gates.values()].map((g) => g.waitMs()).filter((ms) => ms > 0), Infinity);
    await this.sleep(Math.min(idleMs, untilDue, rateWait));
  }

  private sleep(ms: number): Promise<void> {
    if (this.nudged) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** Wakes the loop now, or makes it skip its next sleep when it is not asleep yet. */
  private nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /**
   * One task: a single job, or a chunk of user jobs for one batch call. Occupies one concurrency slot.
   * Its remote calls are bounded by the lease: aborted a margin before it ends, later as renewals land.
   */
  private launch(jobs: ClaimedJob[], target: ProvisioningTarget | undefined): void {
    const instanceId = jobs[0].instanceId;
    this.inFlight.set(instanceId, (this.inFlight.get(instanceId) ?? 0) + 1);
    const leaseEnd = Math.min(...jobs.map((job) => this.leases.get(job.id) ?? 0));
    const deadline = new CallDeadline(
      leaseEnd - leaseMarginMs(this.leaseMs),
      this.deps.clock,
      () => "the job's lease ends (worker.leaseSeconds) before the call finished",
      { workerId: this.id, jobs: jobs.map((job) => ({ id: job.id, claim: job.history.length })) },
    );
    for (const job of jobs) this.deadlines.set(job.id, deadline);
    const task = (
      jobs.length === 1 || !target
        ? Promise.all(jobs.map((job) => this.execute(job, target, deadline.signal)))
        : this.executeBatch(jobs, target, deadline.signal)
    )
      .then(
        () => undefined,
        (error: unknown) => this.deps.logger.error({ err: error, connector: instanceId }, 'could not record a job outcome'),
      )
      .finally(() => {
        deadline.dispose();
        for (const job of jobs) {
          this.leases.delete(job.id);
          this.deadlines.delete(job.id);
        }
        this.inFlight.set(instanceId, (this.inFlight.get(instanceId) ?? 1) - 1);
        this.active.delete(task);
        this.nudge();
      });
    this.active.add(task);
  }

  /** Each outcome is recorded as it lands, before the next request of the batch goes out. */
  private async executeBatch(jobs: readonly ClaimedJob[], target: ProvisioningTarget, signal: AbortSignal): Promise<void> {
    const live: ClaimedJob[] = [];
    for (const job of jobs) {
      if (this.stillOurs(job)) live.push(job);
      else await this.handBack(job);
    }
    if (live.length === 0) return;
    const byId = new Map(live.map((job) => [job.id, job]));
    const report = async (result: BatchJobResult) => {
      const job = byId.get(result.job.id);
      if (!job) return;
      if (result.ok) await this.succeeded(job, result.result);
      else if (remoteCallAborted(signal)) await this.abandon(job, cutOff(result.error, this.deps.scrub));
      else await this.failed(job, result.error, target);
    };
    await runUserBatch(this.deps.executor, live, target, report, { signal });
  }

  /**
   * Fencing on our side: a job whose lease we cannot show is still ours may already run
   * elsewhere, so nothing is sent for it (the store refuses its outcome anyway).
   */
  private stillOurs(job: ClaimedJob): boolean {
    const until = this.leases.get(job.id) ?? 0;
    // A margin for the clocks of processes sharing the store.
    if (this.deps.clock.now() < until - leaseMarginMs(this.leaseMs)) return true;
    this.logger(job).warn({ outcome: 'lease lost' }, 'lease about to end before the job started; handing it back');
    return false;
  }

  private async execute(job: ClaimedJob, target: ProvisioningTarget | undefined, signal: AbortSignal): Promise<void> {
    if (!target) {
      await this.fail(job, `connector instance "${job.instanceId}" is not configured (or disabled)`, 'permanent', undefined);
      return;
    }
    if (!this.stillOurs(job)) {
      await this.handBack(job);
      return;
    }
    let result: ExecutionResult;
    try {
      result = await this.deps.executor.run(job, target, { signal });
    } catch (error) {
      // Cut off at the lease deadline (or answered only after it): what reached the target is unknown.
      if (remoteCallAborted(signal)) await this.abandon(job, cutOff(error, this.deps.scrub));
      else await this.failed(job, error, target);
      return;
    }
    await this.succeeded(job, result);
  }

  /**
   * Not started because its lease is about to end: handed back at once rather than left running
   * under our claim (which our heartbeat would go on renewing, so nobody would take it over).
   */
  private async handBack(job: ClaimedJob): Promise<void> {
    await this.abandon(job, 'the lease was about to end before the job started; nothing was sent');
  }

  /**
   * A call cut off at the lease deadline: neither failed nor a counted attempt. The job goes
   * back as a takeover would put it, outcome unknown (the next attempt looks before acting),
   * due after the takeover grace so that a request cut off under way has landed by then.
   */
  private async abandon(job: ClaimedJob, why: string): Promise<void> {
    const now = this.deps.clock.now();
    const saved = await this.recorded(job, () =>
      this.deps.store.abandonClaim({
        jobId: job.id,
        claimToken: job.claimToken,
        now,
        runAt: now + takeoverGraceMs(this.leaseMs),
        error: why,
      }),
    );
    if (!saved) return;
    this.logger(job).warn(
      { outcome: 'handed back', error: why },
      'lease deadline: the job goes back with its outcome unknown; the next attempt looks first',
    );
    this.deps.events.jobFinished({ job, outcome: 'retry', error: why });
  }

  private logger(job: JobRecord): Logger {
    return this.deps.logger.child({
      jobId: job.id,
      connector: job.instanceId,
      entityType: job.entityType,
      localId: job.localId,
      action: job.action,
      attempt: job.attempts,
      ...(job.requestId ? { requestId: job.requestId } : {}),
    });
  }

  /**
   * Records an outcome; false when our claim was superseded (our lease lapsed and the job
   * was taken over): that is logged, not counted, and the new claimer's attempt decides.
   */
  private async recorded(job: ClaimedJob, record: () => Promise<void>): Promise<boolean> {
    try {
      await record();
      return true;
    } catch (error) {
      if (!isStaleClaimError(error)) throw error;
      this.logger(job).warn({ outcome: 'stale claim' }, 'the job was taken over by another claim; this outcome is not recorded');
      return false;
    }
  }

  private async succeeded(job: ClaimedJob, result: ExecutionResult): Promise<void> {
    const { store, clock, events } = this.deps;
    const saved = await this.recorded(job, () =>
      store.completeJob({
        jobId: job.id,
        claimToken: job.claimToken,
        now: clock.now(),
        link: result.link,
        followUps: result.followUps,
        summary: result.summary,
      }),
    );
    this.deps.quarantine?.recordCall(job.instanceId);
    if (!saved) return;
    if (result.followUps?.length) events.jobsEnqueued();
    this.logger(job).info({ outcome: 'succeeded', summary: result.summary, remoteId: result.link?.remoteId }, 'job succeeded');
    events.jobFinished({ job, outcome: 'succeeded' });
  }

  /** Classifies the error: retry later with backoff, or fail with the remote message. */
  private async failed(job: ClaimedJob, error: unknown, target: ProvisioningTarget): Promise<void> {
    const { store, clock, events } = this.deps;
    const logger = this.logger(job);
    const message = this.deps.scrub(errorText(error));
    this.deps.quarantine?.recordCall(target.id, error);
    // Refused credentials and the like are the quarantine's business: the job waits it out instead of failing.
    const kind = this.deps.quarantine?.holdsFailure(target.id, error) ? 'transient' : classifyError(error);
    const willRetry = kind === 'transient' && job.attempts < job.maxAttempts;
    const link = await this.linkAfterError(job, message, willRetry);
    const retryAfter = isTransientError(error) ? error.retryAfterMs : undefined;
    // Retry-After speaks for the whole target, not this job: the other jobs wait too.
    if (retryAfter !== undefined && retryAfter > 0) {
      this.pausedUntil.set(target.id, Math.max(this.pausedUntil.get(target.id) ?? 0, clock.now() + retryAfter));
      events.rateLimitWait({ instanceId: target.id, cause: 'retry-after', waitMs: retryAfter });
    }
    if (willRetry) {
      const delay = retryDelayMs(job.attempts, target.instance.settings.retry, retryAfter, this.options.random);
      const saved = await this.recorded(job, () =>
        store.retryJobLater({
          jobId: job.id,
          claimToken: job.claimToken,
          now: clock.now(),
          runAt: clock.now() + delay,
          error: message,
          errorKind: 'transient',
          link,
        }),
      );
      if (!saved) return;
      logger.warn({ outcome: 'retry', error: message, retryInMs: delay }, 'job failed; will retry');
      events.jobFinished({ job, outcome: 'retry', error: message });
    } else {
      const why = kind === 'transient' ? `${message} (gave up after ${job.attempts} attempts)` : message;
      if (!(await this.fail(job, why, kind === 'transient' ? 'transient' : kind, link))) return;
      logger.error({ outcome: 'failed', error: why, errorKind: kind }, 'job failed');
    }
  }

  private async fail(
    job: ClaimedJob,
    message: string,
    kind: 'transient' | 'permanent' | 'conflict',
    link: LinkRecord | undefined,
  ): Promise<boolean> {
    const saved = await this.recorded(job, () =>
      this.deps.store.failJob({
        jobId: job.id,
        claimToken: job.claimToken,
        now: this.deps.clock.now(),
        error: message,
        errorKind: kind,
        link,
      }),
    );
    if (saved) this.deps.events.jobFinished({ job, outcome: 'failed', error: message });
    return saved;
  }

  /** The link records the last error but keeps what was synced before; it is `failed` only when we give up. */
  private async linkAfterError(job: JobRecord, message: string, willRetry: boolean): Promise<LinkRecord> {
    const link = await this.deps.store.getLink(job.instanceId, job.entityType, job.localId);
    const status = willRetry ? (link?.status ?? 'pending') : 'failed';
    return { instanceId: job.instanceId, entityType: job.entityType, localId: job.localId, ...link, status, lastError: message };
  }
}

/** Operations per remote call as declared: 1 unless the target's connector batches and the instance allows it. */
function declaredBatchSize(target: ProvisioningTarget): number {
  const capability = target.instance.definition.capabilities.batch;
  const settings = target.instance.settings.batch;
  if (!capability || !settings.enabled || !target.instance.connector.provisionBatch) return 1;
  return Math.max(1, Math.min(capability.maxOperations, settings.maxOperations ?? capability.maxOperations));
}

/** Whether the target's rate limit counts the operations inside a batch rather than the call. */
function operationsCountAgainstRate(target: ProvisioningTarget): boolean {
  return declaredBatchSize(target) > 1 && target.instance.definition.capabilities.batch?.eachOperationCounts === true;
}

function cutOff(error: unknown, scrub: (text: string) => string): string {
  return `the lease ended before the call finished; its outcome is unknown (${scrub(errorText(error))})`;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
