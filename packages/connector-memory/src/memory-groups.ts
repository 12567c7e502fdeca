import type { GroupDeletion, GroupLookup, GroupPayload, GroupUpdate, MembershipChange, RemoteCallOptions, RemoteRef } from '@provisio/core';
import type { MemoryDirectory } from './memory-directory.js';
import type { MemorySession } from './memory-session.js';

/** Groups of the memory target and their members, journaled. */
export class MemoryGroups {
  constructor(
    private readonly directory: MemoryDirectory,
    private readonly session: MemorySession,
  ) {}

  async create(payload: GroupPayload, { signal }: RemoteCallOptions = {}): Promise<RemoteRef> {
    await this.session.enter(signal);
    const remoteId = this.directory.newRemoteId();
    const name = payload.accountName ?? payload.group.displayName;
    this.directory.groups.set(remoteId, {
      remoteId,
      localId: payload.localId,
      accountName: name,
      attributes: { ...payload.attributes },
      active: true,
      members: new Set(),
    });
    this.directory.record({ op: 'createGroup', localId: payload.localId, remoteId, accountName: name, attributes: payload.attributes });
    return { remoteId, remoteName: name };
  }

  async update(update: GroupUpdate, { signal }: RemoteCallOptions = {}): Promise<RemoteRef> {
    await this.session.enter(signal);
    const group = this.session.existing(this.directory.groups, update.remoteId, 'group');
    Object.assign(group.attributes, update.changed);
    group.accountName = update.accountName ?? update.group.displayName;
    this.directory.record({ op: 'updateGroup', localId: update.localId, remoteId: update.remoteId, attributes: update.changed });
    return { remoteId: group.remoteId, remoteName: group.accountName };
  }

  async delete(deletion: GroupDeletion, { signal }: RemoteCallOptions = {}): Promise<void> {
    await this.session.enter(signal);
    this.directory.deleteAccount('group', deletion.localId, deletion.remoteId);
  }

  async find(lookup: GroupLookup, { signal }: RemoteCallOptions = {}): Promise<RemoteRef | null> {
    await this.session.enter(signal);
    for (const group of this.directory.groups.values()) {
      if (group.localId === lookup.localId || group.accountName === (lookup.accountName ?? lookup.displayName)) {
        return { remoteId: group.remoteId, remoteName: group.accountName };
      }
    }
    return null;
  }

  addMembers(change: MembershipChange, options: RemoteCallOptions = {}): Promise<void> {
    return this.changeMembers('addMembers', change, options);
  }

  removeMembers(change: MembershipChange, options: RemoteCallOptions = {}): Promise<void> {
    return this.changeMembers('removeMembers', change, options);
  }

  private async changeMembers(op: 'addMembers' | 'removeMembers', change: MembershipChange, { signal }: RemoteCallOptions): Promise<void> {
    await this.session.enter(signal);
    const group = this.session.existing(this.directory.groups, change.groupRemoteId, 'group');
    for (const member of change.memberRemoteIds) {
      if (op === 'addMembers') group.members?.add(member);
      else group.members?.delete(member);
    }
    this.directory.record({ op, localId: change.groupLocalId, remoteId: change.groupRemoteId, memberRemoteIds: change.memberRemoteIds });
  }
}
