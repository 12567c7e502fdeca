import type { Store } from '@provisio/core/engine';

export interface MinuteBucket {
  /** Start of the minute, ISO 8601. */
  minute: string;
  succeeded: number;
  /** Attempts that failed for good. */
  failed: number;
  /** Attempts that failed and will be retried. */
  retried: number;
}

export interface Throughput {
  from: string;
  to: string;
  connector: string | null;
  buckets: MinuteBucket[];
  /** True when the scan stopped at its bound before reaching jobs older than the window. */
  truncated: boolean;
}

const PAGE = 500;

/**
 * Finished attempts per minute over the last `minutes`, from the jobs' own
 * attempt history in the store (so it survives restarts and counts every
 * worker process). Jobs are scanned newest first until one created before the
 * window, at most `maxJobs`: attempts of older jobs retried within the window
 * are counted when they are in the scanned pages.
 */
export async function throughputPerMinute(
  store: Store,
  options: { now: number; minutes: number; connector?: string; maxJobs?: number },
): Promise<Throughput> {
  const end = Math.floor(options.now / 60000) * 60000 + 60000;
  const start = end - options.minutes * 60000;
  const buckets: MinuteBucket[] = Array.from({ length: options.minutes }, (_, i) => ({
    minute: new Date(start + i * 60000).toISOString(),
    succeeded: 0,
    failed: 0,
    retried: 0,
  }));
  const maxJobs = options.maxJobs ?? 20000;
  let scanned = 0;
  let before: string | undefined;
  let reachedOlder = false;
  while (scanned < maxJobs && !reachedOlder) {
    const jobs = await store.listJobs({ instanceId: options.connector, limit: PAGE, before });
    for (const job of jobs) {
      for (const attempt of job.history) {
        const at = attempt.finishedAt ? Date.parse(attempt.finishedAt) : NaN;
        if (!(at >= start && at < end) || !attempt.outcome) continue;
        const bucket = buckets[Math.floor((at - start) / 60000)];
        if (attempt.outcome === 'succeeded') bucket.succeeded += 1;
        else if (attempt.outcome === 'failed') bucket.failed += 1;
        else if (attempt.outcome === 'retry') bucket.retried += 1;
        // 'abandoned' (a takeover) is neither: the next attempt is the job's real outcome.
      }
      if (Date.parse(job.createdAt) < start) reachedOlder = true;
    }
    scanned += jobs.length;
    if (jobs.length < PAGE) {
      reachedOlder = true;
      break;
    }
    before = jobs[jobs.length - 1].id;
  }
  return {
    from: new Date(start).toISOString(),
    to: new Date(end).toISOString(),
    connector: options.connector ?? null,
    buckets,
    truncated: !reachedOlder,
  };
}
