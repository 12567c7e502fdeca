// A small, correct connector over ToyTarget: what the conformance suite must accept.
import {
  ConflictError,
  PermanentError,
  TransientError,
  type DeletionResult,
  type GroupDeletion,
  type GroupLookup,
  type GroupPayload,
  type GroupUpdate,
  type HealthReport,
  type MembershipChange,
  type OutboundConnector,
  type RemoteGroup,
  type RemotePage,
  type RemoteRef,
  type RemoteUser,
  type UserDeletion,
  type UserLookup,
  type UserPayload,
  type UserUpdate,
} from '@provisio/core';
import type { ToyAccount, ToyGroup, ToyTarget } from './toy-target.js';

/** The toy target's page size: small, so that the read cases page with a few accounts. */
export const TOY_PAGE_SIZE = 4;

export class ToyConnector implements OutboundConnector {
  constructor(
    protected readonly target: ToyTarget,
    protected readonly apiKey: string,
    protected readonly deleteMode: 'delete' | 'deactivate' = 'delete',
    protected readonly pageSize = TOY_PAGE_SIZE,
  ) {}

  /** Sends one "request": faults first, then the operation, then maybe a lost reply. */
  protected async call<T>(operation: () => T): Promise<T> {
    const reply = this.target.arrive();
    if (reply.kind === 'unreachable') throw new TransientError('toy target refused the connection');
    if (reply.kind === 'status') {
      const retryAfterMs = reply.retryAfterSec === undefined ? undefined : reply.retryAfterSec * 1000;
      if (reply.status === 429 || reply.status >= 500) throw new TransientError(reply.detail, { remoteCode: reply.status, retryAfterMs });
      throw new PermanentError(reply.detail, { remoteCode: reply.status });
    }
    const result = operation();
    if (this.target.takeDrop()) throw new TransientError('toy target closed the connection before answering');
    return result;
  }

  protected userName(payload: UserPayload): string {
    return payload.accountName ?? String(payload.attributes['userName']);
  }

  createUser(payload: UserPayload): Promise<RemoteRef> {
    return this.call(() => {
      const userName = this.userName(payload);
      const refused = this.target.refusedUserNames.get(userName);
      if (refused) throw new PermanentError(`toy target refused ${userName}: ${refused.detail}`, { remoteCode: refused.status });
      if ([...this.target.users.values()].some((u) => u.userName === userName)) throw new ConflictError(`userName ${userName} is taken`);
      const account: ToyAccount = {
        id: this.target.newId(),
        userName,
        externalId: payload.localId,
        active: true,
        attributes: { ...payload.attributes },
      };
      this.target.users.set(account.id, account);
      return { remoteId: account.id, remoteName: userName };
    });
  }

  updateUser(update: UserUpdate): Promise<RemoteRef> {
    return this.call(() => {
      const account = this.existingUser(update.remoteId);
      for (const [field, value] of Object.entries(update.changed)) {
        if (value === null) delete account.attributes[field];
        else account.attributes[field] = value;
      }
      if (update.reactivate) account.active = true;
      return { remoteId: account.id, remoteName: account.userName };
    });
  }

  deleteUser(deletion: UserDeletion): Promise<DeletionResult> {
    return this.call((): DeletionResult => {
      const account = this.target.users.get(deletion.remoteId);
      if (this.deleteMode === 'deactivate' && account) {
        account.active = false;
        return { mode: 'deactivated' };
      }
      this.target.users.delete(deletion.remoteId);
      return { mode: 'deleted' };
    });
  }

  findUser(lookup: UserLookup): Promise<RemoteRef | null> {
    return this.call(() => {
      const userName = lookup.accountName ?? String(lookup.attributes['userName']);
      const account = [...this.target.users.values()].find((u) => u.userName === userName || u.externalId === lookup.localId);
      return account ? { remoteId: account.id, remoteName: account.userName } : null;
    });
  }

  createGroup(payload: GroupPayload): Promise<RemoteRef> {
    return this.call(() => {
      const group: ToyGroup = { id: this.target.newId(), name: payload.group.displayName, members: new Set() };
      this.target.groups.set(group.id, group);
      return { remoteId: group.id, remoteName: group.name };
    });
  }

  updateGroup(update: GroupUpdate): Promise<void> {
    return this.call(() => {
      this.existingGroup(update.remoteId).name = update.group.displayName;
    });
  }

  deleteGroup(deletion: GroupDeletion): Promise<void> {
    return this.call(() => {
      this.target.groups.delete(deletion.remoteId);
    });
  }

  findGroup(lookup: GroupLookup): Promise<RemoteRef | null> {
    return this.call(() => {
      const group = [...this.target.groups.values()].find((g) => g.name === lookup.displayName);
      return group ? { remoteId: group.id, remoteName: group.name } : null;
    });
  }

  addMembers(change: MembershipChange): Promise<void> {
    return this.call(() => {
      const group = this.existingGroup(change.groupRemoteId);
      for (const id of change.memberRemoteIds) group.members.add(id);
    });
  }

  removeMembers(change: MembershipChange): Promise<void> {
    return this.call(() => {
      const group = this.existingGroup(change.groupRemoteId);
      for (const id of change.memberRemoteIds) group.members.delete(id);
    });
  }

  /** Keyset paging: each page continues after the last id the previous one yielded, so deletions skip nobody. */
  async *listUsers(): AsyncIterable<RemotePage<RemoteUser>> {
    let after = '';
    for (let page = 0; page < 100_000; page++) {
      const items = await this.call(() =>
        [...this.target.users.values()]
          .filter((u) => u.id > after)
          .sort((a, b) => a.id.localeCompare(b.id))
          .slice(0, this.pageSize),
      );
      if (items.length > 0) yield { items: items.map((u) => this.remoteUser(u)), totalHint: this.target.users.size };
      if (items.length < this.pageSize) return;
      after = items[items.length - 1].id;
    }
  }

  getUser(remoteId: string): Promise<RemoteUser | null> {
    return this.call(() => {
      const account = this.target.users.get(remoteId);
      return account ? this.remoteUser(account) : null;
    });
  }

  async *listGroups(): AsyncIterable<RemotePage<RemoteGroup>> {
    yield { items: await this.call(() => [...this.target.groups.values()].map((g) => this.remoteGroup(g))) };
  }

  getGroup(remoteId: string): Promise<RemoteGroup | null> {
    return this.call(() => {
      const group = this.target.groups.get(remoteId);
      return group ? this.remoteGroup(group) : null;
    });
  }

  protected remoteUser(account: ToyAccount): RemoteUser {
    return { remoteId: account.id, remoteName: account.userName, active: account.active, attributes: { ...account.attributes } };
  }

  protected remoteGroup(group: ToyGroup): RemoteGroup {
    return { remoteId: group.id, remoteName: group.name, attributes: { displayName: group.name }, memberRemoteIds: [...group.members] };
  }

  async check(): Promise<HealthReport> {
    try {
      return await this.call(() => ({ ok: true, message: `toy target with ${this.target.users.size} users` }));
    } catch (error) {
      return { ok: false, message: `toy target unavailable: ${(error as Error).message}` };
    }
  }

  async close(): Promise<void> {
    // nothing to release
  }

  protected existingUser(id: string): ToyAccount {
    const account = this.target.users.get(id);
    if (!account) throw new PermanentError(`no toy user ${id}`, { remoteCode: 404 });
    return account;
  }

  protected existingGroup(id: string): ToyGroup {
    const group = this.target.groups.get(id);
    if (!group) throw new PermanentError(`no toy group ${id}`, { remoteCode: 404 });
    return group;
  }
}
