import type { Clock } from '../clock.js';
import type { ConnectorHttp } from '../http/connector-http.js';
import type { Logger } from '../logging/logger.js';
import type { ScimGroup, ScimUser } from '../model/identity.js';
import type { RemoteCallOptions } from './remote-call.js';
import type { MatchKey } from '../matching/match-rules.js';
import type { ReadCapability, ReadRequest, RemoteGroup, RemotePage, RemoteUser } from './read-side.js';

/** Remote field name → value, after the instance's mapping, defaults and transforms. */
export type MappedAttributes = Record<string, unknown>;

/** How a remote account is addressed once it exists (stored as the link). */
export interface RemoteRef {
  remoteId: string;
  /** Human-readable remote name (username, primary email), for the admin API. */
  remoteName?: string;
}

export interface UserPayload {
  /** Provisio's id of the user. */
  localId: string;
  /** The canonical local identity, read-only. */
  user: ScimUser;
  /** Remote fields built by the instance's mapping. */
  attributes: MappedAttributes;
  /** Remote account name built by the provisioning pattern, when the instance has one. */
  accountName?: string;
  /** Present only when password provisioning is enabled for this instance. */
  password?: string;
}

export interface UserUpdate extends UserPayload {
  remoteId: string;
  /** Only the remote fields whose mapped value changed since the last successful sync (null: clear it). */
  changed: MappedAttributes;
  /** The account was deactivated by an earlier deprovisioning and must be made active again. */
  reactivate?: boolean;
  /** The account name the link recorded at the last sync; differs from `accountName` on a rename. */
  previousAccountName?: string;
}

export interface DeletionResult {
  mode: 'deleted' | 'deactivated';
}

export interface UserDeletion {
  localId: string;
  remoteId: string;
  user?: ScimUser;
  /**
   * What this call must do, when the pipeline decides it (removing an orphan per `reconcile.orphans`).
   * Absent: the instance's own deprovisioning mode. A connector that cannot deactivate throws a PermanentError.
   */
  mode?: 'delete' | 'deactivate';
}

/** Natural keys a connector may use to find an account that already exists remotely. */
export interface UserLookup {
  localId: string;
  accountName?: string;
  externalId?: string;
  attributes: MappedAttributes;
  /**
   * The instance's match rules resolved for this identity, in order (see `match` in the manifest).
   * A connector that supports them tries each in turn and returns the first account found;
   * without them it looks by its own natural keys.
   */
  match?: readonly MatchKey[];
}

export interface GroupPayload {
  localId: string;
  group: ScimGroup;
  attributes: MappedAttributes;
  accountName?: string;
}

export interface GroupUpdate extends GroupPayload {
  remoteId: string;
  changed: MappedAttributes;
}

export interface GroupDeletion {
  localId: string;
  remoteId: string;
}

export interface MembershipChange {
  groupLocalId: string;
  groupRemoteId: string;
  /** Remote ids of the member users, resolved through their links. */
  memberRemoteIds: string[];
}

export interface GroupLookup {
  localId: string;
  displayName: string;
  accountName?: string;
  attributes: MappedAttributes;
}

/** One operation in a batch, and its own outcome: a batch never fails as a whole. */
export type BatchOperation =
  | { kind: 'createUser'; jobId: string; payload: UserPayload }
  | { kind: 'updateUser'; jobId: string; payload: UserUpdate }
  | { kind: 'deleteUser'; jobId: string; payload: UserDeletion };

export type BatchOutcome =
  { jobId: string; ok: true; ref?: RemoteRef; deletion?: DeletionResult } | { jobId: string; ok: false; error: Error };

/** A request a connector would send, shown by the console's preview. Secrets are masked (MASK). */
export interface RemoteRequestPreview {
  /** In the target's own words: `POST /Users`, `users.insert`, `create User`. */
  operation: string;
  method: string;
  /** Relative to the target's API root, or a full URL. */
  path: string;
  body?: unknown;
}

/** What a preview asks about: the create a new link needs, or the update an existing one needs. */
export type UserPreviewOperation = { kind: 'create'; payload: UserPayload } | { kind: 'update'; update: UserUpdate };

export interface HealthReport {
  ok: boolean;
  /** One line a human can act on: "authenticated as ...; 14,200 API calls left today". */
  message: string;
  details?: Record<string, unknown>;
}

export interface ConnectorCapabilities {
  users: true;
  groups: boolean;
  /**
   * Supports provisionBatch; the worker groups up to maxOperations jobs per call.
   * `eachOperationCounts`: the target's rate limit counts every operation inside
   * a batch (Google's Directory quota), so the instance's rateLimit does too.
   */
  batch?: { maxOperations: number; eachOperationCounts?: boolean };
  /** Can set a password on the remote account. */
  passwords?: boolean;
  /** Can read the target: listUsers/getUser, and listGroups/getGroup when `groups` (see read-side.ts). */
  read?: ReadCapability;
}

/**
 * What a connector instance talks to its target with. One object per instance,
 * created from the validated config; it keeps its own sessions/token caches.
 * Each provisioning call gets `call.signal`, aborted when the job's lease is about to
 * end: honour it (pass it to the HTTP client) so that no request leaves after that.
 */
export interface OutboundConnector {
  createUser(payload: UserPayload, call?: RemoteCallOptions): Promise<RemoteRef>;
  updateUser(update: UserUpdate, call?: RemoteCallOptions): Promise<RemoteRef | void>;
  /**
   * Deprovision: delete or deactivate, as the instance is configured. Must succeed
   * if the account is already gone. Return `{ mode: 'deactivated' }` when the
   * account still exists (a later sync then reactivates it instead of creating one).
   */
  deleteUser(deletion: UserDeletion, call?: RemoteCallOptions): Promise<DeletionResult | void>;
  findUser(lookup: UserLookup, call?: RemoteCallOptions): Promise<RemoteRef | null>;

  createGroup?(payload: GroupPayload, call?: RemoteCallOptions): Promise<RemoteRef>;
  updateGroup?(update: GroupUpdate, call?: RemoteCallOptions): Promise<RemoteRef | void>;
  deleteGroup?(deletion: GroupDeletion, call?: RemoteCallOptions): Promise<void>;
  findGroup?(lookup: GroupLookup, call?: RemoteCallOptions): Promise<RemoteRef | null>;
  addMembers?(change: MembershipChange, call?: RemoteCallOptions): Promise<void>;
  removeMembers?(change: MembershipChange, call?: RemoteCallOptions): Promise<void>;

  /**
   * Several user operations, each with its own outcome. `report`, when given, is called
   * with each operation's outcome as it lands (and awaited before the next request goes
   * out), so the worker records it at once: a process killed mid-batch loses at most the
   * request in flight. A connector that sends one request per operation (no batch API on
   * the target) should report after each. Every outcome is still returned at the end.
   */
  provisionBatch?(
    operations: BatchOperation[],
    report?: (outcome: BatchOutcome) => Promise<void>,
    call?: RemoteCallOptions,
  ): Promise<BatchOutcome[]>;

  /**
   * Optional: how many operations one provisionBatch request carries on this target now
   * (e.g. 1 when a SCIM service turned out to have no /Bulk). The worker claims only what
   * it is about to send, so it sizes its claims by this; absent: the declared maxOperations.
   */
  batchLimit?(): Promise<number>;

  /**
   * The read side (optional; declared by `capabilities.read`). Listings page through the whole
   * target with its own paging, one page in memory at a time; `get*` answer null when the id is gone.
   */
  listUsers?(request?: ReadRequest): AsyncIterable<RemotePage<RemoteUser>>;
  getUser?(remoteId: string, request?: ReadRequest): Promise<RemoteUser | null>;
  listGroups?(request?: ReadRequest): AsyncIterable<RemotePage<RemoteGroup>>;
  getGroup?(remoteId: string, request?: ReadRequest): Promise<RemoteGroup | null>;

  /**
   * Optional: the requests createUser/updateUser would send for this operation,
   * built by the same code, without sending them (the console's "preview").
   * May read (e.g. discover what the target supports) but never writes. An empty
   * list: nothing would be sent. Passwords and other secrets masked.
   */
  previewUser?(operation: UserPreviewOperation): Promise<RemoteRequestPreview[]>;

  /** "Test connection": authenticate and read something cheap. Never throws. */
  check(): Promise<HealthReport>;
  close(): Promise<void>;
}

/** The narrow, per-instance context a connector is created with: nothing global. */
export interface ConnectorContext {
  /** The instance id from the manifest (`salesforce-prod`). */
  instanceId: string;
  logger: Logger;
  clock: Clock;
  /** Keep-alive agents shared by the instance's HTTP calls, and `http.client(...)` over them. */
  http: ConnectorHttp;
  /**
   * The user mapping's `lookup` rules: remote field → what its value names (`ProfileId` → `Profile.Name`).
   * The connector resolves each such value to the record's id before it writes (see `checkLookup`).
   */
  lookups?: Readonly<Record<string, string>>;
}
