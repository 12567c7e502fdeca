export interface FailedAuthThrottleOptions {
  /** Failed authentications an address may make in one window; the next request waits for the window's end (429). */
  limit: number;
  windowMs: number;
  /** Addresses remembered at most; the least recently seen is forgotten first, so memory stays bounded under a flood. */
  maxAddresses?: number;
  now?: () => number;
}

interface Window {
  startedAt: number;
  failures: number;
}

/** What recordFailure tells the caller: whether this failure used up the address's allowance. */
export interface FailureRecorded {
  /** True exactly once per window: when the address reaches the limit (log it once, not every refused request after). */
  blockedNow: boolean;
}

const DEFAULT_MAX_ADDRESSES = 10_000;

/**
 * Counts failed authentications per remote address in fixed windows. An
 * address that reached the limit is refused (429, Retry-After) until its window
 * ends, without its credentials being checked, so guessing costs a window per
 * `limit` tries. A Map in least-recently-used order bounds the memory.
 */
export class FailedAuthThrottle {
  private readonly windows = new Map<string, Window>();
  private readonly maxAddresses: number;
  private readonly now: () => number;

  constructor(private readonly options: FailedAuthThrottleOptions) {
    this.maxAddresses = options.maxAddresses ?? DEFAULT_MAX_ADDRESSES;
    this.now = options.now ?? Date.now;
  }

  get limit(): number {
    return this.options.limit;
  }

  get windowSeconds(): number {
    return this.options.windowMs / 1000;
  }

  /** Addresses currently remembered. */
  get size(): number {
    return this.windows.size;
  }

  /** Seconds the address must wait before trying again, or undefined when it may try now. */
  retryAfterSeconds(address: string): number | undefined {
    const window = this.current(address);
    if (!window || window.failures < this.options.limit) return undefined;
    return Math.max(1, Math.ceil((window.startedAt + this.options.windowMs - this.now()) / 1000));
  }

  recordFailure(address: string): FailureRecorded {
    const window = this.current(address) ?? { startedAt: this.now(), failures: 0 };
    window.failures += 1;
    this.remember(address, window);
    return { blockedNow: window.failures === this.options.limit };
  }

  /** A success forgets the address's failures: a client that mistyped once is not punished later. */
  recordSuccess(address: string): void {
    this.windows.delete(address);
  }

  /** The address's window if it is still running (touching it as recently used), else forgets it. */
  private current(address: string): Window | undefined {
    const window = this.windows.get(address);
    if (!window) return undefined;
    if (this.now() - window.startedAt >= this.options.windowMs) {
      this.windows.delete(address);
      return undefined;
    }
    this.remember(address, window);
    return window;
  }

  private remember(address: string, window: Window): void {
    this.windows.delete(address);
    this.windows.set(address, window);
    while (this.windows.size > this.maxAddresses) {
      const oldest = this.windows.keys().next().value as string;
      this.windows.delete(oldest);
    }
  }
}
