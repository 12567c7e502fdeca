import type { GroupDeletion, GroupLookup, GroupPayload, GroupUpdate, MembershipChange, RemoteRef } from '@provisio/core';
import type { MemoryDirectory } from './memory-directory.js';
import type { MemorySession } from './memory-session.js';

/** Groups of the memory target and their members, journaled. */
export class MemoryGroups {
  constructor(
    private readonly directory: MemoryDirectory,
    private readonly session: MemorySession,
  ) {}

  async create(payload: GroupPayload): Promise<RemoteRef> {
    await this.session.enter();
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

  async update(update: GroupUpdate): Promise<RemoteRef> {
    await this.session.enter();
    const group = this.session.existing(this.directory.groups, update.remoteId, 'group');
    Object.assign(group.attributes, update.changed);
    group.accountName = update.accountName ?? update.group.displayName;
    this.directory.record({ op: 'updateGroup', localId: update.localId, remoteId: update.remoteId, attributes: update.changed });
    return { remoteId: group.remoteId, remoteName: group.accountName };
  }

  async delete(deletion: GroupDeletion): Promise<void> {
    await this.session.enter();
    this.directory.groups.delete(deletion.remoteId);
    this.directory.record({ op: 'deleteGroup', localId: deletion.localId, remoteId: deletion.remoteId });
  }

  async find(lookup: GroupLookup): Promise<RemoteRef | null> {
    await this.session.enter();
    for (const group of this.directory.groups.values()) {
      if (group.localId === lookup.localId || group.accountName === (lookup.accountName ?? lookup.displayName)) {
        return { remoteId: group.remoteId, remoteName: group.accountName };
      }
    }
    return null;
  }

  async addMembers(change: MembershipChange): Promise<void> {
    await this.session.enter();
    const group = this.session.existing(this.directory.groups, change.groupRemoteId, 'group');
    for (const member of change.memberRemoteIds) group.members?.add(member);
    this.directory.record({
      op: 'addMembers',
      localId: change.groupLocalId,
      remoteId: change.groupRemoteId,
      memberRemoteIds: change.memberRemoteIds,
    });
  }

  async removeMembers(change: MembershipChange): Promise<void> {
    await this.session.enter();
    const group = this.session.existing(this.directory.groups, change.groupRemoteId, 'group');
    for (const member of change.memberRemoteIds) group.members?.delete(member);
    this.directory.record({
      op: 'removeMembers',
      localId: change.groupLocalId,
      remoteId: change.groupRemoteId,
      memberRemoteIds: change.memberRemoteIds,
    });
  }
}
