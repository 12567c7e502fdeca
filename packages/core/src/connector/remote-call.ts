import type { Clock } from '../clock.js';

/** What the worker hands each remote call of a job besides its payload. */
export interface RemoteCallOptions {
  /**
   * Aborted when the job's lease is about to end: a call must not start, and should stop
   * waiting, after that (another worker may take the job over). Pass it to the client's
   * request, and check `remoteCallAborted` right before anything is sent. Put
   * `remoteCallHeaders(signal)` on every request too: they name the job and attempt.
   */
  signal?: AbortSignal;
}

/**
 * Who sends a task's remote calls: the worker, and each job of the task with the claim it runs under:
 * its n-th claim is its n-th history entry (abandoned attempts count here, unlike in `attempts`).
 */
export interface RemoteCallOrigin {
  workerId: string;
  jobs: readonly { id: string; claim: number }[];
}

/** `<jobId>.<claim>` of the job a request was sent for (see RemoteCallOrigin), comma-separated for a batch's jobs. */
export const JOB_HEADER = 'X-Provisio-Job';
/** The id of the worker that sent it (claimed_by in the store). */
export const WORKER_HEADER = 'X-Provisio-Worker';

/** Origins of signals made by CallDeadline. */
const origins = new WeakMap<AbortSignal, RemoteCallOrigin>();

/**
 * The headers naming who sends a request under `signal` (see RemoteCallOrigin), so that a target's own
 * logs tell which job and attempt a request came from; none for a signal without an origin. Never secrets.
 */
export function remoteCallHeaders(signal: AbortSignal | undefined): Record<string, string> {
  const origin = signal && origins.get(signal);
  if (!origin) return {};
  return {
    [JOB_HEADER]: origin.jobs.map((job) => `${job.id}.${job.claim}`).join(','),
    [WORKER_HEADER]: origin.workerId,
  };
}

/** The abort reason of a call stopped at its job's lease deadline. */
export class LeaseDeadlineError extends Error {
  override readonly name = 'LeaseDeadlineError';
}

/** Deadlines behind signals made by CallDeadline, so a check can read the clock and not wait for the timer. */
const deadlines = new WeakMap<AbortSignal, CallDeadline>();

/**
 * Whether a call under `signal` must not go on. Besides `signal.aborted`, a signal of a
 * CallDeadline is checked against its clock: its timer can fire late when the event loop is
 * busy, and a request must not leave after the deadline because the timer had not run yet.
 */
export function remoteCallAborted(signal: AbortSignal | undefined): boolean {
  if (!signal) return false;
  deadlines.get(signal)?.check();
  return signal.aborted;
}

/**
 * Milliseconds left before a CallDeadline's signal aborts (0 once it has), for clients that
 * take a timeout but no signal; undefined for any other signal.
 */
export function remoteCallTimeLeft(signal: AbortSignal | undefined): number | undefined {
  const deadline = signal && deadlines.get(signal);
  if (!deadline) return undefined;
  return signal.aborted ? 0 : Math.max(0, deadline.timeLeft());
}

/** Throws the signal's reason when the call must not go on (see remoteCallAborted). */
export function throwIfRemoteCallAborted(signal: AbortSignal | undefined): void {
  if (remoteCallAborted(signal)) throw signal?.reason instanceof Error ? signal.reason : new LeaseDeadlineError('the call was aborted');
}

/**
 * A movable deadline for the remote calls of one task: its signal aborts when the clock
 * reaches `at` (by a timer, and by any check of remoteCallAborted after that moment).
 * With an `origin`, the signal also names who sends the calls (remoteCallHeaders).
 */
export class CallDeadline {
  private readonly controller = new AbortController();
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private at: number,
    private readonly clock: Clock,
    private readonly reason: () => string,
    origin?: RemoteCallOrigin,
  ) {
    deadlines.set(this.controller.signal, this);
    if (origin) origins.set(this.controller.signal, origin);
    this.arm();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** A renewal that succeeded: the deadline moves (never back, and not once aborted). */
  moveTo(at: number): void {
    if (this.signal.aborted || at <= this.at) return;
    this.at = at;
    this.arm();
  }

  timeLeft(): number {
    return this.at - this.clock.now();
  }

  /** Aborts now if the deadline has passed. */
  check(): void {
    if (!this.signal.aborted && this.clock.now() >= this.at) this.abort();
  }

  /** The task is over: no timer left behind. */
  dispose(): void {
    clearTimeout(this.timer);
  }

  private arm(): void {
    clearTimeout(this.timer);
    const wait = this.at - this.clock.now();
    if (wait <= 0) {
      this.abort();
      return;
    }
    // Timers run on a monotonic clock and may fire a moment before the wall clock says the deadline
    // has come: the callback arms again rather than checking once, or such a deadline would never abort.
    this.timer = setTimeout(() => this.arm(), wait);
    this.timer.unref?.();
  }

  private abort(): void {
    clearTimeout(this.timer);
    this.controller.abort(new LeaseDeadlineError(this.reason()));
  }
}
