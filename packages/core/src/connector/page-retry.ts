import { systemClock, type Clock } from '../clock.js';
import { isTransientError } from '../errors.js';

export interface PageRetryOptions {
  /** Tries in all, the first included (default 5). */
  attempts?: number;
  /** First pause when the target names none (default 1 s), doubling up to `maxDelayMs` (default 30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  clock?: Clock;
}

/**
 * One page of a listing, fetched again after a transient failure (503, 429, a dropped connection),
 * waiting what the target's Retry-After says or a doubling pause: a read of 100,000 accounts must
 * not die of one busy answer halfway. Reads change nothing, so a retry is always safe. Permanent
 * errors, and the last transient one, go to the caller.
 */
export async function fetchPage<T>(fetch: () => Promise<T>, options: PageRetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const clock = options.clock ?? systemClock;
  let delay = options.baseDelayMs ?? 1000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetch();
    } catch (error) {
      if (!isTransientError(error) || attempt >= attempts) throw error;
      if (error.retryAfterMs !== undefined) await clock.sleep(error.retryAfterMs);
      else {
        await clock.sleep(delay);
        delay = Math.min(options.maxDelayMs ?? 30_000, delay * 2);
      }
    }
  }
}
