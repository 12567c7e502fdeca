import type { Clock } from '../clock.js';
import { DEFAULT_TENANT } from '../model/tenant.js';
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
  /** Estimated milliseconds until the `minimum` the last refused acquire asked for is there (0: now). */
  waitMs(): number;
}

function localRateGate(rate: RateLimitSettings, clock: Clock): RateGate {
  const limiter = new RateLimiter(rate.perSecond, rate.burst, clock);
  // What the last refusal wanted: a worker waiting for a whole batch's tokens need not wake for each one.
  let awaited = 1;
  return {
    capacity: limiter.capacity,
    async acquire(wanted, minimum) {
      const available = limiter.available();
      if (available < minimum) {
        awaited = Math.max(1, minimum);
        return 0;
      }
      awaited = 1;
      const granted = Math.min(wanted, available);
      limiter.take(granted);
      return granted;
    },
    async release(count) {
      limiter.take(-count);
    },
    waitMs: () => limiter.waitMs(awaited),
  };
}

function sharedRateGate(instanceId: string, rate: RateLimitSettings, shared: SharedRateLimits, clock: Clock): RateGate {
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

/**
 * The bucket an instance's rate limit draws from: its own (its id; beneath the default tenant as before tenants,
 * `<tenant>/<id>` for another), or with `rateLimit.key` one shared by every instance of any tenant naming that key:
 * two tenants pointed at one Salesforce org or Google domain then keep to its limit together.
 */
export function rateBucketKey(tenant: string, instanceId: string, sharedKey?: string): string {
  if (sharedKey !== undefined) return `key:${sharedKey}`;
  return tenant === DEFAULT_TENANT ? instanceId : `${tenant}/${instanceId}`;
}

/**
 * The rate gates of one process, by bucket key, so the workers of several tenants (each its own runtime) that share
 * a `rateLimit.key` take from one bucket; kept in the store's shared buckets when it has them (several processes).
 */
export class RateGates {
  private readonly gates = new Map<string, RateGate>();

  constructor(private readonly clock: Clock) {}

  gateFor(key: string, rate: RateLimitSettings, shared: SharedRateLimits | undefined): RateGate {
    const id = `${key}\u0000${rate.perSecond}\u0000${rate.burst}`;
    let gate = this.gates.get(id);
    if (!gate) {
      gate = shared ? sharedRateGate(key, rate, shared, this.clock) : localRateGate(rate, this.clock);
      this.gates.set(id, gate);
    }
    return gate;
  }
}
