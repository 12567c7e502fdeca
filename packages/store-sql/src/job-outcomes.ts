import {
  StaleClaimError,
  type ErrorKind,
  type JobAttempt,
  type JobFailed,
  type JobRetry,
  type JobStatus,
  type JobSucceeded,
} from '@provisio/core/engine';

/** What every outcome a worker reports names: the claim, its time, and the link as the attempt left it. */
export type ClaimOutcome = Pick<JobSucceeded, 'jobId' | 'claimToken' | 'now' | 'link'>;

/**
 * What recording a claim's outcome writes, alike in both SQL stores: the job's new
 * status, what its last attempt gets, and the columns it sets (undefined: kept).
 */
export interface RecordedOutcome {
  status: JobStatus;
  attempt: Pick<JobAttempt, 'outcome' | 'error' | 'errorKind' | 'summary'>;
  runAt?: number;
  error?: string;
  errorKind?: ErrorKind;
}

/** The RecordedOutcome of each way a claim ends. */
export const recordedOutcome = {
  succeeded: ({ summary }: JobSucceeded): RecordedOutcome => ({
    status: 'succeeded',
    attempt: { outcome: 'succeeded', ...(summary ? { summary } : {}) },
  }),
  retry: ({ runAt, error, errorKind }: JobRetry): RecordedOutcome => ({
    status: 'pending',
    attempt: { outcome: 'retry', error, errorKind },
    runAt,
    error,
    errorKind,
  }),
  failed: ({ error, errorKind }: JobFailed): RecordedOutcome => ({
    status: 'failed',
    attempt: { outcome: 'failed', error, errorKind },
    error,
    errorKind,
  }),
};

/** What fencing reads of a job's row. */
export interface ClaimedJobRow {
  status: string;
  claim_token: string | null;
}

/** Fencing: only the current claim of an existing job records an outcome (else an Error, or StaleClaimError). */
export function assertCurrentClaim<Row extends ClaimedJobRow>(
  row: Row | undefined,
  { jobId, claimToken }: ClaimOutcome,
): asserts row is Row {
  if (!row) throw new Error(`job ${jobId} does not exist`);
  if (row.status !== 'running' || row.claim_token !== claimToken) throw new StaleClaimError(jobId);
}

/**
 * What recording an outcome writes into the job's row, in the order both stores' UPDATE sets them: status,
 * updated_at, history (JSON, its last attempt finished `now` as recorded), then run_at, last_error and
 * last_error_kind (null: kept as they are). Finishes the last attempt of `history` in place.
 */
export function finishedJobColumns(history: JobAttempt[], now: number, recorded: RecordedOutcome) {
  const at = new Date(now).toISOString();
  const last = history[history.length - 1];
  if (last) Object.assign(last, { finishedAt: at, ...recorded.attempt });
  return [
    recorded.status,
    at,
    JSON.stringify(history),
    recorded.runAt ?? null,
    recorded.error ?? null,
    recorded.errorKind ?? null,
  ] as const;
}
