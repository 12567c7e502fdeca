import { PermanentError } from '@provisio/core';
import type {
  RemoteCallOptions,
  RemoteRef,
  RemoteRequestPreview,
  UserDeletion,
  UserLookup,
  UserPayload,
  UserPreviewOperation,
  UserUpdate,
} from '@provisio/core';
import type { MemoryDirectory } from './memory-directory.js';
import type { MemorySession } from './memory-session.js';

/** Users of the memory target, journaled. */
export class MemoryUsers {
  constructor(
    private readonly directory: MemoryDirectory,
    private readonly session: MemorySession,
    private readonly instanceId: string,
  ) {}

  async create(payload: UserPayload, { signal }: RemoteCallOptions = {}): Promise<RemoteRef> {
    await this.session.enter(signal);
    const remoteId = this.directory.newRemoteId();
    this.directory.users.set(remoteId, {
      remoteId,
      localId: payload.localId,
      accountName: payload.accountName,
      attributes: { ...payload.attributes },
      active: true,
    });
    this.directory.record({
      op: 'createUser',
      localId: payload.localId,
      remoteId,
      accountName: payload.accountName,
      attributes: payload.attributes,
      passwordSet: payload.password !== undefined,
    });
    return { remoteId, remoteName: payload.accountName };
  }

  async update(update: UserUpdate, { signal }: RemoteCallOptions = {}): Promise<RemoteRef> {
    await this.session.enter(signal);
    const account = this.session.existing(this.directory.users, update.remoteId, 'user');
    Object.assign(account.attributes, update.changed);
    if (update.accountName) account.accountName = update.accountName;
    this.directory.record({ op: 'updateUser', localId: update.localId, remoteId: update.remoteId, attributes: update.changed });
    return { remoteId: account.remoteId, remoteName: account.accountName };
  }

  async delete(deletion: UserDeletion, { signal }: RemoteCallOptions = {}): Promise<void> {
    if (deletion.mode === 'deactivate') throw new PermanentError('the memory target cannot deactivate an account, only delete it');
    await this.session.enter(signal);
    this.directory.deleteAccount('user', deletion.localId, deletion.remoteId);
  }

  async find(lookup: UserLookup, { signal }: RemoteCallOptions = {}): Promise<RemoteRef | null> {
    await this.session.enter(signal);
    for (const account of this.directory.users.values()) {
      const sameName = lookup.accountName !== undefined && account.accountName === lookup.accountName;
      if (sameName || account.localId === lookup.localId) return { remoteId: account.remoteId, remoteName: account.accountName };
    }
    return null;
  }

  /** What create/update store: the mapped attributes (all on create, the changed ones on update). */
  preview(operation: UserPreviewOperation): RemoteRequestPreview[] {
    if (operation.kind === 'create') {
      const { payload } = operation;
      return [
        {
          operation: 'createUser',
          method: 'CREATE',
          path: `memory:${this.instanceId}/users`,
          body: { accountName: payload.accountName ?? null, attributes: payload.attributes, passwordSet: payload.password !== undefined },
        },
      ];
    }
    const { update } = operation;
    return [
      {
        operation: 'updateUser',
        method: 'UPDATE',
        path: `memory:${this.instanceId}/users/${update.remoteId}`,
        body: { accountName: update.accountName ?? null, attributes: update.changed },
      },
    ];
  }
}
