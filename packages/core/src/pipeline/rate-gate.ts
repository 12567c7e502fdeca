import type { Clock } from '../clock.js';
import type { RateLimitSettings, SharedRateLimits } from '../store/store-ports.js';
import { RateLimiter } from './rate-limiter.js';

/**
 * A connector instance's rate limit as the worker sees it: tokens taken before
 * jobs are claimed, and the unused ones given back. Kept in this process
 * (one process per store) or in the store (every process shares the bucket).
 */
export interface RateGate {
  /** The most operations that can ever start at once (the burst). */
  readonly capacity: number;
  /** Up to `wanted` tokens now; none when fewer than `minimum` are there. */
  acquire(wanted: number, minimum: number): Promise<number>;
  release(count: number): Promise<void>;
  /** Estimated milliseconds until tokens are there again (0: now). */
  waitMs(): number;
}

export function localRateGate(rate: RateLimitSettings, clock: Clock): RateGate {
  const limiter = new RateLimiter(rate.perSecond, rate.burst, clock);
  return {
    capacity: limiter.capacity,
    async acquire(wanted, minimum) {
      const available = limiter.available();
      if (available < minimum) return 0;
      const granted = Math.min(wanted, available);
      limiter.take(granted);
      return granted;
    },
    async release(count) {
      limiter.take(-count);
    },
    waitMs: () => limiter.waitMs(),
  };
}

export function sharedRateGate(instanceId: string, rate: RateLimitSettings, shared: SharedRateLimits, clock: Clock): RateGate {
  let retryAt = 0;
  return {
    capacity: rate.burst,
    async acquire(wanted, minimum) {
      const { granted, waitMs } = await shared.take(instanceId, wanted, minimum, rate);
      retryAt = granted > 0 ? 0 : clock.now() + waitMs;
      return granted;
    },
    async release(count) {
      await shared.giveBack(instanceId, count, rate);
    },
    waitMs: () => Math.max(0, retryAt - clock.now()),
  };
}
