import type { Notification } from '../extension/notification-channel.js';

/** One failed job in a `job.failed` message. */
export interface FailedJobSummary {
  jobId: string;
  entityType: string;
  localId: string;
  action: string;
  error: string;
}

/**
 * Every event an operator can be told about, with its details. Adding an event
 * kind is one line here; publishers and channels pick it up by name.
 */
export interface OperatorEventDetails {
  /** The deletion guard held an instance's deprovisioning jobs (published by the guard). */
  'guard.triggered': { held: number; threshold: string; windowSeconds: number };
  'quarantine.entered': { reason: string; since: string; nextProbeAt: string };
  'quarantine.left': { by: 'probe' | 'operator'; since: string; probes: number; operator?: string };
  /** Jobs that failed for good, batched: at most one message per instance per interval. */
  'job.failed': { count: number; jobs: FailedJobSummary[] };
  /** Reconcile found accounts that differ from the store (drift) or that nobody owns (orphans). */
  'reconcile.drift': { drift: number; orphans: number };
}

export type OperatorEventKind = keyof OperatorEventDetails;

/** Keyed by kind so a kind added above and missing here does not compile. */
const KINDS: Record<OperatorEventKind, true> = {
  'guard.triggered': true,
  'quarantine.entered': true,
  'quarantine.left': true,
  'job.failed': true,
  'reconcile.drift': true,
};

export const OPERATOR_EVENT_KINDS = Object.keys(KINDS) as OperatorEventKind[];

export interface OperatorEvent<K extends OperatorEventKind = OperatorEventKind> {
  kind: K;
  severity: Notification['severity'];
  /** One line for a human; never a secret. */
  message: string;
  connectorId?: string;
  details: OperatorEventDetails[K];
}

/** Where the pipeline hands its events; never blocks and never throws. */
export type PublishOperatorEvent = <K extends OperatorEventKind>(event: OperatorEvent<K>) => void;

/** For pipelines without notifications (tests, `--role api`). */
export const IGNORE_OPERATOR_EVENTS: PublishOperatorEvent = () => undefined;
