import type { Clock } from '../clock.js';

/** What the worker hands each remote call of a job besides its payload. */
export interface RemoteCallOptions {
  /**
   * Aborted when the job's lease is about to end: a call must not start, and should stop
   * waiting, after that (another worker may take the job over). Pass it to the client's
   * request, and check `remoteCallAborted` right before anything is sent.
   */
  signal?: AbortSignal;
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
 */
export class CallDeadline {
  private readonly controller = new AbortController();
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private at: number,
    private readonly clock: Clock,
    private readonly reason: () => string,
  ) {
    deadlines.set(this.controller.signal, this);
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
