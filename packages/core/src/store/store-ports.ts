import type { EntityType } from '../model/identity.js';
import type { AttrPath, FilterNode } from '../scim-filter/filter-ast.js';
import type { QuarantineStates } from './quarantine-states.js';
import type { ScheduledRuns } from './scheduled-runs.js';
import type {
  AuditEntry,
  AuditRecord,
  ClaimedJob,
  DeprovisionGuardState,
  ErrorKind,
  GroupMembersChange,
  GroupMemberRef,
  GroupRecord,
  GroupSummary,
  JobRecord,
  JobStatus,
  LinkRecord,
  NewJob,
  TargetReportKind,
  TargetReportRecord,
  UserRecord,
} from './records.js';

export { DEFAULT_TENANT } from '../model/tenant.js';

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
  /** Membership deltas: costs what changes, not the size of the group (applied after putGroups and deleteGroups). */
  changeGroupMembers?: GroupMembersChange[];
  /** id → version the caller read; 0 means "must not exist yet". */
  expectedUserVersions?: Record<string, number>;
  expectedGroupVersions?: Record<string, number>;
  jobs?: NewJob[];
  audit?: AuditEntry[];
  /** A new password, kept sealed until every target awaiting it has received it (replaces the user's earlier one). */
  pendingPasswords?: ({ userId: string } & PendingPassword)[];
  /** Users whose pending password is destroyed unsent (it expired). */
  dropPendingPasswords?: string[];
  /** Links written as they are (insert or replace), e.g. accounts an import found in the target. */
  putLinks?: LinkRecord[];
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

/** What a commit decided beyond storing the write. */
export interface CommitReceipt {
  /** Instances whose accidental-deletion guard tripped in this commit (their deprovisioning jobs are held from now on). */
  trippedGuards: string[];
}

/** An operator's decision on an instance's held jobs: send them, or cancel them. */
export type GuardDecision = 'release' | 'discard';

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
  /** What the attempt did: kept on the attempt in the job's history. */
  summary?: string;
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

/** A claim handed back because its call was cut off at the lease deadline: what it did remotely is unknown. */
export interface JobAbandoned {
  jobId: string;
  claimToken: string;
  now: number;
  /** Not before then: a request cut off under way has this long to land before the next attempt looks. */
  runAt: number;
  /** Why, for the attempt's history. */
  error: string;
}

export type StatusCounts = Record<JobStatus, number>;

/** Job statuses retention may remove: the ones no longer waiting for anything (pending and running jobs are never pruned). */
export type PrunableJobStatus = Extract<JobStatus, 'succeeded' | 'superseded' | 'failed'>;

export interface JobPruneFilter {
  status: PrunableJobStatus;
  /** Epoch ms: jobs whose last change (their outcome) is older than this. */
  finishedBefore: number;
}

export interface AuditPruneFilter {
  /** Epoch ms: entries recorded before this. */
  before: number;
}

/** What a prune would remove (the dry run): how many, and the time span they cover (ISO, undefined when none). */
export interface PrunableSummary {
  count: number;
  oldest?: string;
  newest?: string;
}

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
  /**
   * The tenant this store is bound to: every read and write below is scoped to it (see forTenant).
   * A store opened without a tenant is bound to the default one (`DEFAULT_TENANT` unless configured).
   */
  readonly tenant: string;
  /**
   * The same store bound to another tenant (a lowercase DNS name). Identities, links, jobs, pending
   * passwords, audit, target reports, guards, quarantines and schedules are that tenant's alone:
   * userName and group displayName are unique per tenant, and an id or instance id of another
   * tenant's row is not found, not claimed, not counted and not pruned. Shares the connection:
   * closing a view does nothing, closing the store it came from closes them all.
   */
  forTenant(tenant: string): Store;
  /** Tenants that hold any identity, link, job, audit entry or target report, sorted. */
  tenantsWithData(): Promise<string[]>;
  /**
   * Deletes every row of this store's tenant in one transaction (`provisio tenant delete`); returns how many
   * identities (users and groups) went. Other tenants are untouched.
   */
  purgeTenant(): Promise<number>;

  /**
   * Applies one atomic write (see IdentityWrite). Jobs carrying a `guard` are counted against their
   * instance's accidental-deletion guard in the same transaction, so several processes agree: past the
   * allowance the guard trips and they (and every guarded job after them) are stored `held`.
   */
  commit(write: IdentityWrite): Promise<CommitReceipt>;

  /**
   * True when commits are applied in the order `commit` was called, each seeing the ones before
   * it, although none has resolved yet (one connection's group commit, the in-memory store). The
   * identity service then lets the next write of an identity build on one still being committed,
   * so that both share a commit; without it, writes of one identity wait for each other's commit.
   */
  readonly commitsInCallOrder?: boolean;

  getUser(id: string): Promise<UserRecord | undefined>;
  getUserByUserName(userName: string): Promise<UserRecord | undefined>;
  getGroup(id: string): Promise<GroupRecord | undefined>;
  /** The group without its members (cheap however large it is). */
  getGroupSummary(id: string): Promise<GroupSummary | undefined>;
  /**
   * The members of group `groupId` whose value equals one of `values` ignoring case (as a PATCH's
   * `members[value eq "…"]` matches them), in list order; cheap however large the group is.
   */
  findGroupMembers(groupId: string, values: readonly string[]): Promise<GroupMemberRef[]>;
  /** Groups that have this identity as a direct member. */
  groupsOfMember(memberId: string): Promise<GroupRecord[]>;
  /** groupsOfMember without the groups' members, by id (what a user's derived `groups` needs). */
  groupSummariesOfMember(memberId: string): Promise<GroupSummary[]>;
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
   * The claimer hands its job back with the outcome unknown (its call was aborted at the
   * lease deadline), exactly as a takeover would (see releaseExpiredJobs), due at `runAt`.
   * Fenced like the outcomes above (StaleClaimError).
   */
  abandonClaim(outcome: JobAbandoned): Promise<void>;
  /**
   * Takeover: returns jobs whose lease ended more than `graceMs` before `now` (their
   * worker died, or lost its lease) to pending; returns how many. A taken-over job's
   * attempt is `abandoned` in its history and does not count (attempts - 1, takeovers
   * + 1), and it is marked `outcomeUnknown`. Every release below does the same.
   */
  releaseExpiredJobs(now: number, graceMs?: number): Promise<number>;
  /**
   * At start: returns jobs abandoned by a process that died to pending. A store
   * used by one process at a time (SQLite) releases every running job; a shared
   * one (PostgreSQL) only those whose lease ended more than `graceMs` ago.
   */
  recoverAbandonedJobs(now: number, graceMs?: number): Promise<number>;
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

  // Retention
  /**
   * Deletes at most `limit` jobs of `status` finished before `finishedBefore`, oldest
   * first, in one short transaction; returns how many. A succeeded job stays while an
   * older failed job of its identity is kept: retrying that failure looks for newer jobs
   * so as not to replay old state over them. Idempotent: processes may prune at once.
   */
  pruneJobs(filter: JobPruneFilter & { limit: number }): Promise<number>;
  /**
   * How long one prune batch may hold this store, in ms (the pruner's default is 25). A store
   * whose statements run on the event loop (SQLite) asks for less: every SCIM request in flight
   * waits behind a whole batch.
   */
  readonly retentionBatchMs?: number;
  /** Deletes at most `limit` audit entries recorded before `before`, oldest first; returns how many. */
  pruneAudit(filter: AuditPruneFilter & { limit: number }): Promise<number>;
  /** What pruneJobs would remove with this filter, however many batches it takes (same rule). */
  countPrunableJobs(filter: JobPruneFilter): Promise<PrunableSummary>;
  countPrunableAudit(filter: AuditPruneFilter): Promise<PrunableSummary>;

  /**
   * Readiness: a real write (SQLite commits a heartbeat row; PostgreSQL writes in a
   * transaction it rolls back), so a read-only, full or unreachable store shows.
   * Throws (StoreUnavailableError when the store cannot take writes).
   */
  probeWrite(): Promise<void>;
  /** How many bytes the store's data takes, for the store-size metric; absent where unknown. */
  storageBytes?(): Promise<number>;

  /** An instance's accidental-deletion guard (never tripped: `tripped: false`). */
  deprovisionGuard(instanceId: string): Promise<DeprovisionGuardState>;
  /**
   * The operator's decision on an instance's held jobs, in one transaction with its audit entry:
   * `release` makes them pending (due now), `discard` marks them `discarded` (links unchanged). Either
   * way the guard is reset and its window restarts now. Returns how many jobs were decided.
   */
  resolveHeldJobs(instanceId: string, decision: GuardDecision, now: number, audit: AuditEntry): Promise<number>;

  /** Reports of runs that read a target (import, reconcile): insert or replace by id. */
  saveTargetReport(report: TargetReportRecord): Promise<void>;
  getTargetReport(id: string): Promise<TargetReportRecord | undefined>;
  /** Newest first. */
  listTargetReports(filter: { instanceId: string; kind?: TargetReportKind; limit?: number }): Promise<TargetReportRecord[]>;

  /**
   * Rate-limit buckets every process shares (a target's API limit is global, not per
   * process). Absent: each process limits itself (a store used by one process).
   */
  readonly sharedRateLimits?: SharedRateLimits;

  /** Connector instances in quarantine (kept in the store: they survive restarts and are shared by processes). */
  readonly quarantines: QuarantineStates;
  /** When scheduled runs (reconcile.every) are next due, shared by every process of the store. */
  readonly schedules: ScheduledRuns;

  close(): Promise<void>;
}

export const EMPTY_COUNTS: StatusCounts = Object.freeze({
  pending: 0,
  running: 0,
  succeeded: 0,
  failed: 0,
  superseded: 0,
  held: 0,
  discarded: 0,
});

export interface RateLimitSettings {
  perSecond: number;
  /** Most tokens the bucket holds (operations that may start at once). */
  burst: number;
}

/**
 * Token buckets kept in the store, refilled on the store's clock. Keyed by the caller's bucket key, not scoped by
 * tenant: two tenants' instances that share a target's limit (`rateLimit.key`) draw from one bucket.
 */
export interface SharedRateLimits {
  /**
   * Takes up to `wanted` tokens now, or none when fewer than `minimum` are there.
   * `waitMs`: how long until `minimum` tokens will be there (0 when granted).
   */
  take(instanceId: string, wanted: number, minimum: number, rate: RateLimitSettings): Promise<{ granted: number; waitMs: number }>;
  /** Gives back tokens taken but not used (fewer jobs were due than tokens taken). */
  giveBack(instanceId: string, count: number, rate: RateLimitSettings): Promise<void>;
}
