import { EventEmitter } from 'node:events';
import type { JobRecord } from '../store/records.js';
import type { GuardResolvedEvent, GuardTriggeredEvent } from './safety-events.js';

export type JobOutcome = 'succeeded' | 'retry' | 'failed';

export interface JobFinishedEvent {
  job: JobRecord;
  outcome: JobOutcome;
  error?: string;
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
