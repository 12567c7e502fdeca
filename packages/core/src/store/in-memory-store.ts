import { randomUUID } from 'node:crypto';
import { InMemoryQuarantineStates } from './quarantine-states.js';
import { InMemoryScheduledRuns } from './scheduled-runs.js';
import type { EntityType } from '../model/identity.js';
import type {
  AuditEntry,
  AuditRecord,
  ClaimedJob,
  DeprovisionGuardState,
  GroupMembersChange,
  GroupRecord,
  GroupSummary,
  JobRecord,
  LinkRecord,
  NewJob,
  TargetReportKind,
  TargetReportRecord,
  UserRecord,
} from './records.js';
import { decideHeld, guardAllowance, guardedByInstance } from '../pipeline/deprovision-guard.js';
import {
  DEFAULT_TENANT,
  EMPTY_COUNTS,
  StaleClaimError,
  StoreConflictError,
  type ClaimOptions,
  type CommitReceipt,
  type GuardDecision,
  type IdentityWrite,
  type JobAbandoned,
  type AuditPruneFilter,
  type JobFailed,
  type JobOutcomeBase,
  type JobFilter,
  type JobPruneFilter,
  type PrunableSummary,
  type JobRetry,
  type JobSucceeded,
  type PendingPassword,
  type IdentityQuery,
  type QueryPage,
  type StatusCounts,
  type Store,
} from './store-ports.js';
import { filterMentions, groupFilterDocument, queryInMemory, userFilterDocument } from './query-semantics.js';

// JSON, not structuredClone: records are plain JSON, and objects stay in the caller's realm.
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const linkKey = (instanceId: string, entityType: EntityType, localId: string) => `${instanceId}\u0000${entityType}\u0000${localId}`;
const pairKey = (job: { instanceId: string; entityType: EntityType; localId: string }) =>
  linkKey(job.instanceId, job.entityType, job.localId);

/** What the tenant views of one in-memory store share: each other, and the sequences ids come from. */
interface InMemoryHouse {
  views: Map<string, InMemoryStore>;
  jobSeq: number;
  auditSeq: number;
}

/**
 * The reference Store: everything in memory, nothing durable. For core's own
 * tests and for trying things out; the server uses SQLite or PostgreSQL.
 */
export class InMemoryStore implements Store {
  readonly tenant: string;
  /** commit applies the write before its first await: in call order. */
  readonly commitsInCallOrder = true;
  private house: InMemoryHouse;
  readonly quarantines = new InMemoryQuarantineStates();
  readonly schedules = new InMemoryScheduledRuns();
  private users = new Map<string, UserRecord>();
  private groups = new Map<string, GroupRecord>();
  private links = new Map<string, LinkRecord>();
  private jobs = new Map<string, JobRecord>();
  private audit: AuditRecord[] = [];
  private passwords = new Map<string, PendingPassword>();
  private reports = new Map<string, TargetReportRecord>();
  /** The token of each running job's current claim (kept off the records: never shown). */
  private claimTokens = new Map<string, string>();
  private guards = new Map<string, DeprovisionGuardState>();
  /** Jobs the guard counted: id → instance and when (epoch ms). */
  private counted = new Map<string, { instanceId: string; at: number }>();

  /** A store bound to `tenant` (the default tenant unless given); its views for other tenants share nothing with it but ids' sequences. */
  constructor(options: { tenant?: string } = {}) {
    this.tenant = options.tenant ?? DEFAULT_TENANT;
    this.house = { views: new Map([[this.tenant, this]]), jobSeq: 0, auditSeq: 0 };
  }

  forTenant(tenant: string): Store {
    const known = this.house.views.get(tenant);
    if (known) return known;
    const view = new InMemoryStore({ tenant });
    view.house = this.house;
    this.house.views.set(tenant, view);
    return view;
  }

  async tenantsWithData(): Promise<string[]> {
    return [...this.house.views.values()]
      .filter((view) => view.users.size + view.groups.size + view.links.size + view.jobs.size + view.audit.length + view.reports.size > 0)
      .map((view) => view.tenant)
      .sort();
  }

  async purgeTenant(): Promise<number> {
    const identities = this.users.size + this.groups.size;
    for (const rows of [
      this.users,
      this.groups,
      this.links,
      this.jobs,
      this.passwords,
      this.reports,
      this.claimTokens,
      this.guards,
      this.counted,
    ])
      rows.clear();
    this.audit = [];
    return identities;
  }

  async commit(write: IdentityWrite): Promise<CommitReceipt> {
    this.checkVersions('user', this.users, write.expectedUserVersions);
    this.checkVersions('group', this.groups, write.expectedGroupVersions);
    const users = new Map(this.users);
    for (const id of write.deleteUsers ?? []) users.delete(id);
    for (const user of write.putUsers ?? []) {
      this.refuseForeignId('user', user.id);
      const clash = [...users.values()].find((u) => u.id !== user.id && u.userName.toLowerCase() === user.userName.toLowerCase());
      if (clash) throw new StoreConflictError('uniqueness', `userName "${user.userName}" is already taken`, 'user', user.id);
      users.set(user.id, clone(user));
    }
    const groups = new Map(this.groups);
    for (const id of write.deleteGroups ?? []) groups.delete(id);
    for (const group of write.putGroups ?? []) {
      this.refuseForeignId('group', group.id);
      const clash = [...groups.values()].find((g) => g.id !== group.id && g.displayName === group.displayName);
      if (clash) throw new StoreConflictError('uniqueness', `displayName "${group.displayName}" is already taken`, 'group', group.id);
      groups.set(group.id, clone(group));
    }
    for (const change of write.changeGroupMembers ?? []) groups.set(change.groupId, withMembersChanged(groups.get(change.groupId), change));
    this.users = users;
    this.groups = groups;
    for (const id of [...(write.deleteUsers ?? []), ...(write.dropPendingPasswords ?? [])]) this.passwords.delete(id);
    for (const { userId, ...pending } of write.pendingPasswords ?? []) this.passwords.set(userId, clone(pending));
    for (const link of write.putLinks ?? []) this.links.set(pairKey(link), clone(link));
    const now = Date.now();
    const jobs = write.jobs ?? [];
    const { held, trippedGuards } = this.guardJobs(jobs, now);
    jobs.forEach((job, index) => this.enqueue(job, now, held[index]));
    for (const entry of write.audit ?? []) this.audit.push({ ...clone(entry), seq: (this.house.auditSeq += 1) });
    return { trippedGuards };
  }

  /** The guard's decision for each job of a write, instance by instance; trips the guards it must. */
  private guardJobs(jobs: readonly NewJob[], now: number): { held: boolean[]; trippedGuards: string[] } {
    const held = jobs.map(() => false);
    const trippedGuards: string[] = [];
    for (const [instanceId, { guard, indexes }] of guardedByInstance(jobs)) {
      const state = this.guards.get(instanceId);
      const since = Math.max(now - guard.windowMs, state?.countingSince ? Date.parse(state.countingSince) : 0);
      const counted = [...this.counted].filter(
        ([id, c]) => c.instanceId === instanceId && c.at > since && !['held', 'discarded'].includes(this.jobs.get(id)?.status ?? ''),
      ).length;
      const linked = [...this.links.values()].filter(
        (l) =>
          l.instanceId === instanceId && l.entityType === 'user' && l.remoteId && l.status !== 'deprovisioned' && l.remoteActive !== false,
      ).length;
      const decision = decideHeld(
        indexes.map((i) => jobs[i]),
        { tripped: state?.tripped ?? false, counted, allowance: guardAllowance(guard, linked) },
      );
      decision.held.forEach((isHeld, k) => (held[indexes[k]] = isHeld));
      if (decision.trips) {
        this.guards.set(instanceId, { ...(state ?? { instanceId }), instanceId, tripped: true, trippedAt: new Date(now).toISOString() });
        trippedGuards.push(instanceId);
      }
    }
    return { held, trippedGuards };
  }

  async deprovisionGuard(instanceId: string): Promise<DeprovisionGuardState> {
    return clone(this.guards.get(instanceId) ?? { instanceId, tripped: false });
  }

  async resolveHeldJobs(instanceId: string, decision: GuardDecision, now: number, audit: AuditEntry): Promise<number> {
    const at = new Date(now).toISOString();
    const heldJobs = [...this.jobs.values()].filter((j) => j.instanceId === instanceId && j.status === 'held');
    for (const job of heldJobs) {
      Object.assign(job, decision === 'release' ? { status: 'pending', runAt: now } : { status: 'discarded' }, { updatedAt: at });
      // Held jobs were never counted: releasing them does not fill the new window.
      this.counted.delete(job.id);
    }
    this.guards.set(instanceId, { instanceId, tripped: false, countingSince: at });
    this.audit.push({ ...clone(audit), details: { ...audit.details, jobs: heldJobs.length }, seq: (this.house.auditSeq += 1) });
    return heldJobs.length;
  }

  /** Ids are unique across tenants, as in the SQL stores: another tenant's id is refused, never shadowed. */
  private refuseForeignId(entityType: 'user' | 'group', id: string): void {
    for (const view of this.house.views.values()) {
      if (view === this) continue;
      if ((entityType === 'user' ? view.users : view.groups).has(id))
        throw new StoreConflictError('uniqueness', `${entityType} id ${id} is taken`, entityType, id);
    }
  }

  private checkVersions(
    entityType: EntityType,
    records: Map<string, { version: number }>,
    expected: Record<string, number> | undefined,
  ): void {
    for (const [id, version] of Object.entries(expected ?? {})) {
      const current = records.get(id)?.version ?? 0;
      if (current !== version)
        throw new StoreConflictError('version', `${entityType} ${id} is at version ${current}, not ${version}`, entityType, id);
    }
  }

  private enqueue(job: NewJob, now: number, held = false): void {
    this.house.jobSeq += 1;
    const at = new Date(now).toISOString();
    const id = String(this.house.jobSeq);
    const { guard, ...rest } = clone(job);
    if (guard?.counts && !held) this.counted.set(id, { instanceId: job.instanceId, at: now });
    const record: JobRecord = {
      ...rest,
      id,
      status: held ? 'held' : 'pending',
      attempts: 0,
      takeovers: 0,
      runAt: job.runAt ?? now,
      createdAt: at,
      updatedAt: at,
      history: [],
    };
    this.jobs.set(id, record);
    this.supersedeOlderPending(record);
  }

  /**
   * Newest state wins: of an identity's waiting jobs (pending or held) only the newest
   * (highest sequence) stays. One that was attempted before may have changed the remote,
   * so its successor looks before acting (inherits outcomeUnknown).
   */
  private supersedeOlderPending(job: JobRecord): void {
    const pending = [...this.jobs.values()]
      .filter((other) => (other.status === 'pending' || other.status === 'held') && pairKey(other) === pairKey(job))
      .sort((a, b) => Number(a.id) - Number(b.id));
    if (pending.length < 2) return;
    const newest = pending[pending.length - 1];
    for (const older of pending.slice(0, -1)) {
      older.status = 'superseded';
      older.updatedAt = new Date().toISOString();
      if (older.outcomeUnknown || older.history.length > 0) newest.outcomeUnknown = true;
    }
  }

  async getUser(id: string) {
    const user = this.users.get(id);
    return user && clone(user);
  }

  async getUserByUserName(userName: string) {
    const user = [...this.users.values()].find((u) => u.userName.toLowerCase() === userName.toLowerCase());
    return user && clone(user);
  }

  async getGroup(id: string) {
    const group = this.groups.get(id);
    return group && clone(group);
  }

  async getGroupSummary(id: string) {
    const group = this.groups.get(id);
    return group && summaryOf(group);
  }

  async findGroupMembers(groupId: string, values: readonly string[]) {
    const wanted = new Set(values.map((v) => v.toLowerCase()));
    return (this.groups.get(groupId)?.members ?? []).filter((m) => wanted.has(m.value.toLowerCase())).map(clone);
  }

  async groupsOfMember(memberId: string) {
    return [...this.groups.values()].filter((g) => g.members.some((m) => m.value === memberId)).map(clone);
  }

  async groupSummariesOfMember(memberId: string) {
    return (await this.groupsOfMember(memberId)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(summaryOf);
  }

  async listUserIds(afterId: string | undefined, limit: number) {
    return pageIds([...this.users.keys()], afterId, limit);
  }

  async listGroupIds(afterId: string | undefined, limit: number) {
    return pageIds([...this.groups.keys()], afterId, limit);
  }

  async queryUsers(query: IdentityQuery): Promise<QueryPage<UserRecord>> {
    const needsGroups = filterMentions(query.filter, 'groups') || query.sortBy?.attribute.toLowerCase() === 'groups';
    const groupsOf = (id: string) => (needsGroups ? [...this.groups.values()].filter((g) => g.members.some((m) => m.value === id)) : []);
    const page = queryInMemory(this.users.values(), (u) => userFilterDocument(u, groupsOf(u.id)), query);
    return { totalResults: page.totalResults, records: page.records.map(clone) };
  }

  async queryGroups(query: IdentityQuery): Promise<QueryPage<GroupRecord>> {
    const page = queryInMemory(this.groups.values(), groupFilterDocument, query);
    return { totalResults: page.totalResults, records: page.records.map(clone) };
  }

  async getLink(instanceId: string, entityType: EntityType, localId: string) {
    const link = this.links.get(linkKey(instanceId, entityType, localId));
    return link && clone(link);
  }

  async linksOf(entityType: EntityType, localId: string) {
    return [...this.links.values()].filter((l) => l.entityType === entityType && l.localId === localId).map(clone);
  }

  async linksFor(instanceId: string, entityType: EntityType, localIds: readonly string[]) {
    return localIds
      .map((id) => this.links.get(linkKey(instanceId, entityType, id)))
      .filter((l): l is LinkRecord => l !== undefined)
      .map(clone);
  }

  async pendingPassword(userId: string) {
    const pending = this.passwords.get(userId);
    return pending && clone(pending);
  }

  async claimJobs(options: ClaimOptions): Promise<ClaimedJob[]> {
    const busy = new Set([...this.jobs.values()].filter((j) => j.status === 'running').map(pairKey));
    const taken: Record<string, number> = {};
    const claimed: ClaimedJob[] = [];
    const due = [...this.jobs.values()]
      .filter((j) => j.status === 'pending' && j.runAt <= options.now)
      .sort((a, b) => a.runAt - b.runAt || Number(a.id) - Number(b.id));
    for (const job of due) {
      const slots = options.slots[job.instanceId] ?? 0;
      if ((taken[job.instanceId] ?? 0) >= slots || busy.has(pairKey(job))) continue;
      busy.add(pairKey(job));
      taken[job.instanceId] = (taken[job.instanceId] ?? 0) + 1;
      job.status = 'running';
      job.attempts += 1;
      job.claimedBy = options.workerId;
      job.leaseUntil = options.now + options.leaseMs;
      job.updatedAt = new Date(options.now).toISOString();
      job.history.push({ attempt: job.attempts, startedAt: job.updatedAt });
      const claimToken = randomUUID();
      this.claimTokens.set(job.id, claimToken);
      claimed.push({ ...clone(job), claimToken });
    }
    return claimed;
  }

  /**
   * Records a claim's outcome: the job takes the status of `result`, its last attempt the
   * result and, for a retry or a failure, the error.
   */
  private finish(
    outcome: JobOutcomeBase,
    result: 'succeeded' | 'retry' | 'failed',
    failure?: Pick<JobFailed, 'error' | 'errorKind'>,
    summary?: string,
  ): JobRecord {
    const { jobId, claimToken } = outcome;
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`job ${jobId} does not exist`);
    // Fencing: only the current claim records an outcome.
    if (job.status !== 'running' || this.claimTokens.get(jobId) !== claimToken) throw new StaleClaimError(jobId);
    this.claimTokens.delete(jobId);
    job.status = result === 'retry' ? 'pending' : result;
    job.claimedBy = undefined;
    job.leaseUntil = undefined;
    job.updatedAt = new Date(outcome.now).toISOString();
    // The attempt reached an outcome: what the remote holds is known again.
    job.outcomeUnknown = undefined;
    const error = failure ? { error: failure.error, errorKind: failure.errorKind } : {};
    const last = job.history[job.history.length - 1];
    if (last) Object.assign(last, { finishedAt: job.updatedAt, outcome: result, ...error, ...(summary ? { summary } : {}) });
    if (failure) [job.lastError, job.lastErrorKind] = [failure.error, failure.errorKind];
    if (outcome.link) this.links.set(pairKey(outcome.link), clone(outcome.link));
    return job;
  }

  /** The completed job's target has the password, unless a newer job of it (planned with a newer password) is still to run. */
  private passwordDelivered(job: JobRecord): void {
    const pending = job.entityType === 'user' ? this.passwords.get(job.localId) : undefined;
    if (!pending?.awaiting.includes(job.instanceId)) return;
    const again = [...this.jobs.values()].some((j) => j.status === 'pending' && pairKey(j) === pairKey(job));
    if (again) return;
    pending.awaiting = pending.awaiting.filter((id) => id !== job.instanceId);
    if (pending.awaiting.length === 0) this.passwords.delete(job.localId);
  }

  async completeJob(outcome: JobSucceeded) {
    const job = this.finish(outcome, 'succeeded', undefined, outcome.summary);
    for (const next of outcome.followUps ?? []) this.enqueue(next, outcome.now);
    this.passwordDelivered(job);
  }

  async retryJobLater(outcome: JobRetry) {
    const job = this.finish(outcome, 'retry', outcome);
    job.runAt = outcome.runAt;
    this.supersedeOlderPending(job);
  }

  async failJob(outcome: JobFailed) {
    this.finish(outcome, 'failed', outcome);
  }

  async abandonClaim(outcome: JobAbandoned) {
    const job = this.jobs.get(outcome.jobId);
    if (job?.status !== 'running' || this.claimTokens.get(outcome.jobId) !== outcome.claimToken) throw new StaleClaimError(outcome.jobId);
    this.release((j) => j.id === outcome.jobId, outcome.now, outcome);
  }

  async releaseExpiredJobs(now: number, graceMs = 0) {
    return this.release((job) => job.leaseUntil !== undefined && job.leaseUntil < now - graceMs, now);
  }

  async recoverAbandonedJobs(now: number) {
    return this.release(() => true, now);
  }

  async extendLeases(workerId: string, leaseUntil: number) {
    let count = 0;
    for (const job of this.jobs.values()) {
      if (job.status !== 'running' || job.claimedBy !== workerId) continue;
      job.leaseUntil = leaseUntil;
      count += 1;
    }
    return count;
  }

  async releaseJobsOf(workerId: string) {
    return this.release((job) => job.claimedBy === workerId, Date.now());
  }

  /** Takeover: the attempt is abandoned (not counted), and what it did remotely is unknown. */
  private release(match: (job: JobRecord) => boolean, now: number, abandoned?: Pick<JobAbandoned, 'runAt' | 'error'>): number {
    let count = 0;
    for (const job of [...this.jobs.values()]) {
      if (job.status !== 'running' || !match(job)) continue;
      job.status = 'pending';
      job.claimedBy = undefined;
      job.leaseUntil = undefined;
      job.updatedAt = new Date(now).toISOString();
      job.attempts = Math.max(0, job.attempts - 1);
      job.takeovers = (job.takeovers ?? 0) + 1;
      job.outcomeUnknown = true;
      const last = job.history[job.history.length - 1];
      if (last && !last.finishedAt)
        Object.assign(last, { finishedAt: job.updatedAt, outcome: 'abandoned', ...(abandoned ? { error: abandoned.error } : {}) });
      if (abandoned) job.runAt = Math.max(job.runAt, abandoned.runAt);
      this.claimTokens.delete(job.id);
      this.supersedeOlderPending(job);
      count += 1;
    }
    return count;
  }

  async retryFailedJobs(filter: { jobId?: string; instanceId?: string }, now: number) {
    const retried: JobRecord[] = [];
    for (const job of this.jobs.values()) {
      if (job.status !== 'failed') continue;
      if (filter.jobId !== undefined && job.id !== filter.jobId) continue;
      if (filter.instanceId !== undefined && job.instanceId !== filter.instanceId) continue;
      // A newer job of the identity carries newer state: the old failure is not replayed over it.
      const newer = [...this.jobs.values()].some(
        (other) => pairKey(other) === pairKey(job) && Number(other.id) > Number(job.id) && other.status !== 'superseded',
      );
      if (newer) {
        Object.assign(job, { status: 'superseded', updatedAt: new Date(now).toISOString() });
        continue;
      }
      Object.assign(job, { status: 'pending', attempts: 0, runAt: now, updatedAt: new Date(now).toISOString() });
      this.supersedeOlderPending(job);
      retried.push(clone(job));
    }
    return retried;
  }

  async getJob(id: string) {
    const job = this.jobs.get(id);
    return job && clone(job);
  }

  async listJobs(filter: JobFilter) {
    return [...this.jobs.values()]
      .filter(
        (j) =>
          (filter.status === undefined || j.status === filter.status) &&
          (filter.instanceId === undefined || j.instanceId === filter.instanceId) &&
          (filter.localId === undefined || j.localId === filter.localId) &&
          (filter.before === undefined || Number(j.id) < Number(filter.before)),
      )
      .sort((a, b) => Number(b.id) - Number(a.id))
      .slice(0, filter.limit ?? 100)
      .map(clone);
  }

  async jobCounts(instanceId?: string): Promise<StatusCounts> {
    const counts: StatusCounts = { ...EMPTY_COUNTS };
    for (const job of this.jobs.values()) if (instanceId === undefined || job.instanceId === instanceId) counts[job.status] += 1;
    return counts;
  }

  async nextDueJobAt() {
    const due = [...this.jobs.values()].filter((j) => j.status === 'pending').map((j) => j.runAt);
    return due.length === 0 ? undefined : Math.min(...due);
  }

  /** Memory always takes the write: nothing to prove. */
  async probeWrite(): Promise<void> {
    return undefined;
  }

  async listAudit(options: { entityId?: string; limit?: number; beforeSeq?: number }) {
    return this.audit
      .filter(
        (a) =>
          (options.entityId === undefined || a.entityId === options.entityId) &&
          (options.beforeSeq === undefined || a.seq < options.beforeSeq),
      )
      .reverse()
      .slice(0, options.limit ?? 100)
      .map(clone);
  }

  async pruneJobs(filter: JobPruneFilter & { limit: number }) {
    const doomed = this.prunableJobs(filter).slice(0, Math.max(0, filter.limit));
    for (const job of doomed) this.jobs.delete(job.id);
    return doomed.length;
  }

  async pruneAudit(filter: AuditPruneFilter & { limit: number }) {
    const doomed = new Set(this.prunableAudit(filter).slice(0, Math.max(0, filter.limit)));
    this.audit = this.audit.filter((entry) => !doomed.has(entry));
    return doomed.size;
  }

  async countPrunableJobs(filter: JobPruneFilter) {
    return summarize(this.prunableJobs(filter).map((job) => job.updatedAt));
  }

  async countPrunableAudit(filter: AuditPruneFilter) {
    return summarize(this.prunableAudit(filter).map((entry) => entry.at));
  }

  /** Oldest first; see Store.pruneJobs for the rule that keeps succeeded jobs newer than a kept failure. */
  private prunableJobs(filter: JobPruneFilter): JobRecord[] {
    const before = new Date(filter.finishedBefore).toISOString();
    const jobs = [...this.jobs.values()];
    const failures = jobs.filter((j) => j.status === 'failed');
    const prunable = jobs.filter(
      (job) =>
        job.status === filter.status &&
        job.updatedAt < before &&
        (job.status !== 'succeeded' || !failures.some((f) => pairKey(f) === pairKey(job) && Number(f.id) < Number(job.id))),
    );
    return prunable.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || Number(a.id) - Number(b.id));
  }

  private prunableAudit(filter: AuditPruneFilter): AuditRecord[] {
    const before = new Date(filter.before).toISOString();
    return this.audit.filter((entry) => entry.at < before).sort((a, b) => a.at.localeCompare(b.at) || a.seq - b.seq);
  }

  async saveTargetReport(report: TargetReportRecord): Promise<void> {
    this.reports.set(report.id, clone(report));
  }

  async getTargetReport(id: string) {
    const report = this.reports.get(id);
    return report && clone(report);
  }

  async listTargetReports(filter: { instanceId: string; kind?: TargetReportKind; limit?: number }) {
    return [...this.reports.values()]
      .filter((r) => r.instanceId === filter.instanceId && (filter.kind === undefined || r.kind === filter.kind))
      .sort((a, b) => (a.startedAt === b.startedAt ? b.id.localeCompare(a.id) : b.startedAt.localeCompare(a.startedAt)))
      .slice(0, filter.limit ?? 100)
      .map(clone);
  }

  async close(): Promise<void> {
    // Nothing to release: everything lives in this object.
  }
}

function summarize(times: string[]): PrunableSummary {
  if (times.length === 0) return { count: 0 };
  const sorted = [...times].sort();
  return { count: times.length, oldest: sorted[0], newest: sorted[sorted.length - 1] };
}

function pageIds(ids: string[], afterId: string | undefined, limit: number): string[] {
  return ids
    .filter((id) => afterId === undefined || id > afterId)
    .sort()
    .slice(0, limit);
}

function summaryOf(group: GroupRecord): GroupSummary {
  const { members: _members, ...summary } = group;
  return clone(summary);
}

/** The group with a membership delta applied; a group that is not there is a version conflict (it was deleted meanwhile). */
function withMembersChanged(group: GroupRecord | undefined, change: GroupMembersChange): GroupRecord {
  if (!group)
    throw new StoreConflictError('version', `group ${change.groupId} is at version 0, not ${change.version - 1}`, 'group', change.groupId);
  const removed = new Set(change.remove);
  const kept = group.members.filter((m) => !removed.has(m.value));
  const present = new Set(kept.map((m) => m.value));
  const added = change.add.filter((m) => !present.has(m.value) && present.add(m.value));
  return { ...group, members: [...kept, ...clone(added)], version: change.version, updatedAt: change.updatedAt };
}
