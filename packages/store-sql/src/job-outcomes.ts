import type { ErrorKind, JobAttempt, JobFailed, JobRetry, JobStatus, JobSucceeded } from '@provisio/core/engine';

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
