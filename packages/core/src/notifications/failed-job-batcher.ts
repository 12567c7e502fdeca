import type { JobEvents } from '../pipeline/job-events.js';
import type { FailedJobSummary, PublishOperatorEvent } from './operator-events.js';

/** Jobs listed in one message at most; the count still says how many failed. */
const MAX_LISTED = 50;

/**
 * Turns permanently failed jobs into `job.failed` events: the first failure of an
 * instance opens a batch, and `intervalMs` later one message lists what failed in
 * it. At most one message per instance per interval however many jobs fail.
 */
export class FailedJobBatcher {
  private readonly batches = new Map<string, { count: number; jobs: FailedJobSummary[]; timer: ReturnType<typeof setTimeout> }>();
  private unsubscribe?: () => void;

  constructor(
    private readonly publish: PublishOperatorEvent,
    private readonly intervalMs: number,
  ) {}

  watch(events: JobEvents): void {
    this.unsubscribe = events.onJobFinished(({ job, outcome, error }) => {
      if (outcome !== 'failed') return;
      this.add(job.instanceId, { jobId: job.id, entityType: job.entityType, localId: job.localId, action: job.action, error: error ?? '' });
    });
  }

  private add(instanceId: string, job: FailedJobSummary): void {
    let batch = this.batches.get(instanceId);
    if (!batch) {
      const timer = setTimeout(() => this.flush(instanceId), this.intervalMs);
      timer.unref?.();
      batch = { count: 0, jobs: [], timer };
      this.batches.set(instanceId, batch);
    }
    batch.count += 1;
    if (batch.jobs.length < MAX_LISTED) batch.jobs.push(job);
  }

  private flush(instanceId: string): void {
    const batch = this.batches.get(instanceId);
    if (!batch) return;
    this.batches.delete(instanceId);
    this.publish({
      kind: 'job.failed',
      severity: 'error',
      connectorId: instanceId,
      message: `${batch.count} job${batch.count === 1 ? '' : 's'} of ${instanceId} failed for good`,
      details: { count: batch.count, jobs: batch.jobs },
    });
  }

  /** Sends what is batched now (graceful stop) and stops listening. */
  stop(): void {
    this.unsubscribe?.();
    for (const [instanceId, batch] of [...this.batches]) {
      clearTimeout(batch.timer);
      this.flush(instanceId);
    }
  }
}
