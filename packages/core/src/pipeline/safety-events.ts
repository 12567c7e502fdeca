import type { GuardDecision } from '../store/store-ports.js';

/** An instance's accidental-deletion guard tripped: its deprovisioning jobs are held from now on. */
export interface GuardTriggeredEvent {
  instanceId: string;
  /** ISO time of the commit that tripped it. */
  at: string;
}

/** An operator released or discarded an instance's held jobs; the guard is reset. */
export interface GuardResolvedEvent {
  instanceId: string;
  decision: GuardDecision;
  /** How many held jobs the decision covered. */
  jobs: number;
  actor: string;
  at: string;
}
