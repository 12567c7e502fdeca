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
  /** Per-case Jest timeout in ms (default 30000). */
  timeoutMs?: number;
}
