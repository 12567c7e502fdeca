import type { Clock } from '../clock.js';
import { groupOperationsOf, type GroupOperations } from '../connector/group-operations.js';
import type {
  BatchOperation,
  BatchOutcome,
  DeletionResult,
  MappedAttributes,
  OutboundConnector,
  RemoteRef,
  UserDeletion,
  UserLookup,
  UserPayload,
  UserUpdate,
} from '../connector/outbound-connector.js';
import type { RemoteCallOptions } from '../connector/remote-call.js';
import { isConflictError, isRemoteNotFoundError, PermanentError, TransientError, type ConflictError } from '../errors.js';
import type { ScimGroup, ScimUser } from '../model/identity.js';
import type { PasswordSealer } from '../security/passwords.js';
import type { JobRecord, LinkRecord, NewJob } from '../store/records.js';
import type { Store } from '../store/store-ports.js';
import { groupView, userView } from './identity-views.js';
import type { ProvisioningTarget } from './provisioning-target.js';

/**
 * A user job decided but not yet done. `create`/`update`/`delete` are single
 * remote calls that a batch can carry; `lookFirst` needs a look-up first (an
 * earlier attempt's outcome is unknown) and always runs on its own; `done`
 * needs nothing remote.
 */
export type PreparedUserJob =
  | { kind: 'done'; result: ExecutionResult }
  | { kind: 'create'; payload: UserPayload; finish: (ref: RemoteRef) => Promise<ExecutionResult> }
  | { kind: 'update'; update: UserUpdate; finish: (ref: RemoteRef | void) => ExecutionResult }
  | { kind: 'delete'; deletion: UserDeletion; finish: (result: DeletionResult | void) => ExecutionResult }
  | { kind: 'lookFirst'; run: () => Promise<ExecutionResult> };

/**
 * Whether an earlier attempt may have changed the remote without us knowing: it was
 * taken over (worker died, lease lost) or failed in a way that may have landed.
 */
function outcomeMayBeUnknown(job: JobRecord): boolean {
  return job.outcomeUnknown === true || job.attempts > 1;
}

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

  /** `call` goes with every remote call of the job (its signal aborts at the lease deadline). */
  async run(job: JobRecord, target: ProvisioningTarget, call: RemoteCallOptions = {}): Promise<ExecutionResult> {
    if (job.entityType === 'user') return job.action === 'sync' ? this.syncUser(job, target, call) : this.deleteUser(job, target, call);
    return job.action === 'sync' ? this.syncGroup(job, target, call) : this.deleteGroup(job, target, call);
  }

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  /**
   * Decides what a user job needs remotely without doing it, so that the same
   * decision serves a single call and a batch (provisionBatch).
   */
  async prepareUser(job: JobRecord, target: ProvisioningTarget, call: RemoteCallOptions = {}): Promise<PreparedUserJob> {
    return job.action === 'sync' ? this.prepareUserSync(job, target, call) : this.prepareUserDelete(job, target, call);
  }

  private async syncUser(job: JobRecord, target: ProvisioningTarget, call: RemoteCallOptions): Promise<ExecutionResult> {
    const prepared = await this.prepareUserSync(job, target, call);
    const connector = target.instance.connector;
    switch (prepared.kind) {
      case 'done':
        return prepared.result;
      case 'update':
        try {
          return prepared.finish(await connector.updateUser(prepared.update, call));
        } catch (error) {
          return this.whenGone(job, target, prepared.update, error, call);
        }
      case 'create':
        try {
          return await prepared.finish(await connector.createUser(prepared.payload, call));
        } catch (error) {
          if (!isConflictError(error)) throw error;
          return this.linkExisting(job, target, prepared.payload, error, call);
        }
      case 'lookFirst':
        return prepared.run();
      case 'delete':
        return prepared.finish(await connector.deleteUser(prepared.deletion, call));
    }
  }

  private async deleteUser(job: JobRecord, target: ProvisioningTarget, call: RemoteCallOptions): Promise<ExecutionResult> {
    const prepared = await this.prepareUserDelete(job, target, call);
    if (prepared.kind === 'done') return prepared.result;
    if (prepared.kind === 'lookFirst') return prepared.run();
    if (prepared.kind !== 'delete') throw new Error('a delete job only deletes');
    return prepared.finish(await target.instance.connector.deleteUser(prepared.deletion, call));
  }

  private async prepareUserSync(job: JobRecord, target: ProvisioningTarget, call: RemoteCallOptions): Promise<PreparedUserJob> {
    const { store } = this.deps;
    const record = await store.getUser(job.localId);
    // Deleted since this job was planned: the delete job does the work. Unless an earlier attempt of this
    // job may have created the account: then nothing else knows of it, so this job removes what it finds.
    if (!record)
      return outcomeMayBeUnknown(job)
        ? this.prepareUserDelete(job, target, call)
        : done({ summary: 'user no longer exists; nothing to do' });
    const user = userView(record, await store.groupSummariesOfMember(record.id));
    if (!target.userInScope(user)) return done({ summary: 'user is out of scope; nothing to do' });
    const link = await store.getLink(target.id, 'user', job.localId);
    // The link's synced attributes keep the values selectUniqueValue picked when the account was created.
    const attributes = target.mapUser(user, link?.syncedAttributes);
    const accountName = target.accountName(user);
    const password = await this.password(job, target);
    const payload: UserPayload = { localId: record.id, user, attributes, accountName, password };

    // Re-sending a diff after a failed update is idempotent; after a takeover the account may even be gone (an abandoned delete).
    if (link?.remoteId && job.outcomeUnknown === true)
      return { kind: 'lookFirst', run: () => this.findThenUpdate(job, target, payload, link, call) };
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
    if (outcomeMayBeUnknown(job) || link?.status === 'failed')
      return { kind: 'lookFirst', run: () => this.findThenCreate(job, target, payload, call) };
    const created = await target.withUniqueValues(payload, call);
    return {
      kind: 'create',
      payload: created,
      finish: async (ref) => ({
        link: this.syncedLink(job, ref, created.attributes, link),
        followUps: await this.groupFollowUps(record.id, target),
        summary: 'created',
      }),
    };
  }

  private async prepareUserDelete(job: JobRecord, target: ProvisioningTarget, call: RemoteCallOptions): Promise<PreparedUserJob> {
    const link = await this.deps.store.getLink(target.id, 'user', job.localId);
    const orphanMode = orphanRemovalMode(job);
    // Planned by a reconcile under reconcile.orphans: delete | deactivate; an operator who set it back to report since wins.
    if (orphanMode && target.instance.settings.reconcile.orphans === 'report')
      return done({ summary: 'reconcile.orphans is report now; the orphan was left in place' });
    // deprovision.mode: skip: the account stays; the link says so, for reconcile to report.
    if (target.skipsDeprovisioning && !orphanMode)
      return done({
        link: link?.remoteId ? { ...link, status: 'skipped', lastError: undefined, lastSyncedAt: this.now() } : link,
        summary: 'deprovisioning skipped (deprovision.mode: skip)',
      });
    // No link, but an earlier attempt may have created the account: look for it by what the user was.
    if (!link?.remoteId && outcomeMayBeUnknown(job)) return { kind: 'lookFirst', run: () => this.findThenDelete(job, target, link, call) };
    if (!link?.remoteId || (link.remoteActive === false && orphanMode !== 'delete'))
      return done({ summary: 'never provisioned or already deprovisioned; nothing to do' });
    const user = await this.deps.store.getUser(job.localId);
    return {
      kind: 'delete',
      deletion: { localId: job.localId, remoteId: link.remoteId, user: user?.resource, ...(orphanMode ? { mode: orphanMode } : {}) },
      finish: (result) => {
        const deactivated = result?.mode === 'deactivated';
        return {
          link: {
            ...link,
            status: 'deprovisioned',
            remoteId: deactivated ? link.remoteId : undefined,
            remoteActive: false,
            lastError: undefined,
            lastSyncedAt: this.now(),
            syncedAttributes: deactivated ? link.syncedAttributes : undefined,
          },
          summary: deactivated ? 'deactivated' : 'deleted',
        };
      },
    };
  }

  /**
   * After an unknown outcome: the account may exist already (its create's answer was lost).
   * Find it and bring it to the wanted state (the earlier attempt may have sent older
   * attributes, or none of them), else create it.
   */
  private async findThenCreate(
    job: JobRecord,
    target: ProvisioningTarget,
    payload: UserPayload,
    call: RemoteCallOptions,
  ): Promise<ExecutionResult> {
    const found = await target.instance.connector.findUser(lookupOf(target, payload), call);
    const link = await this.deps.store.getLink(target.id, 'user', job.localId);
    if (found) {
      const updated = await this.writeWantedState(
        target,
        payload,
        found,
        { reactivate: false, previousAccountName: found.remoteName },
        call,
      );
      const ref = { remoteId: found.remoteId, remoteName: updated?.remoteName ?? found.remoteName };
      return {
        link: this.syncedLink(job, ref, payload.attributes, link),
        followUps: await this.groupFollowUps(payload.localId, target),
        summary: 'linked the account an earlier attempt created and brought it up to date',
      };
    }
    return this.createAfterLook(job, target, payload, link, call);
  }

  /**
   * An update answered "not found": the linked account was removed in the target. Per the
   * instance's `reconcile.missing`, create it again (looking first by the match rules, so an
   * account an admin re-made is linked, not twinned) or fail the job saying so. Other errors pass.
   */
  async whenGone(
    job: JobRecord,
    target: ProvisioningTarget,
    update: UserUpdate,
    error: unknown,
    call: RemoteCallOptions = {},
  ): Promise<ExecutionResult> {
    if (!isRemoteNotFoundError(error)) throw error;
    if (target.instance.settings.reconcile.missing === 'report')
      throw new PermanentError(
        `the linked account ${update.remoteId} is gone from the target (reconcile.missing: report; not re-created): ${error.message}`,
        { cause: error, remoteCode: error.remoteCode },
      );
    const { localId, user, attributes, accountName, password } = update;
    const result = await this.findThenCreate(job, target, { localId, user, attributes, accountName, password }, call);
    return { ...result, summary: `the linked account ${update.remoteId} was gone from the target; ${result.summary}` };
  }

  /** Nothing found: create; a conflict means it appeared meanwhile, so link that instead of a twin. */
  private async createAfterLook(
    job: JobRecord,
    target: ProvisioningTarget,
    payload: UserPayload,
    link: LinkRecord | undefined,
    call: RemoteCallOptions,
  ): Promise<ExecutionResult> {
    const connector = target.instance.connector;
    const created = await target.withUniqueValues(payload, call);
    try {
      const ref = await connector.createUser(created, call);
      return {
        link: this.syncedLink(job, ref, created.attributes, link),
        followUps: await this.groupFollowUps(payload.localId, target),
        summary: 'created',
      };
    } catch (error) {
      if (!isConflictError(error)) throw error;
      return this.linkExisting(job, target, created, error, call);
    }
  }

  /** Writes every mapped attribute to an account a look-up found: what is recorded as synced is what was sent. */
  private writeWantedState(
    target: ProvisioningTarget,
    payload: UserPayload,
    found: RemoteRef,
    how: { reactivate: boolean; previousAccountName: string | undefined },
    call: RemoteCallOptions,
  ) {
    return target.instance.connector.updateUser({ ...payload, remoteId: found.remoteId, changed: payload.attributes, ...how }, call);
  }

  /**
   * Linked, but an earlier attempt's outcome is unknown (it may have deleted, deactivated or
   * half-updated the account): look it up, then write the full wanted state to it, or create it
   * when it is gone.
   */
  private async findThenUpdate(
    job: JobRecord,
    target: ProvisioningTarget,
    payload: UserPayload,
    link: LinkRecord,
    call: RemoteCallOptions,
  ): Promise<ExecutionResult> {
    const found = await target.instance.connector.findUser(lookupOf(target, payload), call);
    if (!found) return this.createAfterLook(job, target, payload, link, call);
    const written = { reactivate: link.remoteActive === false, previousAccountName: link.remoteName };
    const ref = (await this.writeWantedState(target, payload, found, written, call)) ?? found;
    return {
      link: this.syncedLink(
        job,
        { remoteId: ref.remoteId, remoteName: ref.remoteName ?? found.remoteName ?? link.remoteName },
        payload.attributes,
        link,
      ),
      summary: 'looked up after an unknown outcome; wrote the full wanted state',
    };
  }

  /**
   * A delete with no link after an unknown outcome: an earlier attempt may have created the
   * account without its answer being recorded. Look for it by the identity as it was last
   * known (the local one may be gone) and remove what is found.
   */
  private async findThenDelete(
    job: JobRecord,
    target: ProvisioningTarget,
    link: LinkRecord | undefined,
    call: RemoteCallOptions,
  ): Promise<ExecutionResult> {
    const user = ((await this.deps.store.getUser(job.localId))?.resource ?? job.lastKnown) as ScimUser | undefined;
    if (!user?.userName) return { summary: 'no link and nothing known to look for; nothing to do' };
    let attributes: MappedAttributes = {};
    try {
      attributes = target.mapUser(user);
    } catch {
      // A look-up key the mapping cannot build now; the account name and externalId still serve.
    }
    const accountName = target.accountName(user);
    const found = await target.instance.connector.findUser(
      {
        localId: job.localId,
        accountName,
        externalId: user.externalId,
        attributes,
        match: target.matchKeys(user, attributes, accountName),
      },
      call,
    );
    if (!found) return { summary: 'not found remotely after an unknown outcome; nothing to do' };
    const result = await target.instance.connector.deleteUser({ localId: job.localId, remoteId: found.remoteId, user }, call);
    const deactivated = result?.mode === 'deactivated';
    return {
      link: {
        instanceId: target.id,
        entityType: 'user',
        localId: job.localId,
        ...link,
        remoteId: deactivated ? found.remoteId : undefined,
        remoteName: found.remoteName,
        status: 'deprovisioned',
        remoteActive: false,
        lastError: undefined,
        lastSyncedAt: this.now(),
        syncedAttributes: undefined,
      },
      summary: `${deactivated ? 'deactivated' : 'deleted'} the account an earlier attempt created`,
    };
  }

  /** The target says the account exists (duplicate username): link it and bring it in line, no twin. */
  async linkExisting(
    job: JobRecord,
    target: ProvisioningTarget,
    payload: UserPayload,
    conflict: ConflictError,
    call: RemoteCallOptions = {},
  ): Promise<ExecutionResult> {
    const connector = target.instance.connector;
    const link = await this.deps.store.getLink(target.id, 'user', job.localId);
    // A value selectUniqueValue picked for this create was taken meanwhile (another job, another process):
    // that account is someone else's, never to be linked. The retry looks first, then picks again.
    const picked = target.freshlyPicked(payload.attributes, link?.syncedAttributes);
    if (picked.length > 0)
      throw new TransientError(`${picked.join(', ')} picked by selectUniqueValue was taken meanwhile; picking again: ${conflict.message}`, {
        cause: conflict,
      });
    const ref = conflict.existingRemoteId
      ? { remoteId: conflict.existingRemoteId }
      : await connector.findUser(lookupOf(target, payload), call);
    if (!ref)
      throw new PermanentError(`the target reports the account exists but it cannot be found: ${conflict.message}`, { cause: conflict });
    await connector.updateUser({ ...payload, remoteId: ref.remoteId, changed: payload.attributes, reactivate: false }, call);
    return {
      link: this.syncedLink(job, ref, payload.attributes, link),
      followUps: await this.groupFollowUps(payload.localId, target),
      summary: 'linked an existing account',
    };
  }

  private async syncGroup(job: JobRecord, target: ProvisioningTarget, call: RemoteCallOptions): Promise<ExecutionResult> {
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
        ref = (await connector.updateGroup({ ...payload, remoteId: link.remoteId, changed }, call)) ?? {
          remoteId: link.remoteId,
          remoteName: record.displayName,
        };
        steps.push('updated');
      } else ref = { remoteId: link.remoteId, remoteName: link.remoteName };
    } else {
      const found = outcomeMayBeUnknown(job)
        ? await connector.findGroup({ localId: record.id, displayName: record.displayName, attributes }, call)
        : null;
      // Found what an earlier attempt created: write the full wanted state to it (never record as synced what was not sent).
      if (found) ref = (await connector.updateGroup({ ...payload, remoteId: found.remoteId, changed: attributes }, call)) ?? found;
      else {
        try {
          ref = await connector.createGroup(payload, call);
        } catch (error) {
          if (!isConflictError(error)) throw error;
          const existing = await connector.findGroup({ localId: record.id, displayName: record.displayName, attributes }, call);
          if (!existing)
            throw new PermanentError(`the target reports the group exists but it cannot be found: ${error.message}`, { cause: error });
          ref = existing;
        }
      }
      steps.push(found ? 'linked' : 'created');
    }
    // Membership: the remote ids of members that are provisioned and active on this target.
    const memberIds = record.members.filter((m) => m.type !== 'Group').map((m) => m.value);
    const desired = (await store.linksFor(target.id, 'user', memberIds))
      .filter((l) => l.remoteId && l.remoteActive !== false && l.status === 'synced')
      .map((l) => l.remoteId as string);
    const previous = new Set(link?.remoteId === ref.remoteId ? (link.syncedMembers ?? []) : []);
    const wanted = new Set(desired);
    const add = desired.filter((id) => !previous.has(id));
    const remove = [...previous].filter((id) => !wanted.has(id));
    const change = { groupLocalId: record.id, groupRemoteId: ref.remoteId };
    if (add.length > 0) await connector.addMembers({ ...change, memberRemoteIds: add }, call);
    if (remove.length > 0) await connector.removeMembers({ ...change, memberRemoteIds: remove }, call);
    if (add.length) steps.push(`added ${add.length} member(s)`);
    if (remove.length) steps.push(`removed ${remove.length} member(s)`);
    return {
      link: {
        instanceId: target.id,
        entityType: 'group',
        localId: record.id,
        remoteId: ref.remoteId,
        remoteName: ref.remoteName ?? record.displayName,
        status: 'synced',
        lastSyncedAt: this.now(),
        syncedAttributes: attributes,
        syncedMembers: desired,
        remoteActive: true,
      },
      summary: steps.join(', ') || 'already up to date',
    };
  }

  private async deleteGroup(job: JobRecord, target: ProvisioningTarget, call: RemoteCallOptions): Promise<ExecutionResult> {
    const link = await this.deps.store.getLink(target.id, 'group', job.localId);
    if (!link?.remoteId && outcomeMayBeUnknown(job)) return this.findThenDeleteGroup(job, target, link, call);
    if (!link?.remoteId) return { summary: 'never provisioned; nothing to do' };
    await requireGroups(target.instance.connector, target.id).deleteGroup({ localId: job.localId, remoteId: link.remoteId }, call);
    return { link: this.deletedGroupLink(link), summary: 'deleted' };
  }

  /** A group's link once its remote group is gone: no remote id and no members synced. */
  private deletedGroupLink(link: Pick<LinkRecord, 'instanceId' | 'entityType' | 'localId'> & Partial<LinkRecord>): LinkRecord {
    return {
      ...link,
      status: 'deprovisioned',
      remoteId: undefined,
      remoteActive: false,
      syncedMembers: [],
      lastError: undefined,
      lastSyncedAt: this.now(),
    };
  }

  /** As findThenDelete, for a group an earlier attempt may have created. */
  private async findThenDeleteGroup(
    job: JobRecord,
    target: ProvisioningTarget,
    link: LinkRecord | undefined,
    call: RemoteCallOptions,
  ): Promise<ExecutionResult> {
    const group = ((await this.deps.store.getGroup(job.localId))?.resource ?? job.lastKnown) as ScimGroup | undefined;
    if (!group?.displayName) return { summary: 'no link and nothing known to look for; nothing to do' };
    const connector = requireGroups(target.instance.connector, target.id);
    const found = await connector.findGroup(
      { localId: job.localId, displayName: group.displayName, attributes: target.mapGroup(group) },
      call,
    );
    if (!found) return { summary: 'not found remotely after an unknown outcome; nothing to do' };
    await connector.deleteGroup({ localId: job.localId, remoteId: found.remoteId }, call);
    return {
      link: this.deletedGroupLink({ instanceId: target.id, entityType: 'group', localId: job.localId, ...link }),
      summary: 'deleted the group an earlier attempt created',
    };
  }

  /**
   * The user's pending password, if this target still awaits it. One past its time
   * (security.pendingPasswordTtl) is destroyed instead, and the job says so in the audit trail.
   */
  private async password(job: JobRecord, target: ProvisioningTarget): Promise<string | undefined> {
    if (!target.provisionsPasswords) return undefined;
    const pending = await this.deps.store.pendingPassword(job.localId);
    if (!pending) return undefined;
    if (pending.expiresAt <= this.deps.clock.now()) {
      await this.deps.store.commit({
        dropPendingPasswords: [job.localId],
        audit: [
          {
            at: this.now(),
            actor: `worker:${job.instanceId}`,
            action: 'password.expired',
            entityType: 'job',
            entityId: job.id,
            details: {
              userId: job.localId,
              instanceId: job.instanceId,
              neverReceivedBy: pending.awaiting,
              expiredAt: new Date(pending.expiresAt).toISOString(),
            },
          },
        ],
      });
      return undefined;
    }
    return pending.awaiting.includes(target.id) ? this.deps.sealer.unseal(pending.sealed) : undefined;
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
      .map((g) => ({
        instanceId: target.id,
        entityType: 'group' as const,
        localId: g.id,
        action: 'sync' as const,
        reason: 'membership',
        maxAttempts: target.instance.settings.retry.maxAttempts,
      }));
  }
}

/** What findUser is asked for a payload: its natural keys and the instance's match rules resolved for it. */
function lookupOf(target: ProvisioningTarget, payload: UserPayload): UserLookup {
  return {
    localId: payload.localId,
    accountName: payload.accountName,
    externalId: payload.user.externalId,
    attributes: payload.attributes,
    match: target.matchKeys(payload.user, payload.attributes, payload.accountName),
  };
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
  if (!operations)
    throw new PermanentError(`connector instance ${instanceId} declares group support but does not implement every group operation`);
  return operations;
}

/** The outcome of one job of a batch: its result, or the error to classify. */
export type BatchJobResult = { job: JobRecord; ok: true; result: ExecutionResult } | { job: JobRecord; ok: false; error: unknown };

/** Called with each job's outcome as soon as it is known, so it is recorded before the next call goes out. */
export type BatchResultReport = (result: BatchJobResult) => Promise<void>;

/**
 * Runs user jobs of one target through `provisionBatch`: each job is prepared
 * as for a single call; those that are one remote call travel in the batch,
 * the rest (look-ups after an unknown outcome, conflicts to link) run on their own.
 * Every outcome goes to `report` as it lands (per operation when the connector
 * reports them one by one, else when the batch call returns); each job is reported once.
 */
export async function runUserBatch(
  executor: JobExecutor,
  jobs: readonly JobRecord[],
  target: ProvisioningTarget,
  report: BatchResultReport,
  call: RemoteCallOptions = {},
): Promise<void> {
  const connector = target.instance.connector;
  const operations: BatchOperation[] = [];
  const pending = new Map<string, { job: JobRecord; prepared: Exclude<PreparedUserJob, { kind: 'done' } | { kind: 'lookFirst' }> }>();
  const alone: { job: JobRecord; run: () => Promise<ExecutionResult> }[] = [];
  for (const job of jobs) {
    try {
      const prepared = await executor.prepareUser(job, target, call);
      if (prepared.kind === 'done') await report({ job, ok: true, result: prepared.result });
      else if (prepared.kind === 'lookFirst') alone.push({ job, run: prepared.run });
      else if (prepared.kind === 'delete' && prepared.deletion.mode) {
        // A batch deprovisions as the instance is configured: a removal that asks for its own mode runs alone.
        alone.push({ job, run: async () => prepared.finish(await connector.deleteUser(prepared.deletion, call)) });
      } else {
        pending.set(job.id, { job, prepared });
        if (prepared.kind === 'create') operations.push({ kind: 'createUser', jobId: job.id, payload: prepared.payload });
        else if (prepared.kind === 'update') operations.push({ kind: 'updateUser', jobId: job.id, payload: prepared.update });
        else operations.push({ kind: 'deleteUser', jobId: job.id, payload: prepared.deletion });
      }
    } catch (error) {
      await report({ job, ok: false, error });
    }
  }
  const settle = async (outcome: BatchOutcome): Promise<void> => {
    const entry = pending.get(outcome.jobId);
    if (!entry) return;
    pending.delete(outcome.jobId);
    await report(await batchJobResult(executor, target, entry.job, entry.prepared, outcome, call));
  };
  if (operations.length > 0 && connector.provisionBatch) {
    let outcomes: BatchOutcome[] = [];
    try {
      outcomes = await connector.provisionBatch(operations, settle, call);
    } catch (error) {
      // The batch call itself failed: every job in it not yet reported shares the error.
      for (const { job } of [...pending.values()]) await report({ job, ok: false, error });
      pending.clear();
    }
    for (const outcome of outcomes) await settle(outcome);
    // A connector that forgot an operation must not lose its job.
    for (const { job } of [...pending.values()])
      await report({ job, ok: false, error: new TransientError('the batch returned no outcome for this operation') });
  }
  for (const { job, run } of alone) {
    try {
      await report({ job, ok: true, result: await run() });
    } catch (error) {
      await report({ job, ok: false, error });
    }
  }
}

/** One operation's outcome as the job's result: a create conflict links the existing account. */
async function batchJobResult(
  executor: JobExecutor,
  target: ProvisioningTarget,
  job: JobRecord,
  prepared: Exclude<PreparedUserJob, { kind: 'done' } | { kind: 'lookFirst' }>,
  outcome: BatchOutcome,
  call: RemoteCallOptions,
): Promise<BatchJobResult> {
  try {
    if (!outcome.ok) {
      if (prepared.kind === 'create' && isConflictError(outcome.error))
        return { job, ok: true, result: await executor.linkExisting(job, target, prepared.payload, outcome.error, call) };
      if (prepared.kind === 'update' && isRemoteNotFoundError(outcome.error))
        return { job, ok: true, result: await executor.whenGone(job, target, prepared.update, outcome.error, call) };
      return { job, ok: false, error: outcome.error };
    }
    if (prepared.kind === 'create') {
      if (!outcome.ref) throw new PermanentError('the connector reported a created account without its remote id');
      return { job, ok: true, result: await prepared.finish(outcome.ref) };
    }
    if (prepared.kind === 'update') return { job, ok: true, result: prepared.finish(outcome.ref) };
    return { job, ok: true, result: prepared.finish(outcome.deletion) };
  } catch (error) {
    return { job, ok: false, error };
  }
}

/** The mode an orphan removal asks for (`reconcile.orphans`), or undefined for any other job. */
function orphanRemovalMode(job: JobRecord): UserDeletion['mode'] {
  if (job.action === 'orphan.delete') return 'delete';
  if (job.action === 'orphan.deactivate') return 'deactivate';
  return undefined;
}
