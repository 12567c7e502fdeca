import type { GroupPayload, MappedAttributes, OutboundConnector, UserPayload } from '@provisio/core';

/** One connector talking to one target, as returned by `setup()`. */
export interface ConformanceFixture {
  connector: OutboundConnector;
  /** Every secret value the connector holds (tokens, passwords, keys): no thrown error or health message may contain one. */
  secrets: readonly string[];
  /** Stops the target; called after `connector.close()`, also when the case failed. */
  teardown?(): Promise<void> | void;
}

/**
 * Fault injection, each hook unlocking the cases that need it. Hooks act on the
 * target behind the fixture, never on the connector.
 */
export interface ConformanceFaults<F extends ConformanceFixture> {
  /** The next request is carried out by the target but its response is lost (socket closed). */
  dropNextResponse?(fixture: F): Promise<void> | void;
  /** The next request is answered with `status` (and `Retry-After: retryAfterSec` when given), touching nothing. */
  failNext?(fixture: F, status: number, options: { retryAfterSec?: number }): Promise<void> | void;
  /** Writes of this user are refused with `status` and this remote error `detail`. */
  rejectUser?(fixture: F, payload: UserPayload, failure: { status: 400 | 403; detail: string }): Promise<void> | void;
  /** From now on the target cannot be reached (closed, or connection refused). */
  makeUnreachable?(fixture: F): Promise<void> | void;
}

/** A remote user as the target holds it, in the connector's remote field names. */
export interface InspectedUser {
  active: boolean;
  attributes: MappedAttributes;
}

export interface InspectedGroup {
  name: string;
  memberRemoteIds: string[];
}

/** Reads of the target's state, to check what the connector's return values cannot show. */
export interface ConformanceInspect<F extends ConformanceFixture> {
  /** `null` when no account has this remote id. */
  user?(fixture: F, remoteId: string): Promise<InspectedUser | null>;
  group?(fixture: F, remoteId: string): Promise<InspectedGroup | null>;
}

/**
 * Direct access to the target's accounts, unlocking the read-side cases (the connector must then
 * implement listUsers/getUser). The cases need a fresh target per `setup()`.
 */
export interface ConformanceRead<F extends ConformanceFixture> {
  /** The page size the connector's listUsers uses against this fixture (configure a small one in setup). */
  pageSize: number;
  /** Puts `count` new users into the target directly, not through the connector; answers their remote ids. */
  seedUsers(fixture: F, count: number): Promise<string[]> | string[];
  /** Removes one user from the target directly (gone for good, whatever the connector's deleteMode). */
  removeUser(fixture: F, remoteId: string): Promise<void> | void;
  /** Remote ids of the users a fresh target already holds (an integration user); default none. */
  existingUserIds?(fixture: F): Promise<string[]> | string[];
  /** The remote fields to read back; default the keys of `sampleUser`'s and `changeUser`'s attributes. */
  attributes?: readonly string[];
  /** The connector reads groups too (listGroups/getGroup), checked when `capabilities.groups`. */
  groups?: boolean;
}

export interface ConformanceCapabilities {
  groups: boolean;
  /** The connector sets passwords (a create with `password` must succeed). */
  passwords?: boolean;
  /** What `deleteUser` does with this fixture's configuration. */
  deleteMode: 'delete' | 'deactivate';
}

export interface ConformanceOptions<F extends ConformanceFixture = ConformanceFixture> {
  /** Names the describe block: "scim2 against the SCIM emulator". */
  name: string;
  /** A fresh connector (and usually a fresh target) for one case. Called once per case. */
  setup(): Promise<F>;
  /**
   * A user payload valid for this connector's mapping. `n` is unique within the process,
   * so names never collide even when `setup` reuses one target.
   */
  sampleUser(n: number): UserPayload;
  /** Remote fields to change on a user made by `sampleUser` (become `UserUpdate.changed`). */
  changeUser(payload: UserPayload): MappedAttributes;
  /** A group payload for this connector's group mapping; default `{ attributes: { displayName } }`. */
  sampleGroup?(n: number, displayName: string): GroupPayload;
  capabilities: ConformanceCapabilities;
  faults?: ConformanceFaults<F>;
  inspect?: ConformanceInspect<F>;
  read?: ConformanceRead<F>;
  /** Per-case Jest timeout in ms (default 30000). */
  timeoutMs?: number;
}
