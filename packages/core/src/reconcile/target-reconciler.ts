import type { Clock } from '../clock.js';
import { PermanentError } from '../errors.js';
import type { RemoteUser } from '../connector/read-side.js';
import { LocalMatchIndex } from '../import/local-match-index.js';
import type { PublishOperatorEvent } from '../notifications/operator-events.js';
import { groupView, userView } from '../pipeline/identity-views.js';
import type { JobEvents } from '../pipeline/job-events.js';
import { lastKnownUser } from '../pipeline/job-planner.js';
import type { ProvisioningTarget } from '../pipeline/provisioning-target.js';
import type { GroupRecord, LinkRecord, NewJob, TargetReportItem, TargetReportRecord } from '../store/records.js';
import type { Store } from '../store/store-ports.js';
import { fieldDifferences } from './field-differences.js';
import { describeDifference, linkedGroups, membershipDifference, wantedMembers } from './group-membership.js';
import { TargetReport } from './target-report.js';

/**
 * What a reconcile reports: `drift` (a linked account whose mapped fields differ from what
 * the mapping wants now), `missing` (a linked account the target no longer has), `orphans`
 * (accounts that match no link and no local identity), `unlinked` (accounts that match one
 * local identity but are not linked: an import links them), `skipped` (accounts left in place
 * by `deprovision.mode: skip`), and `inSync`. For a target whose groups Provisio provisions and
 * can read: `groupDrift` (a linked group whose members are not the ones wanted), `groupsMissing`
 * (a linked group the target no longer has) and `groupsInSync`.
 */
/** The local id of an orphan's link and removal job: `orphan:<remote id>` (no local identity has such an id). */
const ORPHAN_ID_PREFIX = 'orphan:';

export const RECONCILE_KINDS = [
  'drift',
  'missing',
  'orphans',
  'unlinked',
  'skipped',
  'inSync',
  'groupDrift',
  'groupsMissing',
  'groupsInSync',
] as const;
export type ReconcileKind = (typeof RECONCILE_KINDS)[number];

export interface ReconcileOptions {
  actor: string;
  /** Items kept per kind in the report (default 50). */
  sampleSize?: number;
  /** Called after each page of the target: accounts read so far. */
  onProgress?: (read: number) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface TargetReconcilerDeps {
  store: Store;
  clock: Clock;
  events: JobEvents;
  publish: PublishOperatorEvent;
}

/**
 * Reconcile against what the target really holds: pages through the connector's read side
 * (never the whole target in memory), compares every linked account with the mapping, and
 * repairs what differs through the normal job pipeline (an update job; the link is told what
 * the account really holds, so the job sends exactly the fields that drifted). Missing accounts
 * are re-created or reported per `reconcile.missing`; orphans are reported, deactivated or deleted per `reconcile.orphans`. Each run leaves a
 * report in the store (kind `reconcile`) and, when anything was found, a `reconcile.drift` event.
 */
export class TargetReconciler {
  constructor(private readonly deps: TargetReconcilerDeps) {}

  async run(target: ProvisioningTarget, options: ReconcileOptions): Promise<TargetReportRecord> {
    if (!target.instance.connector.listUsers) throw new PermanentError(`connector instance ${target.id} cannot list its users`);
    return new ReconcileRun(this.deps, target, options).run();
  }
}

class ReconcileRun {
  private readonly report: TargetReportRecord;
  private readonly tally: TargetReport;
  private readonly settings: ProvisioningTarget['instance']['settings']['reconcile'];

  constructor(
    private readonly deps: TargetReconcilerDeps,
    private readonly target: ProvisioningTarget,
    private readonly options: ReconcileOptions,
  ) {
    this.settings = target.instance.settings.reconcile;
    this.tally = new TargetReport(
      deps,
      { instanceId: target.id, kind: 'reconcile', apply: this.settings.repair, actor: options.actor },
      RECONCILE_KINDS,
      options.sampleSize,
    );
    this.report = this.tally.record;
  }

  async run(): Promise<TargetReportRecord> {
    const report = await this.tally.track(async () => {
      const index = await LocalMatchIndex.build(this.deps.store, this.target);
      const seen = new Set<string>();
      const listing = this.target.instance.connector.listUsers?.({ attributes: [...this.target.mappedUserFields] });
      if (!listing) throw new PermanentError(`connector instance ${this.target.id} cannot list its users`);
      for await (const page of listing) {
        if (this.options.signal?.aborted) return 'aborted';
        const repairs: Repair[] = [];
        for (const remote of page.items) {
          this.report.read += 1;
          const localId = index.localOfRemote.get(remote.remoteId);
          if (localId === undefined) {
            const removal = await this.classifyUnlinked(index, remote);
            if (removal) repairs.push(removal);
            continue;
          }
          // The index's own id string: the page's strings are not kept past the page.
          seen.add(localId);
          const repair = await this.compare(localId, remote);
          if (repair) repairs.push(repair);
        }
        await this.commit(repairs);
        await this.options.onProgress?.(this.report.read);
      }
      await this.commit(await this.missing(index, seen));
      return (await this.reconcileGroups()) ? 'done' : 'aborted';
    });
    if (report.status === 'done') this.announce();
    return report;
  }

  /** A linked account: what the mapping wants now against what the target holds. */
  private async compare(localId: string, remote: RemoteUser): Promise<Repair | undefined> {
    const { store } = this.deps;
    const link = await store.getLink(this.target.id, 'user', localId);
    const record = await store.getUser(localId);
    if (!link || !record) return undefined;
    const item: TargetReportItem = {
      remoteId: remote.remoteId,
      ...(remote.remoteName ? { remoteName: remote.remoteName } : {}),
      localIds: [localId],
    };
    if (link.status === 'skipped') {
      this.add('skipped', { ...item, note: 'deprovision.mode: skip left this account in place' });
      return undefined;
    }
    const user = userView(record, await store.groupSummariesOfMember(localId));
    // Out of scope: the snapshot pass of reconcile deprovisions it; nothing to compare with.
    if (!this.target.userInScope(user)) return undefined;
    let wanted;
    try {
      wanted = this.target.mapUser(user);
    } catch {
      return undefined;
    }
    const differences = fieldDifferences(remote.attributes, wanted, (field) => this.target.matchIgnoresCaseOf(field));
    // A deactivated account of an active user: the update job reactivates it. (The other way round is a
    // mapped field where the target has one, e.g. SCIM active, Salesforce IsActive, Google suspended.)
    if (!remote.active && user.active !== false) differences.push({ field: 'active', remote: false, wanted: true });
    if (differences.length === 0) {
      this.report.counts['inSync'] += 1;
      return undefined;
    }
    this.add('drift', { ...item, differences });
    if (!this.settings.repair) return undefined;
    return {
      // The target's real values: the update job then sends exactly what drifted (and reactivates an inactive account).
      link: {
        ...link,
        syncedAttributes: { ...link.syncedAttributes, ...remote.attributes },
        remoteActive: remote.active,
        status: 'synced',
      },
      job: this.syncJob(localId, 'reconcile: drift in the target', user),
    };
  }

  /**
   * An account no link of a local identity points at: one an import would link, or an orphan
   * (also what a user deleted while the connector was disabled leaves behind). An orphan that
   * matches nobody is removed per `reconcile.orphans`; one that matches several identities never is.
   */
  private async classifyUnlinked(index: LocalMatchIndex, remote: RemoteUser): Promise<Repair | undefined> {
    const item: TargetReportItem = { remoteId: remote.remoteId, ...(remote.remoteName ? { remoteName: remote.remoteName } : {}) };
    const found = index.candidates((field) =>
      field in remote.attributes ? remote.attributes[field] : field === this.target.accountNameField ? remote.remoteName : undefined,
    );
    if (found?.localIds.length === 1 && !index.remoteOfLocal.has(found.localIds[0])) {
      this.add('unlinked', { ...item, localIds: found.localIds, note: `matches by ${found.rule}; provisio import links it` });
      return undefined;
    }
    if (found) {
      this.add('orphans', { ...item, localIds: found.localIds, note: `${found.rule} matches several` });
      return undefined;
    }
    const removal = await this.orphanRemoval(remote);
    this.add('orphans', removal.note ? { ...item, note: removal.note } : item);
    return removal.repair;
  }

  /** What `reconcile.orphans` does with an orphan: nothing (report), or a removal job through the deletion guard. */
  private async orphanRemoval(remote: RemoteUser): Promise<{ repair?: Repair; note?: string }> {
    const { orphans, repair, keep } = this.settings;
    if (orphans === 'report') return {};
    const name = remote.remoteName?.toLowerCase();
    if (name !== undefined && keep.some((kept) => kept.toLowerCase() === name)) return { note: 'kept (reconcile.keep)' };
    if (!repair) return { note: `reconcile.repair is false: not ${orphans === 'delete' ? 'deleted' : 'deactivated'}` };
    if (orphans === 'deactivate' && !remote.active) return { note: 'already inactive' };
    // Jobs are keyed by a local id: an orphan gets its own, a link that names the account (no local identity has that id).
    const localId = `${ORPHAN_ID_PREFIX}${remote.remoteId}`;
    const earlier = await this.deps.store.getLink(this.target.id, 'user', localId);
    // A target that only deactivates (Salesforce) did what it could; asking again would change nothing.
    if (!remote.active && earlier?.status === 'deprovisioned' && earlier.remoteActive === false)
      return { note: 'deactivated by an earlier removal (the target deactivates rather than deletes)' };
    const guard = this.target.deleteGuard;
    return {
      note: orphans === 'delete' ? 'being deleted (reconcile.orphans: delete)' : 'being deactivated (reconcile.orphans: deactivate)',
      repair: {
        link: {
          instanceId: this.target.id,
          entityType: 'user',
          localId,
          remoteId: remote.remoteId,
          ...(remote.remoteName ? { remoteName: remote.remoteName } : {}),
          remoteActive: remote.active,
          status: 'synced',
        },
        job: {
          instanceId: this.target.id,
          entityType: 'user',
          localId,
          action: orphans === 'delete' ? 'orphan.delete' : 'orphan.deactivate',
          reason: `reconcile: orphan ${remote.remoteName ?? remote.remoteId} (no local identity)`,
          maxAttempts: this.target.instance.settings.retry.maxAttempts,
          ...(guard ? { guard } : {}),
        },
      },
    };
  }

  /** Linked accounts the listing did not return: gone from the target. */
  /** `seen`: the local ids whose linked account the listing returned. */
  private async missing(index: LocalMatchIndex, seen: ReadonlySet<string>): Promise<Repair[]> {
    const { store } = this.deps;
    const repairs: Repair[] = [];
    for (const [remoteId, localId] of index.localOfRemote) {
      if (seen.has(localId)) continue;
      const link = await store.getLink(this.target.id, 'user', localId);
      // Deactivated on purpose (deprovisioned, kept as inactive) or left alone: not missing.
      if (!link?.remoteId || link.remoteId !== remoteId || link.status === 'skipped' || link.remoteActive === false) continue;
      const record = await store.getUser(localId);
      this.add('missing', { remoteId, ...(link.remoteName ? { remoteName: link.remoteName } : {}), localIds: [localId] });
      if (!record || this.settings.missing !== 'recreate' || !this.settings.repair) continue;
      const user = userView(record, await store.groupSummariesOfMember(localId));
      if (!this.target.userInScope(user)) continue;
      repairs.push({
        // No remote id: the sync job creates the account again.
        link: { ...link, remoteId: undefined, remoteActive: undefined, syncedAttributes: undefined, status: 'pending' },
        job: this.syncJob(localId, 'reconcile: the account is gone from the target', user),
      });
    }
    return repairs;
  }

  /**
   * Group membership as the target holds it against what Provisio wants: a linked group with
   * members missing or extra gets a group job, its link told the real members so the job adds
   * and removes exactly the difference; a linked group gone is re-created the same way. False when aborted.
   */
  private async reconcileGroups(): Promise<boolean> {
    const connector = this.target.instance.connector;
    if (!this.target.handlesGroups || !connector.listGroups) return true;
    const { store } = this.deps;
    const linked = await linkedGroups(store, this.target);
    if (linked.size === 0) return true;
    const seen = new Set<string>();
    for await (const page of connector.listGroups()) {
      if (this.options.signal?.aborted) return false;
      const repairs: Repair[] = [];
      for (const remote of page.items) {
        const link = linked.get(remote.remoteId);
        if (!link) continue;
        seen.add(remote.remoteId);
        const record = await store.getGroup(link.localId);
        if (!record || !this.target.groupInScope(groupView(record))) continue;
        const wanted = await wantedMembers(
          store,
          this.target,
          record.members.filter((m) => m.type !== 'Group').map((m) => m.value),
        );
        const difference = membershipDifference(remote, wanted);
        if (!difference) {
          this.report.counts['groupsInSync'] += 1;
          continue;
        }
        this.add('groupDrift', {
          remoteId: remote.remoteId,
          remoteName: remote.remoteName ?? record.displayName,
          localIds: [record.id],
          differences: [describeDifference(difference)],
        });
        if (this.settings.repair)
          repairs.push({
            link: { ...link, syncedMembers: remote.memberRemoteIds },
            job: this.groupJob(record, 'reconcile: group members drifted in the target'),
          });
      }
      await this.commit(repairs);
    }
    const repairs: Repair[] = [];
    for (const [remoteId, link] of linked) {
      if (seen.has(remoteId)) continue;
      const record = await store.getGroup(link.localId);
      if (!record || !this.target.groupInScope(groupView(record))) continue;
      this.add('groupsMissing', { remoteId, remoteName: link.remoteName ?? record.displayName, localIds: [record.id] });
      if (this.settings.repair && this.settings.missing === 'recreate')
        repairs.push({
          link: { ...link, remoteId: undefined, syncedAttributes: undefined, syncedMembers: undefined, status: 'pending' },
          job: this.groupJob(record, 'reconcile: the group is gone from the target'),
        });
    }
    await this.commit(repairs);
    return true;
  }

  private groupJob(record: GroupRecord, reason: string): NewJob {
    return {
      instanceId: this.target.id,
      entityType: 'group',
      localId: record.id,
      action: 'sync',
      reason,
      maxAttempts: this.target.instance.settings.retry.maxAttempts,
    };
  }

  private syncJob(localId: string, reason: string, user: Parameters<typeof lastKnownUser>[0]): NewJob {
    return {
      instanceId: this.target.id,
      entityType: 'user',
      localId,
      action: 'sync',
      reason,
      maxAttempts: this.target.instance.settings.retry.maxAttempts,
      ...lastKnownUser(user),
    };
  }

  private async commit(repairs: Repair[]): Promise<void> {
    if (repairs.length === 0) return;
    const receipt = await this.deps.store.commit({
      putLinks: repairs.map((r) => r.link),
      jobs: repairs.map((r) => r.job),
      audit: [
        {
          at: this.now(),
          actor: this.options.actor,
          action: 'connector.reconcile.repair',
          entityType: 'connector',
          entityId: this.target.id,
          details: { report: this.report.id, jobs: repairs.length },
        },
      ],
    });
    for (const instanceId of receipt.trippedGuards) this.deps.events.guardTriggered({ instanceId, at: this.now() });
    this.deps.events.jobsEnqueued();
    await this.tally.save();
  }

  private add(kind: ReconcileKind, item: TargetReportItem): void {
    this.tally.add(kind, item);
  }

  private announce(): void {
    const { drift, missing, orphans, groupDrift, groupsMissing } = this.report.counts;
    const groups = groupDrift + groupsMissing;
    if (drift + missing + orphans + groups === 0) return;
    this.deps.publish({
      kind: 'reconcile.drift',
      severity: 'warning',
      connectorId: this.target.id,
      message: `${this.target.id}: reconcile found ${drift} drifted, ${missing} missing and ${orphans} orphaned account(s)${groups > 0 ? ` and ${groups} group(s) with drifted members or gone` : ''}${this.settings.repair ? '; drift and missing accounts are being repaired' : ''}`,
      details: { drift: drift + missing, orphans, ...(groups > 0 ? { groups } : {}) },
    });
  }

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }
}

interface Repair {
  link: LinkRecord;
  job: NewJob;
}
