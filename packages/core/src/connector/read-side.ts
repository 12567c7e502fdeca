import type { MappedAttributes } from './outbound-connector.js';

/**
 * The read side of a connector: what a target really holds, for import, reconcile and
 * orphan detection. Accounts come back in the remote field names the mapping writes, so
 * they compare directly with what Provisio would send.
 */

/** What to read of each account. */
export interface ReadRequest {
  /**
   * Remote field names to read back (an instance's mapping keys). When omitted, the
   * connector reads the fields of its default mapping. A field the target does not know
   * is a PermanentError naming it, never a silent gap.
   */
  attributes?: readonly string[];
}

/** One user account as the target holds it. */
export interface RemoteUser {
  remoteId: string;
  /** The account name (username, primary email), as `RemoteRef.remoteName`. */
  remoteName?: string;
  /** False when the target keeps the account but it cannot sign in (deactivated, suspended). */
  active: boolean;
  /** The requested remote fields the account has a value for. */
  attributes: MappedAttributes;
}

/** One group as the target holds it. */
export interface RemoteGroup {
  remoteId: string;
  remoteName?: string;
  attributes: MappedAttributes;
  /** Remote ids of the member users (the ids `RemoteUser.remoteId` carries). */
  memberRemoteIds: string[];
}

/**
 * One page of a listing, in the target's own page size. A listing is an async iterable of
 * pages, fetched one at a time as the consumer asks: a whole target is never in memory.
 */
export interface RemotePage<T> {
  items: T[];
  /** The target's total for the whole listing when it tells one (SOQL totalSize, SCIM totalResults); for progress only. */
  totalHint?: number;
}

/**
 * The read methods, all or none per entity. `listUsers` pages through every account the
 * target holds (active or not), `getUser` answers null when the id no longer exists.
 */
export interface ConnectorReadSide {
  listUsers(request?: ReadRequest): AsyncIterable<RemotePage<RemoteUser>>;
  getUser(remoteId: string, request?: ReadRequest): Promise<RemoteUser | null>;
  listGroups?(request?: ReadRequest): AsyncIterable<RemotePage<RemoteGroup>>;
  getGroup?(remoteId: string, request?: ReadRequest): Promise<RemoteGroup | null>;
}

/** `capabilities.read`: the connector implements `listUsers`/`getUser`, and with `groups` also `listGroups`/`getGroup`. */
export interface ReadCapability {
  groups: boolean;
}
