import type { ErrorKind, JobAttempt, JobRecord, JobStatus, NewJob } from '@provisio/core/engine';

/** A row of `jobs` as pg returns it (bigint columns arrive as strings). */
export interface JobRow {
  id: string;
  instance_id: string;
  entity_type: JobRecord['entityType'];
  local_id: string;
  action: JobRecord['action'];
  reason: string;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  run_at: string;
  created_at: string;
  updated_at: string;
  last_error: string | null;
  last_error_kind: ErrorKind | null;
  claimed_by: string | null;
  lease_until: string | null;
  history: JobAttempt[];
  boss_id: string | null;
  takeovers: number;
  outcome_unknown: boolean;
  claim_token: string | null;
  last_known: NewJob['lastKnown'] | null;
  request_id: string | null;
}

export function toJob(row: JobRow): JobRecord {
  return {
    id: String(row.id),
    instanceId: row.instance_id,
    entityType: row.entity_type,
    localId: row.local_id,
    action: row.action,
    reason: row.reason,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: Number(row.run_at),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    ...(row.last_error_kind === null ? {} : { lastErrorKind: row.last_error_kind }),
    ...(row.claimed_by === null ? {} : { claimedBy: row.claimed_by }),
    ...(row.lease_until === null ? {} : { leaseUntil: Number(row.lease_until) }),
    history: row.history,
    takeovers: row.takeovers,
    ...(row.outcome_unknown ? { outcomeUnknown: true } : {}),
    ...(row.last_known === null ? {} : { lastKnown: row.last_known }),
    ...(row.request_id === null ? {} : { requestId: row.request_id }),
  };
}

/** Job ids are decimal bigints; anything else names no job (and must not reach SQL as one). */
export function jobIdOrUndefined(id: string): string | undefined {
  return /^[1-9][0-9]{0,17}$/.test(id) ? id : undefined;
}
