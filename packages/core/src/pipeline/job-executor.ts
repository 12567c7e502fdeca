import type { Clock } from '../clock.js';
import { groupOperationsOf, type GroupOperations } from '../connector/group-operations.js';
import type { BatchOperation, BatchOutcome, DeletionResult, MappedAttributes, OutboundConnector, RemoteRef, UserDeletion, UserPayload, UserUpdate } from '../connector/outbound-connector.js';
import { isConflictError, PermanentError, TransientError, type ConflictError } from '../errors.js';
import type { PasswordSealer } from '../security/passwords.js';
import type { JobRecord, LinkRecord, NewJob } from '../store/records.js';
import type { Store } from '../store/store-ports.js';
import { groupView, userView } from './identity-views.js';
import type { ProvisioningTarget } from './provisioning-target.js';

/**
 * A user job decided but not yet done. `create`/`update`/`delete` are single
 * remote calls that a batch can carry; `findThenCreate` needs a look-up first
 * and always runs on its own; `done` needs nothing remote.
 */
export type PreparedUserJob =
  | { kind: 'done'; result: ExecutionResult }
  | { kind: 'create'; payload: UserPayload; finish: (ref: RemoteRef) => Promise<ExecutionResult> }
  | { kind: 'update'; update: UserUpdate; finish: (ref: RemoteRef | void) => ExecutionResult }
  | { kind: 'delete'; deletion: UserDeletion; finish: (result: DeletionResult | void) => ExecutionResult }
  | { kind: 'findThenCreate'; payload: UserPayload };

const done = (result: ExecutionResult): PreparedUserJob => ({ kind: 'done', result });

/** What a successful run leaves behind: the link as it now stands, and jobs it causes. */
export interface ExecutionResult {
  link?: LinkRecord;
  followUps?: NewJob[];
  /** For logs and the admin API: what was done remotely. */
  summary: string;
}

/** Runs one job against its target. Throws the connector's (classified) error on failure. */
export class JobExecutor {
  constructor(private readonly deps: { store: Store; sealer: PasswordSealer; clock: Clock }) {}

  async run(job: JobRecord, target: ProvisioningTarget): Promise<ExecutionResult> {
    if (job.entityType === 'user') return job.action === 'sync' ? this.syncUser(job, target) : this.deleteUser(job, target);
    return job.action === 'sync' ? this.syncGroup(job, target) : this.deleteGroup(job, target);
  }

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  /**
   * Decides what a user job needs remotely without doing it, so that the same
   * decision serves a single call and a batch (provisionBatch).
   */
  async prepareUser(job: JobRecord, target: ProvisioningTarget): Promise<PreparedUserJob> {
    return job.action === 'sync' ? this.prepareUserSync(job, target) : this.prepareUserDelete(job, target);
  }

  private async syncUser(job: JobRecord, target: ProvisioningTarget): Promise<ExecutionResult> {
    const prepared = await this.prepareUserSync(job, target);
    const connector = target.instance.connector;
    switch (prepared.kind) {
      case 'done':
        return prepared.result;
      case 'update':
        return prepared.finish(await connector.updateUser(prepared.update));
      case 'create':
        try {
          return await prepared.finish(await connector.createUser(prepared.payload));
        } catch (error) {
          if (!isConflictError(error)) throw error;
          return this.linkExisting(job, target, prepared.payload, error);
        }
      case 'findThenCreate':
        return this.findThenCreate(job, target, prepared.payload);
      case 'delete':
        throw new Error('a sync job never deletes');
    }
  }

  private async deleteUser(job: JobRecord, target: ProvisioningTarget): Promise<ExecutionResult> {
    const prepared = await this.prepareUserDelete(job, target);
    if (prepared.kind === 'done') return prepared.result;
    if (prepared.kind !== 'delete') throw new Error('a delete job only deletes');
    return prepared.finish(await target.instance.connector.deleteUser(prepared.deletion));
  }

  private async prepareUserSync(job: JobRecord, target: ProvisioningTarget): Promise<PreparedUserJob> {
    const { store } = this.deps;
    const record = await store.getUser(job.localId);
    // Deleted or out of scope since this job was planned: the job that planned that does the work.
    if (!record) return done({ summary: 'user no longer exists; nothing to do' });
    const user = userView(record, await store.groupsOfMember(record.id));
    if (!target.userInScope(user)) return done({ summary: 'user is out of scope; nothing to do' });
    const attributes = target.mapUser(user);
    const accountName = target.accountName(user);
    const password = await this.password(job, target);
    const link = await store.getLink(target.id, 'user', job.localId);
    const payload: UserPayload = { localId: record.id, user, attributes, accountName, password };

    if (link?.remoteId) {
      const reactivate = link.remoteActive === false;
      const changed = reactivate ? attributes : changedAttributes(link.syncedAttributes, attributes);
      const renamed = accountName !== undefined && accountName !== link.remoteName;
      if (Object.keys(changed).length === 0 && !renamed && !reactivate && password === undefined) {
        return done({ link: { ...link, status: 'synced', lastError: undefined, lastSyncedAt: this.now() }, summary: 'already up to date' });
      }
      const remoteId = link.remoteId;
      return {
        kind: 'update',
        update: { ...payload, remoteId, changed, reactivate, previousAccountName: link.remoteName },
        finish: (ref) => ({
          link: this.syncedLink(job, ref ?? { remoteId, remoteName: link.remoteName }, attributes, link),
          summary: reactivate ? 'reactivated' : `updated ${Object.keys(changed).join(', ') || 'account name'}`,
        }),
      };
    }
    // A previous attempt may have created the account before its answer was lost: look first.
    if (job.attempts > 1 || link?.status === 'failed') return { kind: 'findThenCreate', payload };
    return {
      kind: 'create',
      payload,
      finish: async (ref) => ({ link: this.syncedLink(job, ref, attributes, link), followUps: await this.groupFollowUps(record.id, target), summary: 'created' }),
    };
  }

  private async prepareUserDelete(job: JobRecord, target: ProvisioningTarget): Promise<PreparedUserJob> {
    const link = await this.deps.store.getLink(target.id, 'user', job.localId);
    if (!link?.remoteId || link.remoteActive === false) return done({ summary: 'never provisioned or already deprovisioned; nothing to do' });
    const user = await this.deps.store.getUser(job.localId);
    return {
      kind: 'delete',
      deletion: { localId: job.localId, remoteId: link.remoteId, user: user?.resource },
      finish: (result) => {
        const deactivated = result?.mode === 'deactivated';
        return {
          link: { ...link, status: 'deprovisioned', remoteId: deactivated ? link.remoteId : undefined, remoteActive: false, lastError: undefined, lastSyncedAt: this.now(), syncedAttributes: deactivated ? link.syncedAttributes : undefined },
          summary: deactivated ? 'deactivated' : 'deleted',
        };
      },
    };
  }

  /** After a retry: the account may exist already (its create's answer was lost). Find it, else create. */
  async findThenCreate(job: JobRecord, target: ProvisioningTarget, payload: UserPayload): Promise<ExecutionResult> {
    const connector = target.instance.connector;
    const found = await connector.findUser({ localId: payload.localId, accountName: payload.accountName, externalId: payload.user.externalId, attributes: payload.attributes });
    const link = await this.deps.store.getLink(target.id, 'user', job.localId);
    if (found) {
      return { link: this.syncedLink(job, found, payload.attributes, link), followUps: await this.groupFollowUps(payload.localId, target), summary: 'linked the account an earlier attempt created' };
    }
    try {
      const ref = await connector.createUser(payload);
      return { link: this.syncedLink(job, ref, payload.attributes, link), followUps: await this.groupFollowUps(payload.localId, target), summary: 'created' };
    } catch (error) {
      if (!isConflictError(error)) throw error;
      return this.linkExisting(job, target, payload, error);
    }
  }

  /** The target says the account exists (duplicate username): link it and bring it in line, no twin. */
  async linkExisting(job: JobRecord, target: ProvisioningTarget, payload: UserPayload, conflict: ConflictError): Promise<ExecutionResult> {
    const connector = target.instance.connector;
    const ref = conflict.existingRemoteId
      ? { remoteId: conflict.existingRemoteId }
      : await connector.findUser({ localId: payload.localId, accountName: payload.accountName, externalId: payload.user.externalId, attributes: payload.attributes });
    if (!ref) throw new PermanentError(`the target reports the account exists but it cannot be found: ${conflict.message}`, { cause: conflict });
    await connector.updateUser({ ...payload, remoteId: ref.remoteId, changed: payload.attributes, reactivate: false });
    const link = await this.deps.store.getLink(target.id, 'user', job.localId);
    return { link: this.syncedLink(job, ref, payload.attributes, link), followUps: await this.groupFollowUps(payload.localId, target), summary: 'linked an existing account' };
  }

  private async syncGroup(job: JobRecord, target: ProvisioningTarget): Promise<ExecutionResult> {
    const { store } = this.deps;
    const record = await store.getGroup(job.localId);
    if (!record) return { summary: 'group no longer exists; nothing to do' };
    const group = groupView(record);
    if (!target.groupInScope(group)) return { summary: 'group is out of scope; nothing to do' };
    const connector = requireGroups(target.instance.connector, target.id);
    const attributes = target.mapGroup(group);
    const link = await store.getLink(target.id, 'group', job.localId);
    const payload = { localId: record.id, group, attributes, accountName: record.displayName };
    let ref: RemoteRef;
    const steps: string[] = [];
    if (link?.remoteId) {
      const changed = changedAttributes(link.syncedAttributes, attributes);
      if (Object.keys(changed).length > 0 || link.remoteName !== record.displayName) {
        ref = (await connector.updateGroup({ ...payload, remoteId: link.remoteId, changed })) ?? { remoteId: link.remoteId, remoteName: record.displayName };
        steps.push('updated');
      } else ref = { remoteId: link.remoteId, remoteName: link.remoteName };
    } else {
      const found = job.attempts > 1 ? await connector.findGroup({ localId: record.id, displayName: record.displayName, attributes }) : null;
      if (found) ref = found;
      else {
        try {
          ref = await connector.createGroup(payload);
        } catch (error) {
          if (!isConflictError(error)) throw error;
          const existing = await connector.findGroup({ localId: record.id, displayName: record.displayName, attributes });
          if (!existing) throw new PermanentError(`the target reports the group exists but it cannot be found: ${error.message}`, { cause: error });
          ref = existing;
        }
      }
      steps.push(found ? 'linked' : 'created');
    }
    // Membership: the remote ids of members that are provisioned and active on this target.
    const memberIds = record.members.filter((m) => m.type !== 'Group').map((m) => m.value);
    const desired = (await store.linksFor(target.id, 'user', memberIds)).filter((l) => l.remoteId && l.remoteActive !== false && l.status === 'synced').map((l) => l.remoteId as string);
    const previous = new Set(link?.remoteId === ref.remoteId ? (link.syncedMembers ?? []) : []);
    const wanted = new Set(desired);
    const add = desired.filter((id) => !previous.has(id));
    const remove = [...previous].filter((id) => !wanted.has(id));
    const change = { groupLocalId: record.id, groupRemoteId: ref.remoteId };
    if (add.length > 0) await connector.addMembers({ ...change, memberRemoteIds: add });
    if (remove.length > 0) await connector.removeMembers({ ...change, memberRemoteIds: remove });
    if (add.length) steps.push(`added ${add.length} member(s)`);
    if (remove.length) steps.push(`removed ${remove.length} member(s)`);
    return {
      link: { instanceId: target.id, entityType: 'group', localId: record.id, remoteId: ref.remoteId, remoteName: ref.remoteName ?? record.displayName, status: 'synced', lastSyncedAt: this.now(), syncedAttributes: attributes, syncedMembers: desired, remoteActive: true },
      summary: steps.join(', ') || 'already up to date',
    };
  }

  private async deleteGroup(job: JobRecord, target: ProvisioningTarget): Promise<ExecutionResult> {
    const link = await this.deps.store.getLink(target.id, 'group', job.localId);
    if (!link?.remoteId) return { summary: 'never provisioned; nothing to do' };
    await requireGroups(target.instance.connector, target.id).deleteGroup({ localId: job.localId, remoteId: link.remoteId });
    return { link: { ...link, status: 'deprovisioned', remoteId: undefined, remoteActive: false, syncedMembers: [], lastError: undefined, lastSyncedAt: this.now() }, summary: 'deleted' };
  }

  private async password(job: JobRecord, target: ProvisioningTarget): Promise<string | undefined> {
    if (!target.provisionsPasswords) return undefined;
    const sealed = await this.deps.store.pendingPassword(job.localId);
    return sealed ? this.deps.sealer.unseal(sealed) : undefined;
  }

  private syncedLink(job: JobRecord, ref: RemoteRef, attributes: MappedAttributes, previous: LinkRecord | undefined): LinkRecord {
    return {
      instanceId: job.instanceId,
      entityType: 'user',
      localId: job.localId,
      remoteId: ref.remoteId,
      remoteName: ref.remoteName ?? previous?.remoteName,
      status: 'synced',
      lastSyncedAt: this.now(),
      syncedAttributes: attributes,
      remoteActive: true,
    };
  }

  /** A newly linked user may be waiting to be added to its groups on this target. */
  private async groupFollowUps(userId: string, target: ProvisioningTarget): Promise<NewJob[]> {
    if (!target.handlesGroups) return [];
    const groups = await this.deps.store.groupsOfMember(userId);
    return groups
      .filter((g) => target.groupInScope(groupView(g)))
      .map((g) => ({ instanceId: target.id, entityType: 'group' as const, localId: g.id, action: 'sync' as const, reason: 'membership', maxAttempts: target.instance.settings.retry.maxAttempts }));
  }
}

/** The remote fields whose mapped value differs from the last synced ones (null: clear it). */
export function changedAttributes(previous: MappedAttributes | undefined, next: MappedAttributes): MappedAttributes {
  const changed: MappedAttributes = {};
  for (const [key, value] of Object.entries(next)) {
    if (JSON.stringify(previous?.[key]) !== JSON.stringify(value)) changed[key] = value;
  }
  // A field that disappeared locally is cleared remotely.
  for (const key of Object.keys(previous ?? {})) if (!(key in next)) changed[key] = null;
  return changed;
}

function requireGroups(connector: OutboundConnector, instanceId: string): GroupOperations {
  const operations = groupOperationsOf(connector);
  if (!operations) throw new PermanentError(`connector instance ${instanceId} declares group support but does not implement every group operation`);
  return operations;
}

/** The outcome of one job of a batch: its result, or the error to classify. */
export type BatchJobResult = { job: JobRecord; ok: true; result: ExecutionResult } | { job: JobRecord; ok: false; error: unknown };

/**
 * Runs user jobs of one target through `provisionBatch`: each job is prepared
 * as for a single call; those that are one remote call travel in the batch,
 * the rest (look-ups after a lost answer, conflicts to link) run on their own.
 */
export async function runUserBatch(executor: JobExecutor, jobs: readonly JobRecord[], target: ProvisioningTarget): Promise<BatchJobResult[]> {
  const connector = target.instance.connector;
  const results: BatchJobResult[] = [];
  const operations: BatchOperation[] = [];
  const pending = new Map<string, { job: JobRecord; prepared: Exclude<PreparedUserJob, { kind: 'done' } | { kind: 'findThenCreate' }> }>();
  const alone: { job: JobRecord; payload: UserPayload }[] = [];
  for (const job of jobs) {
    try {
      const prepared = await executor.prepareUser(job, target);
      if (prepared.kind === 'done') results.push({ job, ok: true, result: prepared.result });
      else if (prepared.kind === 'findThenCreate') alone.push({ job, payload: prepared.payload });
      else {
        pending.set(job.id, { job, prepared });
        if (prepared.kind === 'create') operations.push({ kind: 'createUser', jobId: job.id, payload: prepared.payload });
        else if (prepared.kind === 'update') operations.push({ kind: 'updateUser', jobId: job.id, payload: prepared.update });
        else operations.push({ kind: 'deleteUser', jobId: job.id, payload: prepared.deletion });
      }
    } catch (error) {
      results.push({ job, ok: false, error });
    }
  }
  if (operations.length > 0 && connector.provisionBatch) {
    let outcomes: BatchOutcome[] = [];
    try {
      outcomes = await connector.provisionBatch(operations);
    } catch (error) {
      // The batch call itself failed: every job in it shares the error.
      for (const { job } of pending.values()) results.push({ job, ok: false, error });
      pending.clear();
    }
    for (const outcome of outcomes) {
      const entry = pending.get(outcome.jobId);
      if (!entry) continue;
      pending.delete(outcome.jobId);
      const { job, prepared } = entry;
      try {
        if (!outcome.ok) {
          if (prepared.kind === 'create' && isConflictError(outcome.error)) results.push({ job, ok: true, result: await executor.linkExisting(job, target, prepared.payload, outcome.error) });
          else results.push({ job, ok: false, error: outcome.error });
        } else if (prepared.kind === 'create') {
          if (!outcome.ref) throw new PermanentError('the connector reported a created account without its remote id');
          results.push({ job, ok: true, result: await prepared.finish(outcome.ref) });
        } else if (prepared.kind === 'update') results.push({ job, ok: true, result: prepared.finish(outcome.ref) });
        else results.push({ job, ok: true, result: prepared.finish(outcome.deletion) });
      } catch (error) {
        results.push({ job, ok: false, error });
      }
    }
    // A connector that forgot an operation must not lose its job.
    for (const { job } of pending.values()) results.push({ job, ok: false, error: new TransientError('the batch returned no outcome for this operation') });
  }
  for (const { job, payload } of alone) {
    try {
      results.push({ job, ok: true, result: await executor.findThenCreate(job, target, payload) });
    } catch (error) {
      results.push({ job, ok: false, error });
    }
  }
  return results;
}
