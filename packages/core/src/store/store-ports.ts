import type { EntityType } from '../model/identity.js';
import type { AttrPath, FilterNode } from '../scim-filter/filter-ast.js';
import type {
  AuditEntry,
  AuditRecord,
  ClaimedJob,
  ErrorKind,
  GroupRecord,
  JobRecord,
  JobStatus,
  LinkRecord,
  NewJob,
  UserRecord,
} from './records.js';

/**
 * One atomic write: identities, the jobs they cause (outbox) and the audit
 * trail commit together or not at all. Expected versions make it optimistic:
 * a concurrent change to the same identity makes the commit fail with a
 * `StoreConflictError` of kind `version`, and the caller re-reads and retries.
 */
export interface IdentityWrite {
  putUsers?: UserRecord[];
  deleteUsers?: string[];
  putGroups?: GroupRecord[];
  deleteGroups?: string[];
  /** id → version the caller read; 0 means "must not exist yet". */
  expectedUserVersions?: Record<string, number>;
  expectedGroupVersions?: Record<string, number>;
  jobs?: NewJob[];
  audit?: AuditEntry[];
  /** A new password, kept sealed until every target awaiting it has received it (replaces the user's earlier one). */
  pendingPasswords?: ({ userId: string } & PendingPassword)[];
  /** Users whose pending password is destroyed unsent (it expired). */
  dropPendingPasswords?: string[];
}

/**
 * A password waiting to be provisioned. It stays until every target in `awaiting`
 * has received it (a job of that target for the user completed, none of it pending),
 * the user sets a new one, the user is deleted, or `expiresAt` passes
 * (`security.pendingPasswordTtl`). A failed job never drops it: its retry still sends it.
 */
export interface PendingPassword {
  sealed: string;
  /** Ids of the password-provisioning targets still to receive it. */
  awaiting: string[];
  /** Epoch ms after which it is destroyed unsent. */
  expiresAt: number;
}

export type StoreConflictKind = 'version' | 'uniqueness';

export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
  constructor(
    readonly kind: StoreConflictKind,
    message: string,
    readonly entityType: EntityType,
    readonly entityId?: string,
  ) {
    super(message);
  }
}

export function isStoreConflictError(error: unknown): error is StoreConflictError {
  return error instanceof Error && error.name === 'StoreConflictError' && 'kind' in error;
}

/**
 * The store cannot take writes (disk full, read-only file or volume, I/O error):
 * the write was not saved. Callers answer "try again later", never "done".
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isStoreUnavailableError(error: unknown): error is StoreUnavailableError {
  return error instanceof Error && error.name === 'StoreUnavailableError';
}

/**
 * An outcome recorded with a claim token that is no longer the job's: its lease
 * expired and another worker took the job over (or it was released). The outcome
 * is not recorded; the new claimer's attempt decides.
 */
export class StaleClaimError extends Error {
  override readonly name = 'StaleClaimError';
  constructor(readonly jobId: string) {
    super(`job ${jobId} was taken over by another claim; this outcome is not recorded`);
  }
}

export function isStaleClaimError(error: unknown): error is StaleClaimError {
  return error instanceof Error && error.name === 'StaleClaimError';
}

export interface ClaimOptions {
  workerId: string;
  now: number;
  leaseMs: number;
  /** Most jobs to claim per instance (its free concurrency slots). Instances not listed get none. */
  slots: Record<string, number>;
}

export interface JobFilter {
  status?: JobStatus;
  instanceId?: string;
  localId?: string;
  limit?: number;
  /** Only jobs with id < this, newest first (keyset paging). */
  before?: string;
}

export interface JobOutcomeBase {
  jobId: string;
  /** The token of the claim this outcome belongs to; a superseded claim's outcome is refused (StaleClaimError). */
  claimToken: string;
  now: number;
  /** The link as it stands after this attempt (written in the same transaction). */
  link?: LinkRecord;
}

export interface JobSucceeded extends JobOutcomeBase {
  /** Jobs this one causes (e.g. group syncs once a member user exists remotely). */
  followUps?: NewJob[];
}

export interface JobRetry extends JobOutcomeBase {
  runAt: number;
  error: string;
  errorKind: ErrorKind;
}

export interface JobFailed extends JobOutcomeBase {
  error: string;
  errorKind: ErrorKind;
}

export type StatusCounts = Record<JobStatus, number>;

/**
 * A SCIM list query (RFC 7644 §3.4.2) executed by the store. The filter applies to
 * the identity as the outside sees it (`userView`/`groupView`: id, meta, derived
 * `groups`). Without `sortBy` the order is insertion order. Sorting: strings
 * case-insensitively (except caseExact attributes), absent values last when
 * ascending; `descending` reverses that; ties stay in insertion order.
 */
export interface IdentityQuery {
  filter?: FilterNode;
  sortBy?: AttrPath;
  sortOrder?: 'ascending' | 'descending';
  /** 1-based; values below 1 mean 1. */
  startIndex?: number;
  /** Most records to return; undefined: all. 0 returns only totalResults. */
  count?: number;
}

export interface QueryPage<T> {
  /** Matches of the filter, before paging. */
  totalResults: number;
  records: T[];
}

/**
 * Core's persistence port. Implemented by @provisio/store-sqlite (embedded) and
 * @provisio/store-postgres (scale-out); `storeContractCases` checks both.
 */
export interface Store {
  /** Applies one atomic write (see IdentityWrite). */
  commit(write: IdentityWrite): Promise<void>;

  getUser(id: string): Promise<UserRecord | undefined>;
  getUserByUserName(userName: string): Promise<UserRecord | undefined>;
  getGroup(id: string): Promise<GroupRecord | undefined>;
  /** Groups that have this identity as a direct member. */
  groupsOfMember(memberId: string): Promise<GroupRecord[]>;
  /** Ids of all users in id order, for reconcile (keyset paging after `afterId`). */
  listUserIds(afterId: string | undefined, limit: number): Promise<string[]>;
  listGroupIds(afterId: string | undefined, limit: number): Promise<string[]>;
  /** Filter, sort and page users in the store (indexed for id, userName, externalId, emails.value, displayName, active, meta.*). */
  queryUsers(query: IdentityQuery): Promise<QueryPage<UserRecord>>;
  queryGroups(query: IdentityQuery): Promise<QueryPage<GroupRecord>>;

  getLink(instanceId: string, entityType: EntityType, localId: string): Promise<LinkRecord | undefined>;
  linksOf(entityType: EntityType, localId: string): Promise<LinkRecord[]>;
  /** Links of many identities at once (member remote ids of a group). */
  linksFor(instanceId: string, entityType: EntityType, localIds: readonly string[]): Promise<LinkRecord[]>;

  /** The pending password of a user, if one is waiting to be provisioned (also when expired: the caller destroys it). */
  pendingPassword(userId: string): Promise<PendingPassword | undefined>;

  // Job queue
  /**
   * Claims due pending jobs, oldest first; never two jobs of one (instance, identity)
   * at once. Each claim gets a fresh `claimToken`.
   */
  claimJobs(options: ClaimOptions): Promise<ClaimedJob[]>;
  /**
   * Outcomes of a claim. Each throws StaleClaimError, recording nothing, unless the job
   * is still running under `claimToken` (fencing: a worker whose lease was taken over
   * cannot overwrite what the new claimer does). A job going back to pending (retry,
   * release) is superseded instead when a newer job of its identity is pending.
   * completeJob: the target of a completed user job has its pending password, which
   * it leaves `awaiting` (see PendingPassword); failJob keeps it.
   */
  completeJob(outcome: JobSucceeded): Promise<void>;
  retryJobLater(outcome: JobRetry): Promise<void>;
  failJob(outcome: JobFailed): Promise<void>;
  /**
   * Takeover: returns jobs whose lease expired (their worker died) to pending; returns
   * how many. A taken-over job's attempt is `abandoned` in its history and does not
   * count (attempts - 1, takeovers + 1), and it is marked `outcomeUnknown`. Every
   * release below does the same.
   */
  releaseExpiredJobs(now: number): Promise<number>;
  /**
   * At start: returns jobs abandoned by a process that died to pending. A store
   * used by one process at a time (SQLite) releases every running job; a shared
   * one (PostgreSQL) only those whose lease expired.
   */
  recoverAbandonedJobs(now: number): Promise<number>;
  /** Heartbeat: moves the lease of every job this worker is running to `leaseUntil`; returns how many. */
  extendLeases(workerId: string, leaseUntil: number): Promise<number>;
  /** Returns this worker's running jobs to pending (graceful stop). */
  releaseJobsOf(workerId: string): Promise<number>;
  /** Failed jobs back to pending with a fresh attempt budget; returns the jobs retried. */
  retryFailedJobs(filter: { jobId?: string; instanceId?: string }, now: number): Promise<JobRecord[]>;
  getJob(id: string): Promise<JobRecord | undefined>;
  listJobs(filter: JobFilter): Promise<JobRecord[]>;
  jobCounts(instanceId?: string): Promise<StatusCounts>;
  /** Earliest runAt among pending jobs, to sleep exactly until then. */
  nextDueJobAt(): Promise<number | undefined>;

  listAudit(options: { entityId?: string; limit?: number; beforeSeq?: number }): Promise<AuditRecord[]>;

  /**
   * Rate-limit buckets every process shares (a target's API limit is global, not per
   * process). Absent: each process limits itself (a store used by one process).
   */
  readonly sharedRateLimits?: SharedRateLimits;

  close(): Promise<void>;
}

export const EMPTY_COUNTS: StatusCounts = Object.freeze({ pending: 0, running: 0, succeeded: 0, failed: 0, superseded: 0 });

export interface RateLimitSettings {
  perSecond: number;
  /** Most tokens the bucket holds (operations that may start at once). */
  burst: number;
}

/** Token buckets kept in the store, one per connector instance, refilled on the store's clock. */
export interface SharedRateLimits {
  /**
   * Takes up to `wanted` tokens now, or none when fewer than `minimum` are there.
   * `waitMs`: how long until `minimum` tokens will be there (0 when granted).
   */
  take(instanceId: string, wanted: number, minimum: number, rate: RateLimitSettings): Promise<{ granted: number; waitMs: number }>;
  /** Gives back tokens taken but not used (fewer jobs were due than tokens taken). */
  giveBack(instanceId: string, count: number, rate: RateLimitSettings): Promise<void>;
}
