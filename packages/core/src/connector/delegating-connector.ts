import type {
  DeletionResult,
  GroupDeletion,
  GroupLookup,
  GroupPayload,
  GroupUpdate,
  HealthReport,
  MembershipChange,
  OutboundConnector,
  RemoteRef,
  UserDeletion,
  UserLookup,
  UserPayload,
  UserUpdate,
} from './outbound-connector.js';
import type { ConnectorReadSide, ReadRequest, RemoteGroup, RemotePage, RemoteUser } from './read-side.js';
import type { RemoteCallOptions } from './remote-call.js';

/** The users room of a connector package (`<target>-users.ts`): the writes and lookups of one entity. */
export interface UserRoom {
  create(payload: UserPayload, call?: RemoteCallOptions): Promise<RemoteRef>;
  update(update: UserUpdate, call?: RemoteCallOptions): Promise<RemoteRef | void>;
  /** Deprovision: delete or deactivate, as configured; succeeds when the account is already gone. */
  delete(deletion: UserDeletion, call?: RemoteCallOptions): Promise<DeletionResult | void>;
  find(lookup: UserLookup, call?: RemoteCallOptions): Promise<RemoteRef | null>;
}

/** The groups room (`<target>-groups.ts`): groups and their members. */
export interface GroupRoom {
  create(payload: GroupPayload, call?: RemoteCallOptions): Promise<RemoteRef>;
  update(update: GroupUpdate, call?: RemoteCallOptions): Promise<RemoteRef | void>;
  delete(deletion: GroupDeletion, call?: RemoteCallOptions): Promise<void>;
  find(lookup: GroupLookup, call?: RemoteCallOptions): Promise<RemoteRef | null>;
  addMembers(change: MembershipChange, call?: RemoteCallOptions): Promise<void>;
  removeMembers(change: MembershipChange, call?: RemoteCallOptions): Promise<void>;
}

/**
 * The thin connector class of a connector with users and groups: each operation goes to its room,
 * so the subclass holds only what is its own (the session, check, close, batch, preview). The
 * call options (the lease deadline's signal) go with each operation to its room.
 */
export abstract class DelegatingConnector implements OutboundConnector {
  protected abstract readonly users: UserRoom;
  protected abstract readonly groups: GroupRoom;

  createUser(payload: UserPayload, call?: RemoteCallOptions): Promise<RemoteRef> {
    return this.users.create(payload, call);
  }

  updateUser(update: UserUpdate, call?: RemoteCallOptions): Promise<RemoteRef | void> {
    return this.users.update(update, call);
  }

  deleteUser(deletion: UserDeletion, call?: RemoteCallOptions): Promise<DeletionResult | void> {
    return this.users.delete(deletion, call);
  }

  findUser(lookup: UserLookup, call?: RemoteCallOptions): Promise<RemoteRef | null> {
    return this.users.find(lookup, call);
  }

  createGroup(payload: GroupPayload, call?: RemoteCallOptions): Promise<RemoteRef> {
    return this.groups.create(payload, call);
  }

  updateGroup(update: GroupUpdate, call?: RemoteCallOptions): Promise<RemoteRef | void> {
    return this.groups.update(update, call);
  }

  deleteGroup(deletion: GroupDeletion, call?: RemoteCallOptions): Promise<void> {
    return this.groups.delete(deletion, call);
  }

  findGroup(lookup: GroupLookup, call?: RemoteCallOptions): Promise<RemoteRef | null> {
    return this.groups.find(lookup, call);
  }

  addMembers(change: MembershipChange, call?: RemoteCallOptions): Promise<void> {
    return this.groups.addMembers(change, call);
  }

  removeMembers(change: MembershipChange, call?: RemoteCallOptions): Promise<void> {
    return this.groups.removeMembers(change, call);
  }

  abstract check(): Promise<HealthReport>;
  abstract close(): Promise<void>;
}

/** The reader room (`<target>-reader.ts`): the read side, users and groups. */
export type ReaderRoom = Required<ConnectorReadSide>;

/** A DelegatingConnector that can read its target (`capabilities.read`): the read side goes to its reader room. */
export abstract class DelegatingReadingConnector extends DelegatingConnector implements ConnectorReadSide {
  protected abstract readonly reader: ReaderRoom;

  listUsers(request?: ReadRequest): AsyncIterable<RemotePage<RemoteUser>> {
    return this.reader.listUsers(request);
  }

  getUser(remoteId: string, request?: ReadRequest): Promise<RemoteUser | null> {
    return this.reader.getUser(remoteId, request);
  }

  listGroups(request?: ReadRequest): AsyncIterable<RemotePage<RemoteGroup>> {
    return this.reader.listGroups(request);
  }

  getGroup(remoteId: string, request?: ReadRequest): Promise<RemoteGroup | null> {
    return this.reader.getGroup(remoteId, request);
  }
}
