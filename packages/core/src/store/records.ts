import type { MappedAttributes } from '../connector/outbound-connector.js';
import type { EntityType, ScimGroup, ScimUser } from '../model/identity.js';

/** A user as stored. `resource` is the canonical SCIM 2.0 form without password or derived `groups`. */
export interface UserRecord {
  id: string;
  userName: string;
  externalId?: string;
  active: boolean;
  resource: ScimUser;
  /** Incremented on every write; the SCIM ETag is W/"<version>". */
  version: number;
  createdAt: string;
  updatedAt: string;
  /** scrypt hash; never the password itself. */
  passwordHash?: string;
}

export interface GroupMemberRef {
  value: string;
  display?: string;
  type?: 'User' | 'Group';
}

export interface GroupRecord {
  id: string;
  displayName: string;
  externalId?: string;
  resource: ScimGroup;
  members: GroupMemberRef[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A group without its member list, which may be long: a membership change and a user's derived `groups` need none of it. */
export type GroupSummary = Omit<GroupRecord, 'members'>;

/**
 * Members added to and taken out of one group as a delta (IdentityWrite.changeGroupMembers): only their rows are
 * written, the group's other members are neither read nor rewritten. The group must be in the write's expected versions.
 */
export interface GroupMembersChange {
  groupId: string;
  /** Appended after the current members, in this order; one that is already a member (the same value) stays where it is. */
  add: GroupMemberRef[];
  /** Values of members to take out, exactly as stored (see Store.findGroupMembers); a value not in the group is no change. */
  remove: string[];
  /** The group's version and updatedAt once changed. */
  version: number;
  updatedAt: string;
}

/** `skipped`: deprovisioning was skipped on purpose (`deprovision.mode: skip`): the remote account is still there, left alone. */
export type LinkStatus = 'pending' | 'synced' | 'failed' | 'deprovisioned' | 'skipped';

/** What WSO2 calls the provisioned identifier: local identity ↔ remote account, per connector instance. */
export interface LinkRecord {
  instanceId: string;
  entityType: EntityType;
  localId: string;
  remoteId?: string;
  remoteName?: string;
  status: LinkStatus;
  lastError?: string;
  lastSyncedAt?: string;
  /** The mapped attributes last written remotely: updates send only what changed since. */
  syncedAttributes?: MappedAttributes;
  /** Groups: remote ids of the members last written remotely. */
  syncedMembers?: string[];
  /** Users: whether the remote account is active (deactivated on deprovision). */
  remoteActive?: boolean;
}

/**
 * `sync`: make the remote match the local identity now (create, update, reactivate). `delete`: deprovision
 * (as the instance's `deprovision.mode` says). `orphan.delete` / `orphan.deactivate`: remove an orphan
 * that a reconcile found (`reconcile.orphans`), a remote account no local identity stands for.
 */
export type JobAction = 'sync' | 'delete' | 'orphan.delete' | 'orphan.deactivate';
/**
 * `held`: a deprovisioning job the accidental-deletion guard stopped (never claimed) until an operator
 * releases it (back to `pending`) or discards it (`discarded`: nothing sent, the link unchanged).
 */
export type JobStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'superseded' | 'held' | 'discarded';
export type ErrorKind = 'transient' | 'permanent' | 'conflict';

export interface NewJob {
  instanceId: string;
  entityType: EntityType;
  localId: string;
  action: JobAction;
  /** Why it was planned: created, updated, left scope, membership, reconcile, retry... */
  reason: string;
  maxAttempts: number;
  /** Epoch ms; defaults to now. */
  runAt?: number;
  /**
   * The identity as it was when the job was planned (no password). Lets a job whose
   * earlier attempt's outcome is unknown look for the account even after the local
   * identity is gone (a delete after a lost create answer).
   */
  lastKnown?: ScimUser | ScimGroup;
  /** The inbound request (X-Request-Id or a generated id) that caused the job: on its log lines too. */
  requestId?: string;
  /** Set on jobs that deprovision (delete, deactivate, leave scope): the instance's accidental-deletion guard applies. */
  guard?: JobGuard;
}

/**
 * The accidental-deletion guard as a job carries it into the store, which decides in the
 * transaction that plans the job whether it runs or is held: at most the smaller of
 * `maxCount` and `maxPercent` % of the instance's linked accounts within `windowMs`.
 */
export interface JobGuard {
  maxCount?: number;
  maxPercent?: number;
  windowMs: number;
  /**
   * Whether the job counts in the window (a deprovisioning change). False for a job that only carries
   * an already deprovisioned state (an update of an inactive user): held while the guard is tripped, never counted.
   */
  counts: boolean;
}

/** An instance's guard as the store keeps it: once tripped it stays so until an operator releases or discards the held jobs. */
export interface DeprovisionGuardState {
  instanceId: string;
  tripped: boolean;
  /** When it tripped (ISO); absent when not tripped. */
  trippedAt?: string;
  /** Deprovisioning counts only from here on (ISO; the last release or discard); absent: the window alone decides. */
  countingSince?: string;
}

export interface JobAttempt {
  attempt: number;
  startedAt: string;
  finishedAt?: string;
  /** `abandoned`: the worker died or lost its lease mid-attempt; the job was taken over and the attempt does not count. */
  outcome?: 'succeeded' | 'retry' | 'failed' | 'abandoned';
  error?: string;
  errorKind?: ErrorKind;
  /** What a succeeded attempt did, as the executor said it ("created", "already up to date", "looked up after an unknown outcome; …"). */
  summary?: string;
}

export interface JobRecord extends Required<Omit<NewJob, 'runAt' | 'lastKnown' | 'requestId' | 'guard'>> {
  id: string;
  status: JobStatus;
  /** Attempts that reached an outcome, plus the one running: what counts against maxAttempts. */
  attempts: number;
  /** Times the job was taken over from a worker that died or lost its lease (not counted as attempts). */
  takeovers?: number;
  /**
   * An earlier attempt (of this job or one it superseded) ended without a recorded
   * outcome: the remote may have been changed. The next attempt looks before acting.
   */
  outcomeUnknown?: boolean;
  lastKnown?: ScimUser | ScimGroup;
  requestId?: string;
  runAt: number;
  createdAt: string;
  updatedAt: string;
  lastError?: string;
  lastErrorKind?: ErrorKind;
  claimedBy?: string;
  leaseUntil?: number;
  history: JobAttempt[];
}

/**
 * A job as its claimer holds it. `claimToken` fences the claim: a later claim of the
 * same job issues a new one, and outcomes recorded with an old token are refused
 * (StaleClaimError). Internal to the pipeline: never shown by APIs or logs.
 */
export interface ClaimedJob extends JobRecord {
  claimToken: string;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  entityType: EntityType | 'job' | 'connector';
  entityId: string;
  details?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  seq: number;
}

/** What a report is of: an import (link what exists), later also reconcile (compare, repair). */
export type TargetReportKind = 'import' | 'reconcile';
/** `running`: under way, or its process died (a later run continues); `aborted`: stopped on request. */
export type TargetReportStatus = 'running' | 'done' | 'failed' | 'aborted';

/** One item of a report: a remote account and the local identities it concerns. */
export interface TargetReportItem {
  remoteId?: string;
  /** Several remote accounts (one local identity that more than one matches). */
  remoteIds?: string[];
  remoteName?: string;
  localIds?: string[];
  /** What rule or reason put it in this list ("Username", "several remote accounts match"). */
  note?: string;
  /** Reconcile's drift: each mapped field whose remote value is not what the mapping wants now. */
  differences?: FieldDifference[];
}

/** One field of a remote account that differs from what the mapping wants (absent values are omitted). */
export interface FieldDifference {
  field: string;
  remote?: unknown;
  wanted?: unknown;
}

/**
 * A run that read a target, with its counts and the first items of each kind. Import writes
 * `linked`, `alreadyLinked`, `ambiguous`, `orphans`, `unmatchedLocal`; reconcile may add its own kinds.
 */
export interface TargetReportRecord {
  id: string;
  instanceId: string;
  kind: TargetReportKind;
  status: TargetReportStatus;
  /** False: a dry run, nothing written. */
  apply: boolean;
  actor: string;
  startedAt: string;
  finishedAt?: string;
  /** Remote accounts read so far. */
  read: number;
  counts: Record<string, number>;
  /** kind → the first items (at most the report's sample size each). */
  samples: Record<string, TargetReportItem[]>;
  error?: string;
}
