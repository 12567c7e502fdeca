import { z } from 'zod';
import { EntityType, Instant } from './common.js';

// A new field of core's JobRecord or a new attempt outcome goes here, and into
// the server's jobView: the document, the request checks and the console's types
// follow from these.
// 'held': stopped by the accidental-deletion guard until released; 'discarded': held, then cancelled by an operator.
export const JOB_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'superseded', 'held', 'discarded'] as const;
export const JOB_ACTIONS = ['sync', 'delete', 'orphan.delete', 'orphan.deactivate'] as const;
export const ERROR_KINDS = ['transient', 'permanent', 'conflict'] as const;
// 'abandoned': the worker died or lost its lease mid-attempt; the attempt does not count.
export const ATTEMPT_OUTCOMES = ['succeeded', 'retry', 'failed', 'abandoned'] as const;

export const JobStatus = z.enum(JOB_STATUSES);
const ErrorKind = z.enum(ERROR_KINDS);

export const JobCounts = z.object(
  Object.fromEntries(JOB_STATUSES.map((s) => [s, z.int().nonnegative()])) as Record<(typeof JOB_STATUSES)[number], z.ZodInt>,
);

export const JobAttempt = z.object({
  attempt: z.int().positive(),
  startedAt: Instant,
  finishedAt: Instant.optional(),
  outcome: z.enum(ATTEMPT_OUTCOMES).optional(),
  error: z.string().optional(),
  errorKind: ErrorKind.optional(),
  summary: z.string().optional().meta({ description: 'what a succeeded attempt did' }),
});

export const Job = z.object({
  id: z.string(),
  connector: z.string().meta({ description: 'connector instance id' }),
  entityType: EntityType,
  localId: z.string().meta({ description: 'local user or group id' }),
  action: z.enum(JOB_ACTIONS),
  reason: z.string().meta({ description: 'why it was planned: created, updated, left scope, membership, reconcile, retry...' }),
  status: JobStatus,
  attempts: z.int().nonnegative(),
  maxAttempts: z.int().positive(),
  takeovers: z
    .int()
    .nonnegative()
    .meta({ description: 'times another worker took the job over from one that died or lost its lease (not counted as attempts)' }),
  outcomeUnknown: z
    .boolean()
    .meta({ description: 'an earlier attempt ended without a recorded outcome: the next attempt looks the account up before acting' }),
  runAt: Instant.meta({ description: 'when the next attempt may start' }),
  createdAt: Instant,
  updatedAt: Instant,
  lastError: z.string().nullable(),
  lastErrorKind: ErrorKind.nullable(),
  claimedBy: z.string().nullable().meta({ description: 'running jobs: the worker holding the lease (null otherwise)' }),
  leaseUntil: Instant.nullable().meta({
    description: 'running jobs: when the lease expires and another worker may take the job over (null otherwise)',
  }),
  history: z.array(JobAttempt),
});

export const JobList = z.object({
  jobs: z.array(Job),
  next: z.string().nullable().meta({ description: 'pass as ?before= for the next page; null on the last page' }),
});
export const RetriedCount = z.object({ retried: z.int().nonnegative() });
