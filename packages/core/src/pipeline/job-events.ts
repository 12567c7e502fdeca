import { EventEmitter } from 'node:events';
import type { JobRecord } from '../store/records.js';
import type { GuardResolvedEvent, GuardTriggeredEvent } from './safety-events.js';

export type JobOutcome = 'succeeded' | 'retry' | 'failed';

export interface JobFinishedEvent {
  job: JobRecord;
  outcome: JobOutcome;
  error?: string;
}

/** The worker holds calls to a target back: its rate limit has no tokens, or it answered Retry-After. */
export interface RateLimitWaitEvent {
  instanceId: string;
  cause: 'rate-limit' | 'retry-after';
  /** How long until calls may go again (an estimate for `rate-limit`). */
  waitMs: number;
}

/**
 * In-process signals between the identity service and the workers: new jobs
 * (wake the worker now instead of at its next poll) and finished jobs (for
 * blocking-mode callers and progress displays), and the safety rails' signals
 * (an accidental-deletion guard tripped or was resolved) for notifications.
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

  rateLimitWait(event: RateLimitWaitEvent): void {
    this.emitter.emit('rate-limit-wait', event);
  }

  /** For metrics: each time the worker holds a target's calls back. */
  onRateLimitWait(listener: (event: RateLimitWaitEvent) => void): () => void {
    this.emitter.on('rate-limit-wait', listener);
    return () => this.emitter.off('rate-limit-wait', listener);
  }

  /** Emitted once, by the process whose commit tripped the guard. */
  guardTriggered(event: GuardTriggeredEvent): void {
    this.emitter.emit('guardTriggered', event);
  }

  onGuardTriggered(listener: (event: GuardTriggeredEvent) => void): () => void {
    this.emitter.on('guardTriggered', listener);
    return () => this.emitter.off('guardTriggered', listener);
  }

  guardResolved(event: GuardResolvedEvent): void {
    this.emitter.emit('guardResolved', event);
  }

  onGuardResolved(listener: (event: GuardResolvedEvent) => void): () => void {
    this.emitter.on('guardResolved', listener);
    return () => this.emitter.off('guardResolved', listener);
  }
}
