import type { Clock } from '../clock.js';
import type { MappedAttributes, OutboundConnector, RemoteRef } from '../connector/outbound-connector.js';
import { isConflictError, PermanentError } from '../errors.js';
import type { PasswordSealer } from '../security/passwords.js';
import type { JobRecord, LinkRecord, NewJob } from '../store/records.js';
import type { Store } from '../store/store-ports.js';
import { groupView, userView } from './identity-views.js';
import type { ProvisioningTarget } from './provisioning-target.js';

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

  private async syncUser(job: JobRecord, target: ProvisioningTarget): Promise<ExecutionResult> {
    const { store } = this.deps;
    const record = await store.getUser(job.localId);
    // Deleted or out of scope since this job was planned: the job that planned that does the work.
    if (!record) return { summary: 'user no longer exists; nothing to do' };
    const user = userView(record, await store.groupsOfMember(record.id));
    if (!target.userInScope(user)) return { summary: 'user is out of scope; nothing to do' };
    const connector = target.instance.connector;
    const attributes = target.mapUser(user);
    const accountName = target.accountName(user);
    const password = await this.password(job, target);
    const link = await store.getLink(target.id, 'user', job.localId);
    const payload = { localId: record.id, user, attributes, accountName, password };

    if (link?.remoteId) {
      const reactivate = link.remoteActive === false;
      const changed = reactivate ? attributes : changedAttributes(link.syncedAttributes, attributes);
      const renamed = accountName !== undefined && accountName !== link.remoteName;
      if (Object.keys(changed).length === 0 && !renamed && !reactivate && password === undefined) {
        return { link: { ...link, status: 'synced', lastError: undefined, lastSyncedAt: this.now() }, summary: 'already up to date' };
      }
      const ref = (await connector.updateUser({ ...payload, remoteId: link.remoteId, changed, reactivate, previousAccountName: link.remoteName })) ?? { remoteId: link.remoteId, remoteName: link.remoteName };
      return { link: this.syncedLink(job, ref, attributes, link), summary: reactivate ? 'reactivated' : `updated ${Object.keys(changed).join(', ') || 'account name'}` };
    }

    // A previous attempt may have created the account before its answer was lost: look first.
    const previouslyTried = job.attempts > 1 || link?.status === 'failed';
    let ref = previouslyTried ? await connector.findUser({ localId: record.id, accountName, externalId: record.externalId, attributes }) : null;
    let summary = ref ? 'linked the account an earlier attempt created' : 'created';
    if (!ref) {
      try {
        ref = await connector.createUser(payload);
      } catch (error) {
        if (!isConflictError(error)) throw error;
        ref = error.existingRemoteId ? { remoteId: error.existingRemoteId } : await connector.findUser({ localId: record.id, accountName, externalId: record.externalId, attributes });
        if (!ref) throw new PermanentError(`the target reports the account exists but it cannot be found: ${error.message}`, { cause: error });
        // Linked an existing account: bring it in line with the local identity.
        await connector.updateUser({ ...payload, remoteId: ref.remoteId, changed: attributes, reactivate: false });
        summary = 'linked an existing account';
      }
    }
    return { link: this.syncedLink(job, ref, attributes, link), followUps: await this.groupFollowUps(record.id, target), summary };
  }

  private async deleteUser(job: JobRecord, target: ProvisioningTarget): Promise<ExecutionResult> {
    const link = await this.deps.store.getLink(target.id, 'user', job.localId);
    if (!link?.remoteId || link.remoteActive === false) return { summary: 'never provisioned or already deprovisioned; nothing to do' };
    const user = await this.deps.store.getUser(job.localId);
    const result = await target.instance.connector.deleteUser({ localId: job.localId, remoteId: link.remoteId, user: user?.resource });
    const deactivated = result?.mode === 'deactivated';
    return {
      link: { ...link, status: 'deprovisioned', remoteId: deactivated ? link.remoteId : undefined, remoteActive: false, lastError: undefined, lastSyncedAt: this.now(), syncedAttributes: deactivated ? link.syncedAttributes : undefined },
      summary: deactivated ? 'deactivated' : 'deleted',
    };
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

function changedAttributes(previous: MappedAttributes | undefined, next: MappedAttributes): MappedAttributes {
  const changed: MappedAttributes = {};
  for (const [key, value] of Object.entries(next)) {
    if (JSON.stringify(previous?.[key]) !== JSON.stringify(value)) changed[key] = value;
  }
  // A field that disappeared locally is cleared remotely.
  for (const key of Object.keys(previous ?? {})) if (!(key in next)) changed[key] = null;
  return changed;
}

function requireGroups(connector: OutboundConnector, instanceId: string): Required<Pick<OutboundConnector, 'createGroup' | 'updateGroup' | 'deleteGroup' | 'findGroup' | 'addMembers' | 'removeMembers'>> {
  const { createGroup, updateGroup, deleteGroup, findGroup, addMembers, removeMembers } = connector;
  if (!createGroup || !updateGroup || !deleteGroup || !findGroup || !addMembers || !removeMembers) {
    throw new PermanentError(`connector instance ${instanceId} declares group support but does not implement every group operation`);
  }
  return {
    createGroup: createGroup.bind(connector),
    updateGroup: updateGroup.bind(connector),
    deleteGroup: deleteGroup.bind(connector),
    findGroup: findGroup.bind(connector),
    addMembers: addMembers.bind(connector),
    removeMembers: removeMembers.bind(connector),
  };
}
