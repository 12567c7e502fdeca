import type { TargetFailure } from './target-failure.js';

/** Calls remembered per instance at most: the window is bounded in count as well as time. */
const MAX_CALLS = 10_000;

interface Call {
  at: number;
  failure?: TargetFailure;
}

/**
 * The outcomes of an instance's recent calls, for "how many of the last N minutes'
 * calls failed, and why". Counts are kept as calls come and go: O(1) per call.
 */
export class CallWindow {
  private calls: Call[] = [];
  private head = 0;
  private readonly failures = new Map<TargetFailure, number>();

  constructor(private readonly windowMs: number) {}

  record(at: number, failure: TargetFailure | undefined): void {
    this.calls.push(failure === undefined ? { at } : { at, failure });
    if (failure) this.failures.set(failure, (this.failures.get(failure) ?? 0) + 1);
    if (this.calls.length - this.head > MAX_CALLS) this.dropOldest();
  }

  /** Calls in the window ending at `now`, failed ones, and the most frequent failure among them. */
  summary(now: number): { calls: number; failed: number; failure?: TargetFailure } {
    const from = now - this.windowMs;
    while (this.head < this.calls.length && this.calls[this.head].at < from) this.dropOldest();
    if (this.head > 1024 && this.head * 2 > this.calls.length) {
      this.calls = this.calls.slice(this.head);
      this.head = 0;
    }
    let failed = 0;
    let failure: TargetFailure | undefined;
    for (const [kind, count] of this.failures) {
      failed += count;
      if (count > 0 && (failure === undefined || count > (this.failures.get(failure) ?? 0))) failure = kind;
    }
    return { calls: this.calls.length - this.head, failed, ...(failure ? { failure } : {}) };
  }

  clear(): void {
    this.calls = [];
    this.head = 0;
    this.failures.clear();
  }

  private dropOldest(): void {
    const call = this.calls[this.head];
    this.head += 1;
    if (call?.failure) this.failures.set(call.failure, (this.failures.get(call.failure) ?? 1) - 1);
  }
}
