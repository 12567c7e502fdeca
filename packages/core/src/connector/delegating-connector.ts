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

/** The users room of a connector package (`<target>-users.ts`): the writes and lookups of one entity. */
export interface UserRoom {
  create(payload: UserPayload): Promise<RemoteRef>;
  update(update: UserUpdate): Promise<RemoteRef | void>;
  /** Deprovision: delete or deactivate, as configured; succeeds when the account is already gone. */
  delete(deletion: UserDeletion): Promise<DeletionResult | void>;
  find(lookup: UserLookup): Promise<RemoteRef | null>;
}

/** The groups room (`<target>-groups.ts`): groups and their members. */
export interface GroupRoom {
  create(payload: GroupPayload): Promise<RemoteRef>;
  update(update: GroupUpdate): Promise<RemoteRef | void>;
  delete(deletion: GroupDeletion): Promise<void>;
  find(lookup: GroupLookup): Promise<RemoteRef | null>;
  addMembers(change: MembershipChange): Promise<void>;
  removeMembers(change: MembershipChange): Promise<void>;
}

/**
 * The thin connector class of a connector with users and groups: each operation goes to its room,
 * so the subclass holds only what is its own (the session, check, close, batch, preview).
 */
export abstract class DelegatingConnector implements OutboundConnector {
  protected abstract readonly users: UserRoom;
  protected abstract readonly groups: GroupRoom;

  createUser(payload: UserPayload): Promise<RemoteRef> {
    return this.users.create(payload);
  }

  updateUser(update: UserUpdate): Promise<RemoteRef | void> {
    return this.users.update(update);
  }

  deleteUser(deletion: UserDeletion): Promise<DeletionResult | void> {
    return this.users.delete(deletion);
  }

  findUser(lookup: UserLookup): Promise<RemoteRef | null> {
    return this.users.find(lookup);
  }

  createGroup(payload: GroupPayload): Promise<RemoteRef> {
    return this.groups.create(payload);
  }

  updateGroup(update: GroupUpdate): Promise<RemoteRef | void> {
    return this.groups.update(update);
  }

  deleteGroup(deletion: GroupDeletion): Promise<void> {
    return this.groups.delete(deletion);
  }

  findGroup(lookup: GroupLookup): Promise<RemoteRef | null> {
    return this.groups.find(lookup);
  }

  addMembers(change: MembershipChange): Promise<void> {
    return this.groups.addMembers(change);
  }

  removeMembers(change: MembershipChange): Promise<void> {
    return this.groups.removeMembers(change);
  }

  abstract check(): Promise<HealthReport>;
  abstract close(): Promise<void>;
}
