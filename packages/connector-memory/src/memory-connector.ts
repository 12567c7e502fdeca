import {
  defineConnector,
  PermanentError,
  TransientError,
  type ConnectorContext,
  type OutboundConnector,
  type RemoteRef,
  type RemoteRequestPreview,
  type UserPreviewOperation,
} from '@provisio/core';
import { memoryConfigSchema, type MemoryConfig } from './memory-config.js';
import { MemoryDirectory, type MemoryAccount } from './memory-directory.js';

/** An in-memory target. Useful to see the pipeline work without any remote service. */
export class MemoryConnector implements OutboundConnector {
  readonly directory: MemoryDirectory;
  private transientFailuresLeft: number;

  constructor(
    private readonly config: MemoryConfig,
    private readonly ctx: ConnectorContext,
  ) {
    this.directory = new MemoryDirectory(ctx.instanceId, config.journal);
    this.transientFailuresLeft = config.failTransiently;
  }

  async createUser(payload: Parameters<OutboundConnector['createUser']>[0]): Promise<RemoteRef> {
    await this.beforeOperation();
    const remoteId = this.directory.newRemoteId();
    this.directory.users.set(remoteId, { remoteId, localId: payload.localId, accountName: payload.accountName, attributes: { ...payload.attributes }, active: true });
    this.directory.record({ op: 'createUser', localId: payload.localId, remoteId, accountName: payload.accountName, attributes: payload.attributes, passwordSet: payload.password !== undefined });
    return { remoteId, remoteName: payload.accountName };
  }

  async updateUser(update: Parameters<OutboundConnector['updateUser']>[0]): Promise<RemoteRef> {
    await this.beforeOperation();
    const account = this.existing(this.directory.users, update.remoteId, 'user');
    Object.assign(account.attributes, update.changed);
    if (update.accountName) account.accountName = update.accountName;
    this.directory.record({ op: 'updateUser', localId: update.localId, remoteId: update.remoteId, attributes: update.changed });
    return { remoteId: account.remoteId, remoteName: account.accountName };
  }

  async deleteUser(deletion: Parameters<OutboundConnector['deleteUser']>[0]): Promise<void> {
    await this.beforeOperation();
    this.directory.users.delete(deletion.remoteId);
    this.directory.record({ op: 'deleteUser', localId: deletion.localId, remoteId: deletion.remoteId });
  }

  async findUser(lookup: Parameters<OutboundConnector['findUser']>[0]): Promise<RemoteRef | null> {
    await this.beforeOperation();
    for (const account of this.directory.users.values()) {
      const sameName = lookup.accountName !== undefined && account.accountName === lookup.accountName;
      if (sameName || account.localId === lookup.localId) return { remoteId: account.remoteId, remoteName: account.accountName };
    }
    return null;
  }

  async createGroup(payload: Parameters<NonNullable<OutboundConnector['createGroup']>>[0]): Promise<RemoteRef> {
    await this.beforeOperation();
    const remoteId = this.directory.newRemoteId();
    const name = payload.accountName ?? payload.group.displayName;
    this.directory.groups.set(remoteId, { remoteId, localId: payload.localId, accountName: name, attributes: { ...payload.attributes }, active: true, members: new Set() });
    this.directory.record({ op: 'createGroup', localId: payload.localId, remoteId, accountName: name, attributes: payload.attributes });
    return { remoteId, remoteName: name };
  }

  async updateGroup(update: Parameters<NonNullable<OutboundConnector['updateGroup']>>[0]): Promise<RemoteRef> {
    await this.beforeOperation();
    const group = this.existing(this.directory.groups, update.remoteId, 'group');
    Object.assign(group.attributes, update.changed);
    group.accountName = update.accountName ?? update.group.displayName;
    this.directory.record({ op: 'updateGroup', localId: update.localId, remoteId: update.remoteId, attributes: update.changed });
    return { remoteId: group.remoteId, remoteName: group.accountName };
  }

  async deleteGroup(deletion: Parameters<NonNullable<OutboundConnector['deleteGroup']>>[0]): Promise<void> {
    await this.beforeOperation();
    this.directory.groups.delete(deletion.remoteId);
    this.directory.record({ op: 'deleteGroup', localId: deletion.localId, remoteId: deletion.remoteId });
  }

  async findGroup(lookup: Parameters<NonNullable<OutboundConnector['findGroup']>>[0]): Promise<RemoteRef | null> {
    await this.beforeOperation();
    for (const group of this.directory.groups.values()) {
      if (group.localId === lookup.localId || group.accountName === (lookup.accountName ?? lookup.displayName)) {
        return { remoteId: group.remoteId, remoteName: group.accountName };
      }
    }
    return null;
  }

  async addMembers(change: Parameters<NonNullable<OutboundConnector['addMembers']>>[0]): Promise<void> {
    await this.beforeOperation();
    const group = this.existing(this.directory.groups, change.groupRemoteId, 'group');
    for (const member of change.memberRemoteIds) group.members?.add(member);
    this.directory.record({ op: 'addMembers', localId: change.groupLocalId, remoteId: change.groupRemoteId, memberRemoteIds: change.memberRemoteIds });
  }

  async removeMembers(change: Parameters<NonNullable<OutboundConnector['removeMembers']>>[0]): Promise<void> {
    await this.beforeOperation();
    const group = this.existing(this.directory.groups, change.groupRemoteId, 'group');
    for (const member of change.memberRemoteIds) group.members?.delete(member);
    this.directory.record({ op: 'removeMembers', localId: change.groupLocalId, remoteId: change.groupRemoteId, memberRemoteIds: change.memberRemoteIds });
  }

  /** What createUser/updateUser store: the mapped attributes (all on create, the changed ones on update). */
  async previewUser(operation: UserPreviewOperation): Promise<RemoteRequestPreview[]> {
    if (operation.kind === 'create') {
      const { payload } = operation;
      return [{ operation: 'createUser', method: 'CREATE', path: `memory:${this.ctx.instanceId}/users`, body: { accountName: payload.accountName ?? null, attributes: payload.attributes, passwordSet: payload.password !== undefined } }];
    }
    const { update } = operation;
    return [{ operation: 'updateUser', method: 'UPDATE', path: `memory:${this.ctx.instanceId}/users/${update.remoteId}`, body: { accountName: update.accountName ?? null, attributes: update.changed } }];
  }

  async check() {
    return { ok: true, message: `memory target: ${this.directory.users.size} users, ${this.directory.groups.size} groups` };
  }

  async close(): Promise<void> {
    // Nothing to release: the journal is written synchronously per operation.
  }

  private existing(accounts: Map<string, MemoryAccount>, remoteId: string, kind: string): MemoryAccount {
    const account = accounts.get(remoteId);
    if (!account) throw new PermanentError(`${kind} ${remoteId} does not exist in memory target ${this.ctx.instanceId}`, { remoteCode: 404 });
    return account;
  }

  private async beforeOperation(): Promise<void> {
    if (this.config.latencyMs > 0) await this.ctx.clock.sleep(this.config.latencyMs);
    if (this.config.failPermanently) throw new PermanentError(this.config.failPermanently, { remoteCode: 400 });
    if (this.transientFailuresLeft > 0) {
      this.transientFailuresLeft -= 1;
      throw new TransientError('memory target is told to fail transiently', { remoteCode: 503 });
    }
  }
}

export const memoryConnector = defineConnector({
  type: 'memory',
  displayName: 'In-memory target (tests and demos)',
  description: 'Keeps provisioned users and groups in memory; optionally journals every operation to a file.',
  configSchema: memoryConfigSchema,
  secretFields: ['apiKey'],
  capabilities: { users: true, groups: true, passwords: true },
  create: (config, ctx) => new MemoryConnector(config, ctx),
});
