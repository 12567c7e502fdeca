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
    return this.subscribe('enqueued', listener);
  }

  jobFinished(event: JobFinishedEvent): void {
    this.emitter.emit('finished', event);
  }

  onJobFinished(listener: (event: JobFinishedEvent) => void): () => void {
    return this.subscribe('finished', listener);
  }

  rateLimitWait(event: RateLimitWaitEvent): void {
    this.emitter.emit('rate-limit-wait', event);
  }

  /** For metrics: each time the worker holds a target's calls back. */
  onRateLimitWait(listener: (event: RateLimitWaitEvent) => void): () => void {
    return this.subscribe('rate-limit-wait', listener);
  }

  /** Emitted once, by the process whose commit tripped the guard. */
  guardTriggered(event: GuardTriggeredEvent): void {
    this.emitter.emit('guardTriggered', event);
  }

  onGuardTriggered(listener: (event: GuardTriggeredEvent) => void): () => void {
    return this.subscribe('guardTriggered', listener);
  }

  guardResolved(event: GuardResolvedEvent): void {
    this.emitter.emit('guardResolved', event);
  }

  onGuardResolved(listener: (event: GuardResolvedEvent) => void): () => void {
    return this.subscribe('guardResolved', listener);
  }

  /** Adds `listener` to `name`; the function returned removes it again. */
  private subscribe<A extends unknown[]>(name: string, listener: (...args: A) => void): () => void {
    const untyped = listener as (...args: unknown[]) => void;
    this.emitter.on(name, untyped);
    return () => this.emitter.off(name, untyped);
  }
}
