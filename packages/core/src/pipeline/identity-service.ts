import type { Clock } from '../clock.js';
import type { ScimGroup, ScimGroupMember, ScimUser } from '../model/identity.js';
import { hashPassword, type PasswordSealer } from '../security/passwords.js';
import type { AuditEntry, GroupMemberRef, GroupRecord, GroupSummary, JobGuard, NewJob, UserRecord } from '../store/records.js';
import { isStoreConflictError, type CommitReceipt, type IdentityWrite, type Store } from '../store/store-ports.js';
import { currentRequestId } from '../logging/request-context.js';
import { IdentityError } from './identity-errors.js';
import { groupSummaryView, groupView, userView } from './identity-views.js';
import { newIdentityId } from './identity-id.js';
import { KeyedMutex } from './keyed-mutex.js';
import { membersOver, pendingMembers, settle, type PendingMembers } from './pending-members.js';
import type { JobEvents, JobFinishedEvent } from './job-events.js';
import { lastKnownUser, leftScopeReason, planGroupJobs, planUserJobs } from './job-planner.js';
import type { ProvisioningTarget } from './provisioning-target.js';

export interface WriteOptions {
  /** Who asked, for the audit trail: `scim:entra`, `admin:ops`. */
  actor: string;
  /** The version the caller read (If-Match); a mismatch is `preconditionFailed`. */
  expectedVersion?: number;
}

export interface BlockingFailure {
  instanceId: string;
  error: string;
}

export interface WriteResult<T> {
  resource: T;
  /** Blocking-mode targets that did not succeed within their timeout. Empty when none are blocking. */
  blockingFailures: BlockingFailure[];
}

export type UserInput = ScimUser & { password?: string };

/** Members added to and taken out of a group by their values (changeGroupMembers). */
export interface GroupMembersDelta {
  /** Members to add (`value`: the id of a user or group), in order; one already in the group (ignoring case) changes nothing. */
  add: readonly ScimGroupMember[];
  /** Values of members to take out, matched ignoring case (as `members[value eq "…"]`), before the adds; one not in the group changes nothing. */
  remove: readonly string[];
}

/** A write of one identity handed to the store and not durable yet: the record it leaves, or a group's membership delta. */
type InFlight =
  | { record: UserRecord | GroupRecord; members?: undefined; commit: Promise<unknown> }
  | { record?: undefined; members: PendingMembers; commit: Promise<unknown> };

/** One identity whose membership of the changed group differs before and after a write. */
interface MembershipChange {
  memberId: string;
  wasMember: boolean;
  isMember: boolean;
}

export interface IdentityServiceDeps {
  store: Store;
  targets: readonly ProvisioningTarget[];
  sealer: PasswordSealer;
  clock: Clock;
  events: JobEvents;
  /** How long a password waits for its targets before it is destroyed unsent (security.pendingPasswordTtl). Default 7 days. */
  pendingPasswordTtlMs?: number;
}

const DEFAULT_PENDING_PASSWORD_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Attributes a client may not set: the server owns them (RFC 7643 §3.1, §4.1.2). */
function sanitizeUser(input: UserInput): ScimUser {
  const { password: _password, groups: _groups, meta: _meta, id: _id, ...rest } = input;
  return rest;
}

function sanitizeGroup(input: ScimGroup): ScimGroup {
  const { members: _members, meta: _meta, id: _id, ...rest } = input;
  return rest;
}

/**
 * How long a write may keep losing races with other processes (the same identity changed meanwhile)
 * before it answers "busy, try again": within a process writes to one identity take turns, so
 * only processes sharing a store race, and a few retries settle them.
 */
const MAX_RACING_MS = 10_000;

/**
 * The only way identities change. Every write stores the identity and the jobs
 * it causes for every in-scope target in one commit (outbox), then returns;
 * workers provision asynchronously. Blocking-mode targets are waited for.
 */
export class IdentityService {
  private readonly scopeUsesGroups: boolean;
  /** A groupScope that reads members needs the whole list to decide: membership deltas then take the full path. */
  private readonly groupScopeUsesMembers: boolean;
  /** Writes to one identity take turns in this process. */
  private readonly turns = new KeyedMutex();
  /** What each identity's write handed to the store and not durable yet leaves (see optimistic). */
  private readonly inFlight = new Map<string, InFlight>();

  constructor(private readonly deps: IdentityServiceDeps) {
    this.scopeUsesGroups = deps.targets.some((t) => /groups/i.test(t.instance.settings.scope ?? ''));
    this.groupScopeUsesMembers = deps.targets.some((t) => /members/i.test(t.instance.settings.groupScope ?? ''));
  }

  async getUser(id: string): Promise<(ScimUser & { id: string }) | undefined> {
    const user = await this.deps.store.getUser(id);
    if (!user) return undefined;
    return userView(user, await this.deps.store.groupSummariesOfMember(id)) as ScimUser & { id: string };
  }

  async getGroup(id: string): Promise<(ScimGroup & { id: string }) | undefined> {
    const group = await this.deps.store.getGroup(id);
    return group ? (groupView(group) as ScimGroup & { id: string }) : undefined;
  }

  async createUser(input: UserInput, options: WriteOptions): Promise<WriteResult<ScimUser>> {
    const userName = requireText(input.userName, 'userName');
    const now = this.nowIso();
    const record: UserRecord = {
      id: newIdentityId(this.deps.clock.now()),
      userName,
      externalId: input.externalId,
      active: input.active ?? true,
      resource: { ...sanitizeUser(input), userName, active: input.active ?? true },
      version: 1,
      createdAt: now,
      updatedAt: now,
      passwordHash: input.password ? await hashPassword(input.password) : undefined,
    };
    const view = userView(record, []);
    const jobs = planUserJobs(this.deps.targets, record.id, undefined, view, 'created');
    return this.commitWithBlocking(
      {
        putUsers: [record],
        expectedUserVersions: { [record.id]: 0 },
        jobs,
        audit: [this.audit(options, 'user.create', 'user', record.id, { userName })],
        pendingPasswords: this.pendingPassword(record.id, input.password, jobs),
      },
      jobs,
      () => view,
    );
  }

  async replaceUser(id: string, input: UserInput, options: WriteOptions): Promise<WriteResult<ScimUser>> {
    requireText(input.userName, 'userName');
    return this.patchUser(id, () => input, options);
  }

  /**
   * Read-modify-write in one place: `change` receives the current view and
   * returns the new user (SCIM PATCH applies its operations there). A
   * concurrent change re-runs it on the fresh view, unless the caller pinned a
   * version (If-Match), which then answers `preconditionFailed`.
   */
  async patchUser(id: string, change: (current: ScimUser) => UserInput, options: WriteOptions): Promise<WriteResult<ScimUser>> {
    return this.optimistic(`user:${id}`, options, async () => {
      const current = await this.existingUser(id, options);
      const groups = await this.deps.store.groupSummariesOfMember(id);
      const before = userView(current, groups);
      const input = change(before);
      const userName = requireText(input.userName, 'userName');
      const next: UserRecord = {
        ...current,
        userName,
        externalId: input.externalId,
        active: input.active ?? true,
        resource: { ...sanitizeUser(input), userName, active: input.active ?? true },
        version: current.version + 1,
        updatedAt: this.nowIso(),
        passwordHash: input.password ? await hashPassword(input.password) : current.passwordHash,
      };
      const after = userView(next, groups);
      const jobs = planUserJobs(this.deps.targets, id, before, after, 'updated');
      return {
        write: {
          putUsers: [next],
          expectedUserVersions: { [id]: current.version },
          jobs,
          audit: [
            this.audit(options, 'user.replace', 'user', id, {
              userName,
              active: next.active,
              ...(input.password ? { passwordChanged: true } : {}),
            }),
          ],
          pendingPasswords: this.pendingPassword(id, input.password, jobs),
        },
        jobs,
        result: () => after,
      };
    });
  }

  async deleteUser(id: string, options: WriteOptions): Promise<WriteResult<undefined>> {
    return this.optimistic(`user:${id}`, options, async () => {
      const current = await this.existingUser(id, options);
      const groups = await this.deps.store.groupsOfMember(id);
      // Deleting a user takes it out of its groups (RFC 7644 §3.6).
      const updatedGroups = groups.map((g) =>
        this.nextGroup(
          g,
          g.resource,
          g.members.filter((m) => m.value !== id),
        ),
      );
      const jobs = [
        ...planUserJobs(this.deps.targets, id, userView(current, groups), undefined, 'deleted'),
        ...updatedGroups.flatMap((g) => planGroupJobs(this.deps.targets, g.id, groupView(g), groupView(g), 'membership')),
      ];
      return {
        write: {
          deleteUsers: [id],
          putGroups: updatedGroups,
          expectedUserVersions: { [id]: current.version },
          expectedGroupVersions: Object.fromEntries(groups.map((g) => [g.id, g.version])),
          jobs,
          audit: [this.audit(options, 'user.delete', 'user', id, { userName: current.userName })],
        },
        jobs,
        result: () => undefined,
      };
    });
  }

  async createGroup(input: ScimGroup, options: WriteOptions): Promise<WriteResult<ScimGroup>> {
    const displayName = requireText(input.displayName, 'displayName');
    const members = await this.resolveMembers(input.members ?? []);
    const now = this.nowIso();
    const record: GroupRecord = {
      id: newIdentityId(this.deps.clock.now()),
      displayName,
      externalId: input.externalId,
      resource: { ...sanitizeGroup(input), displayName },
      members,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const jobs = [
      ...planGroupJobs(this.deps.targets, record.id, undefined, groupView(record), 'created'),
      ...(await this.membershipJobs(
        members.map((m) => ({ memberId: m.value, wasMember: false, isMember: true })),
        undefined,
        record,
      )),
    ];
    return this.commitWithBlocking(
      {
        putGroups: [record],
        expectedGroupVersions: { [record.id]: 0 },
        jobs,
        audit: [this.audit(options, 'group.create', 'group', record.id, { displayName, members: members.length })],
      },
      jobs,
      () => groupView(record),
    );
  }

  async replaceGroup(id: string, input: ScimGroup, options: WriteOptions): Promise<WriteResult<ScimGroup>> {
    requireText(input.displayName, 'displayName');
    return this.patchGroup(id, () => input, options);
  }

  /** Read-modify-write of a group, as patchUser. */
  async patchGroup(id: string, change: (current: ScimGroup) => ScimGroup, options: WriteOptions): Promise<WriteResult<ScimGroup>> {
    return this.optimistic(`group:${id}`, options, async () => {
      const current = await this.existingGroup(id, options);
      const input = change(groupView(current));
      const displayName = requireText(input.displayName, 'displayName');
      const members = await this.resolveMembers(input.members ?? []);
      const next = this.nextGroup(current, { ...sanitizeGroup(input), displayName }, members);
      const before = new Set(current.members.map((m) => m.value));
      const after = new Set(members.map((m) => m.value));
      const changedMembers = [...new Set([...before, ...after])].filter((m) => before.has(m) !== after.has(m));
      const jobs = [
        ...planGroupJobs(this.deps.targets, id, groupView(current), groupView(next), 'updated'),
        ...(await this.membershipJobs(
          changedMembers.map((memberId) => ({ memberId, wasMember: before.has(memberId), isMember: after.has(memberId) })),
          current,
          next,
        )),
      ];
      return {
        write: {
          putGroups: [next],
          expectedGroupVersions: { [id]: current.version },
          jobs,
          audit: [
            this.audit(options, 'group.replace', 'group', id, {
              displayName,
              added: [...after].filter((m) => !before.has(m)),
              removed: [...before].filter((m) => !after.has(m)),
            }),
          ],
        },
        jobs,
        result: () => groupView(next),
      };
    });
  }

  /**
   * Adds and takes out members by value without reading or rewriting the group's other members, so it
   * costs the same however large the group is (a SCIM PATCH of only `members` adds and removes). As
   * patchGroup in everything else: writes to the group take turns, If-Match, the audit entry, members
   * that do not exist refused, the group's and the changed members' jobs. The version moves on even when
   * nothing changed, as with patchGroup. The result is the group as written, without its members.
   */
  async changeGroupMembers(id: string, delta: GroupMembersDelta, options: WriteOptions): Promise<WriteResult<ScimGroup>> {
    const add = uniqueByValue(delta.add);
    const remove = new Set(delta.remove.map((value) => value.toLowerCase()));
    if (this.groupScopeUsesMembers)
      return this.patchGroup(id, (current) => ({ ...current, members: withDelta(current.members ?? [], add, remove) }), options);
    return this.optimistic(`group:${id}`, options, async () => {
      const { current, pending } = await this.existingGroupSummary(id, options);
      const values = [...delta.remove, ...add.map((m) => m.value)];
      const stored = await this.deps.store.findGroupMembers(id, values);
      const found = pending ? membersOver(stored, values, pending) : stored;
      const removed = found.filter((m) => remove.has(m.value.toLowerCase()));
      const staying = new Set(found.filter((m) => !remove.has(m.value.toLowerCase())).map((m) => m.value.toLowerCase()));
      const added = await this.resolveMembers(add.filter((m) => !staying.has(m.value.toLowerCase())));
      const next: GroupSummary = { ...current, version: current.version + 1, updatedAt: this.nowIso() };
      // A member taken out and added back in one change stays a member.
      const readded = new Set(added.map((m) => m.value));
      const changes: MembershipChange[] = [
        ...removed.filter((m) => !readded.has(m.value)).map((m) => ({ memberId: m.value, wasMember: true, isMember: false })),
        ...added
          .filter((m) => !removed.some((r) => r.value === m.value))
          .map((m) => ({ memberId: m.value, wasMember: false, isMember: true })),
      ];
      const jobs = [
        ...planGroupJobs(this.deps.targets, id, groupSummaryView(current), groupSummaryView(next), 'updated'),
        ...(await this.membershipJobs(changes, current, next)),
      ];
      return {
        write: {
          changeGroupMembers: [
            { groupId: id, add: added, remove: removed.map((m) => m.value), version: next.version, updatedAt: next.updatedAt },
          ],
          expectedGroupVersions: { [id]: current.version },
          jobs,
          audit: [
            this.audit(options, 'group.replace', 'group', id, {
              displayName: current.displayName,
              added: changes.filter((c) => c.isMember).map((c) => c.memberId),
              removed: changes.filter((c) => c.wasMember).map((c) => c.memberId),
            }),
          ],
        },
        jobs,
        result: () => groupSummaryView(next),
        pending: pendingMembers(
          next,
          added,
          removed.map((m) => m.value),
          pending,
        ),
      };
    });
  }

  async deleteGroup(id: string, options: WriteOptions): Promise<WriteResult<undefined>> {
    return this.optimistic(`group:${id}`, options, async () => {
      const current = await this.existingGroup(id, options);
      const jobs = [
        ...planGroupJobs(this.deps.targets, id, groupView(current), undefined, 'deleted'),
        ...(await this.membershipJobs(
          current.members.map((m) => ({ memberId: m.value, wasMember: true, isMember: false })),
          current,
          undefined,
        )),
      ];
      return {
        write: {
          deleteGroups: [id],
          expectedGroupVersions: { [id]: current.version },
          jobs,
          audit: [this.audit(options, 'group.delete', 'group', id, { displayName: current.displayName })],
        },
        jobs,
        result: () => undefined,
      };
    });
  }

  /**
   * Re-plans every identity whose link to `instanceId` is missing, failed or
   * out of date, and deprovisions linked identities that left scope.
   */
  async reconcile(
    instanceId: string,
    options: WriteOptions & { onProgress?: (done: number) => void; pageSize?: number },
  ): Promise<{ scanned: number; planned: number }> {
    const target = this.deps.targets.find((t) => t.id === instanceId);
    if (!target) throw new IdentityError('notFound', `no enabled connector instance "${instanceId}"`);
    const pageSize = options.pageSize ?? 500;
    let scanned = 0;
    let planned = 0;
    for (
      let after: string | undefined, ids = await this.deps.store.listUserIds(undefined, pageSize);
      ids.length > 0;
      after = ids[ids.length - 1], ids = await this.deps.store.listUserIds(after, pageSize)
    ) {
      const jobs: NewJob[] = [];
      for (const id of ids) {
        const user = await this.getUser(id);
        const link = await this.deps.store.getLink(instanceId, 'user', id);
        if (!user) continue;
        const inScope = target.userInScope(user);
        const base = {
          instanceId,
          entityType: 'user' as const,
          localId: id,
          maxAttempts: target.instance.settings.retry.maxAttempts,
          reason: 'reconcile',
          ...lastKnownUser(user),
        };
        if (
          inScope &&
          (!link?.remoteId ||
            link.status !== 'synced' ||
            link.remoteActive === false ||
            !sameAttributes(link.syncedAttributes, target.mapUser(user, link.syncedAttributes)))
        )
          jobs.push({
            ...base,
            action: 'sync',
            ...guardOf(user.active === false ? target.guardFor(link?.remoteId !== undefined) : undefined),
          });
        // A skipped deprovisioning (deprovision.mode: skip) stays as it is: the account is left alone on purpose.
        else if (!inScope && link?.remoteId && link.remoteActive !== false && link.status !== 'skipped')
          jobs.push({ ...base, action: 'delete', reason: leftScopeReason(target, 'reconcile'), ...guardOf(target.deleteGuard) });
      }
      scanned += ids.length;
      if (jobs.length > 0)
        this.announceTrips(
          await this.deps.store.commit({
            jobs: stampRequestId(jobs),
            audit: [this.audit(options, 'connector.reconcile', 'connector', instanceId, { planned: jobs.length })],
          }),
        );
      planned += jobs.length;
      options.onProgress?.(scanned);
    }
    if (target.handlesGroups) {
      for (
        let after: string | undefined, ids = await this.deps.store.listGroupIds(undefined, pageSize);
        ids.length > 0;
        after = ids[ids.length - 1], ids = await this.deps.store.listGroupIds(after, pageSize)
      ) {
        const jobs: NewJob[] = [];
        for (const id of ids) {
          const group = await this.getGroup(id);
          const link = await this.deps.store.getLink(instanceId, 'group', id);
          if (group && target.groupInScope(group) && (!link?.remoteId || link.status !== 'synced')) {
            jobs.push({
              instanceId,
              entityType: 'group',
              localId: id,
              action: 'sync',
              reason: 'reconcile',
              maxAttempts: target.instance.settings.retry.maxAttempts,
            });
          }
        }
        scanned += ids.length;
        if (jobs.length > 0) await this.deps.store.commit({ jobs: stampRequestId(jobs) });
        planned += jobs.length;
        options.onProgress?.(scanned);
      }
    }
    if (planned > 0) this.deps.events.jobsEnqueued();
    return { scanned, planned };
  }

  // --- internals ---

  private announceTrips(receipt: CommitReceipt): void {
    for (const instanceId of receipt.trippedGuards) this.deps.events.guardTriggered({ instanceId, at: this.nowIso() });
  }

  private nowIso(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  private audit(
    options: WriteOptions,
    action: string,
    entityType: AuditEntry['entityType'],
    entityId: string,
    details?: Record<string, unknown>,
  ): AuditEntry {
    return { at: this.nowIso(), actor: options.actor, action, entityType, entityId, details };
  }

  private nextGroup(current: GroupRecord, resource: ScimGroup, members: GroupMemberRef[]): GroupRecord {
    return {
      ...current,
      displayName: resource.displayName,
      externalId: resource.externalId,
      resource,
      members,
      version: current.version + 1,
      updatedAt: this.nowIso(),
    };
  }

  /** A new password waits, sealed, for every password-provisioning target this write sends the user to. */
  private pendingPassword(userId: string, password: string | undefined, jobs: readonly NewJob[]): IdentityWrite['pendingPasswords'] {
    if (!password) return undefined;
    const awaiting = [
      ...new Set(
        jobs
          .filter((job) => job.action === 'sync' && this.deps.targets.find((t) => t.id === job.instanceId)?.provisionsPasswords)
          .map((job) => job.instanceId),
      ),
    ];
    if (awaiting.length === 0) return undefined;
    const expiresAt = this.deps.clock.now() + (this.deps.pendingPasswordTtlMs ?? DEFAULT_PENDING_PASSWORD_TTL_MS);
    return [{ userId, sealed: this.deps.sealer.seal(password), awaiting, expiresAt }];
  }

  /**
   * A copy of the record being committed for `key`, as the store would hand out a fresh one: the write
   * in flight is serialised at its commit, so nothing built on it may touch its objects.
   */
  private inFlightRecord<R extends UserRecord | GroupRecord>(key: string): R | undefined {
    const record = this.inFlight.get(key)?.record;
    return record && (structuredClone(record) as R);
  }

  private async existingUser(id: string, options: WriteOptions): Promise<UserRecord> {
    const current = this.inFlightRecord<UserRecord>(`user:${id}`) ?? (await this.deps.store.getUser(id));
    if (!current) throw new IdentityError('notFound', `user ${id} not found`);
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
      throw new IdentityError('preconditionFailed', `user ${id} is at version ${current.version}, not ${options.expectedVersion}`);
    }
    return current;
  }

  /** The whole group: a membership delta in flight is waited for (it holds no member list to build on), then read. */
  private async existingGroup(id: string, options: WriteOptions): Promise<GroupRecord> {
    const key = `group:${id}`;
    const entry = this.inFlight.get(key);
    if (entry?.members) await entry.commit.catch(() => undefined);
    return expectedGroup(id, this.inFlightRecord<GroupRecord>(key) ?? (await this.deps.store.getGroup(id)), options);
  }

  /**
   * The group a membership delta builds on: the one a delta in flight leaves (its changes go over what the store
   * holds, see membersOver); after a whole-group write in flight, once that is durable, what the store holds.
   */
  private async existingGroupSummary(id: string, options: WriteOptions): Promise<{ current: GroupSummary; pending?: PendingMembers }> {
    const entry = this.inFlight.get(`group:${id}`);
    if (entry?.members) return { current: expectedGroup(id, structuredClone(entry.members.summary), options), pending: entry.members };
    await entry?.commit.catch(() => undefined);
    return { current: expectedGroup(id, await this.deps.store.getGroupSummary(id), options) };
  }

  /** Members must exist; their type is taken from what they are, not from what the client said. */
  private async resolveMembers(members: readonly ScimGroupMember[]): Promise<GroupMemberRef[]> {
    const resolved = new Map<string, GroupMemberRef>();
    for (const member of members) {
      const value = typeof member?.value === 'string' ? member.value : undefined;
      if (!value) throw new IdentityError('invalidValue', 'every member needs a "value" (the id of a user or group)');
      if (resolved.has(value)) continue;
      const user = await this.deps.store.getUser(value);
      if (user) {
        resolved.set(value, { value, display: user.resource.displayName ?? user.userName, type: 'User' });
        continue;
      }
      const group = await this.deps.store.getGroup(value);
      if (!group) throw new IdentityError('invalidValue', `member "${value}" is neither a user nor a group`);
      resolved.set(value, { value, display: group.displayName, type: 'Group' });
    }
    return [...resolved.values()];
  }

  /**
   * Membership of one group changed for these identities: re-plan each user whose scope may
   * depend on its groups (before: with the group as it was, after: with the group as it is).
   */
  private async membershipJobs(
    changes: readonly MembershipChange[],
    oldGroup: GroupSummary | undefined,
    newGroup: GroupSummary | undefined,
  ): Promise<NewJob[]> {
    if (!this.scopeUsesGroups || changes.length === 0) return [];
    const changedGroupId = oldGroup?.id ?? newGroup?.id;
    const jobs: NewJob[] = [];
    for (const { memberId, wasMember, isMember } of changes) {
      const user = await this.deps.store.getUser(memberId);
      if (!user) continue;
      const others = (await this.deps.store.groupSummariesOfMember(memberId)).filter((g) => g.id !== changedGroupId);
      const before = userView(user, wasMember && oldGroup ? [...others, oldGroup] : others);
      const after = userView(user, isMember && newGroup ? [...others, newGroup] : others);
      jobs.push(
        ...planUserJobs(this.deps.targets, memberId, before, after, 'membership').filter((job) => {
          const target = this.deps.targets.find((t) => t.id === job.instanceId);
          // Only a change of scope needs a job; a user who stays in scope is unaffected.
          return target !== undefined && target.userInScope(before) !== target.userInScope(after);
        }),
      );
    }
    return jobs;
  }

  /**
   * Read-modify-write of the identity `key`: writes to one identity take turns in this process
   * (concurrent PATCHes of one user or group never race here), and a race with another process
   * re-reads and runs again. Only a caller that pinned a version (If-Match) gets `preconditionFailed`;
   * one that keeps losing to other processes for MAX_RACING_MS gets `busy`.
   *
   * With a store that applies commits in call order, a turn ends once its write is handed to the
   * store: the next write of the identity reads the record being committed (`inFlight`) and joins
   * the same group commit, so 32 PATCHes of one user share an fsync as 32 of different users do.
   * Each caller is still answered only once its own write is durable; if an earlier one fails, the
   * later ones built on it fail their version check and run again on what the store holds.
   */
  private async optimistic<T>(
    key: string,
    options: WriteOptions,
    attempt: () => Promise<{ write: IdentityWrite; jobs: NewJob[]; result: () => T; pending?: PendingMembers }>,
  ): Promise<WriteResult<T>> {
    const started = this.deps.clock.now();
    for (let tries = 1; ; tries += 1) {
      // The commit comes back wrapped: a promise returned from the turn would hold the turn until it settles.
      const { committing } = await this.turns.run(key, async () => {
        const { write, jobs, result, pending } = await attempt();
        const commit = this.commitWithBlocking(write, jobs, result);
        const entry = this.deps.store.commitsInCallOrder ? inFlightOf(key, write, pending, commit) : undefined;
        if (!entry) {
          await commit.catch(() => undefined); // the turn lasts until the write is durable
          return { committing: commit };
        }
        this.inFlight.set(key, entry);
        const settled = () => {
          if (entry.members) settle(entry.members);
          if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
        };
        commit.then(settled, settled);
        return { committing: commit };
      });
      try {
        return await committing;
      } catch (error) {
        const raced = isStoreConflictError(error) && error.kind === 'version';
        if (!raced) throw error;
        if (options.expectedVersion !== undefined) throw new IdentityError('preconditionFailed', error.message);
        if (this.deps.clock.now() - started >= MAX_RACING_MS)
          throw new IdentityError(
            'busy',
            `the ${key.split(':')[0]} kept changing under this write for ${MAX_RACING_MS / 1000} s: ${error.message}`,
          );
        // Another process wrote it meanwhile: step aside a moment (growing, jittered) so racers spread out.
        await this.deps.clock.sleep(Math.random() * Math.min(50, 2 ** tries));
      }
    }
  }

  private async commitWithBlocking<T>(write: IdentityWrite, jobs: readonly NewJob[], result: () => T): Promise<WriteResult<T>> {
    const blocking = jobs.filter((job) => this.deps.targets.find((t) => t.id === job.instanceId)?.instance.settings.mode === 'blocking');
    // Listen before committing: a fast worker may finish before commit() returns.
    const waiting = blocking.map((job) => this.waitForJob(job));
    try {
      this.announceTrips(await this.deps.store.commit(write.jobs ? { ...write, jobs: stampRequestId(write.jobs) } : write));
    } catch (error) {
      waiting.forEach((w) => w.cancel());
      if (isStoreConflictError(error) && error.kind === 'uniqueness') throw new IdentityError('uniqueness', error.message);
      throw error;
    }
    if (jobs.length > 0) this.deps.events.jobsEnqueued();
    const failures = (await Promise.all(waiting.map((w) => w.done))).filter((f): f is BlockingFailure => f !== undefined);
    return { resource: result(), blockingFailures: failures };
  }

  private waitForJob(job: NewJob): { done: Promise<BlockingFailure | undefined>; cancel(): void } {
    const target = this.deps.targets.find((t) => t.id === job.instanceId);
    const timeoutMs = target?.instance.settings.blockingTimeoutMs ?? 10000;
    let stop = () => undefined as void;
    const done = new Promise<BlockingFailure | undefined>((resolve) => {
      let lastError: string | undefined;
      const finish = (value: BlockingFailure | undefined) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(value);
      };
      const matches = (e: JobFinishedEvent) =>
        e.job.instanceId === job.instanceId && e.job.entityType === job.entityType && e.job.localId === job.localId;
      const unsubscribe = this.deps.events.onJobFinished((event) => {
        if (!matches(event)) return;
        if (event.outcome === 'succeeded') finish(undefined);
        else if (event.outcome === 'failed') finish({ instanceId: job.instanceId, error: event.error ?? 'failed' });
        else lastError = event.error;
      });
      const timer = setTimeout(
        () =>
          finish({
            instanceId: job.instanceId,
            error: `not provisioned within ${timeoutMs} ms${lastError ? ` (last error: ${lastError})` : ''}; it will be retried`,
          }),
        timeoutMs,
      );
      stop = () => finish(undefined);
    });
    return { done, cancel: () => stop() };
  }
}

function expectedGroup<T extends GroupSummary>(id: string, current: T | undefined, options: WriteOptions): T {
  if (!current) throw new IdentityError('notFound', `group ${id} not found`);
  if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
    throw new IdentityError('preconditionFailed', `group ${id} is at version ${current.version}, not ${options.expectedVersion}`);
  }
  return current;
}

/** Members with a value, the first of each value (ignoring case); one without a value is refused as resolveMembers refuses it. */
function uniqueByValue(members: readonly ScimGroupMember[]): ScimGroupMember[] {
  const seen = new Set<string>();
  return members.filter((member) => {
    if (typeof member?.value !== 'string' || member.value === '')
      throw new IdentityError('invalidValue', 'every member needs a "value" (the id of a user or group)');
    const key = member.value.toLowerCase();
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

/** A member list with a delta applied as the store applies it: `remove` (lower-cased values) first, then the adds not yet there. */
function withDelta(members: readonly ScimGroupMember[], add: readonly ScimGroupMember[], remove: ReadonlySet<string>): ScimGroupMember[] {
  const kept = members.filter((m) => !remove.has(m.value.toLowerCase()));
  const present = new Set(kept.map((m) => m.value.toLowerCase()));
  return [...kept, ...add.filter((m) => !present.has(m.value.toLowerCase()))];
}

function guardOf(guard: JobGuard | undefined): Pick<NewJob, 'guard'> {
  return guard ? { guard } : {};
}

function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new IdentityError('invalidValue', `${field} is required`);
  return value;
}

function sameAttributes(a: Record<string, unknown> | undefined, b: Record<string, unknown>): boolean {
  return JSON.stringify(sortKeys(a ?? {})) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

/** Jobs carry the request that caused them (see request-context), so their log lines can be found by it. */
function stampRequestId(jobs: NewJob[]): NewJob[] {
  const requestId = currentRequestId();
  return requestId === undefined ? jobs : jobs.map((job) => (job.requestId === undefined ? { ...job, requestId } : job));
}

/**
 * The record `write` leaves for the identity `key` ("user:<id>" or "group:<id>"), when the write
 * keeps it: a later write may build on it before it is durable. A delete leaves none (the next
 * write waits for it and then finds nothing); a membership delta (changeGroupMembers) leaves its
 * PendingMembers instead.
 */
function inFlightOf(
  key: string,
  write: IdentityWrite,
  pending: PendingMembers | undefined,
  commit: Promise<unknown>,
): InFlight | undefined {
  if (pending) return { members: pending, commit };
  const record = recordWritten(key, write);
  return record && { record, commit };
}

function recordWritten(key: string, write: IdentityWrite): UserRecord | GroupRecord | undefined {
  const separator = key.indexOf(':');
  const kind = key.slice(0, separator);
  const id = key.slice(separator + 1);
  if (kind === 'user') return write.deleteUsers?.includes(id) ? undefined : write.putUsers?.find((u) => u.id === id);
  if (kind === 'group') return write.deleteGroups?.includes(id) ? undefined : write.putGroups?.find((g) => g.id === id);
  return undefined;
}
