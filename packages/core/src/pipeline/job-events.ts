import { EventEmitter } from 'node:events';
import type { JobRecord } from '../store/records.js';

export type JobOutcome = 'succeeded' | 'retry' | 'failed';

export interface JobFinishedEvent {
  job: JobRecord;
  outcome: JobOutcome;
  error?: string;
}

/**
 * In-process signals between the identity service and the workers: new jobs
 * (wake the worker now instead of at its next poll) and finished jobs (for
 * blocking-mode callers and progress displays).
 */
export class JobEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  jobsEnqueued(): void {
    this.emitter.emit('enqueued');
  }

  onJobsEnqueued(listener: () => void): () => void {
    this.emitter.on('enqueued', listener);
    return () => this.emitter.off('enqueued', listener);
  }

  jobFinished(event: JobFinishedEvent): void {
    this.emitter.emit('finished', event);
  }

  onJobFinished(listener: (event: JobFinishedEvent) => void): () => void {
    this.emitter.on('finished', listener);
    return () => this.emitter.off('finished', listener);
  }
}
