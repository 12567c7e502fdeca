import type { Clock } from '../clock.js';
import type { RemoteUser } from '../connector/read-side.js';
import { PermanentError } from '../errors.js';
import type { ProvisioningTarget } from '../pipeline/provisioning-target.js';
import type { LinkRecord, TargetReportItem, TargetReportRecord } from '../store/records.js';
import type { Store } from '../store/store-ports.js';
import { LocalMatchIndex } from './local-match-index.js';
import { PendingLinks } from './pending-links.js';
import { TargetReport } from '../reconcile/target-report.js';

/** The kinds an import report counts (and keeps the first items of). */
export const IMPORT_KINDS = ['linked', 'alreadyLinked', 'ambiguous', 'orphans', 'unmatchedLocal'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportProgress {
  phase: 'read' | 'link';
  /** Remote accounts read so far. */
  read: number;
  /** The target's own total, when it tells one. */
  totalHint?: number;
  /** Links written so far (apply only). */
  written: number;
  perSecond: number;
  /** Seconds left of the read, where the target gives a total. */
  etaSeconds?: number;
}

export interface ImportOptions {
  /** false (default): a dry run, nothing written. */
  apply?: boolean;
  actor: string;
  onProgress?: (progress: ImportProgress) => void | Promise<void>;
  /** Stops between two pages or two link batches; the report is saved as `aborted`. */
  signal?: AbortSignal;
  /** Links per store write (default 500). */
  batchSize?: number;
  /** Items kept per kind in the stored report (default 50). */
  sampleSize?: number;
}

/**
 * Import: pages through a target with its read side and links each remote account that
 * matches exactly one local identity by the instance's match rules. Never writes to the
 * target. The whole target is read before anything is linked, since "two remote accounts
 * match one identity" is only known at the end; then links go to the store in batches.
 * A second run skips what the first linked (already linked), so an interrupted apply is
 * finished by running it again. Every run leaves a report in the store.
 */
export class ImportService {
  private readonly running = new Set<string>();

  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  isRunning(instanceId: string): boolean {
    return this.running.has(instanceId);
  }

  async run(target: ProvisioningTarget, options: ImportOptions): Promise<TargetReportRecord> {
    const connector = target.instance.connector;
    if (!target.instance.definition.capabilities.read || !connector.listUsers)
      throw new PermanentError(
        `connector instance ${target.id} (${target.instance.type}) cannot read its target: import needs capabilities.read`,
      );
    if (target.matchRules.length === 0)
      throw new PermanentError(`connector instance ${target.id} has no match rules: give "match" in the manifest`);
    if (this.running.has(target.id)) throw new ImportBusyError(target.id);
    this.running.add(target.id);
    try {
      return await new ImportRun(this.deps, target, options).run();
    } finally {
      this.running.delete(target.id);
    }
  }
}

/** Another import of the same instance is under way in this process. */
export class ImportBusyError extends Error {
  override readonly name = 'ImportBusyError';
  constructor(readonly instanceId: string) {
    super(`an import of ${instanceId} is already running`);
  }
}

class ImportRun {
  private readonly report: TargetReportRecord;
  private readonly started: number;
  private readonly tally: TargetReport;
  private written = 0;
  private totalHint?: number;

  constructor(
    private readonly deps: { store: Store; clock: Clock },
    private readonly target: ProvisioningTarget,
    private readonly options: ImportOptions,
  ) {
    this.started = deps.clock.now();
    this.tally = new TargetReport(
      deps,
      { instanceId: target.id, kind: 'import', apply: options.apply === true, actor: options.actor },
      IMPORT_KINDS,
      options.sampleSize,
    );
    this.report = this.tally.record;
  }

  run(): Promise<TargetReportRecord> {
    return this.tally.track(async () => {
      const index = await LocalMatchIndex.build(this.deps.store, this.target);
      const pending = await this.read(index);
      if (pending === 'aborted') return 'aborted';
      if (this.report.apply && (await this.link(pending)) === 'aborted') return 'aborted';
      if (!this.report.apply)
        for (const batch of pending.batches(500)) for (const [localId, p] of batch) this.add('linked', itemOf(p.remote, [localId], p.rule));
      return 'done';
    });
  }

  /** Reads every remote account; returns the identities each unambiguous match would link. */
  private async read(index: LocalMatchIndex): Promise<PendingLinks | 'aborted'> {
    const target = this.target;
    const fields = [...new Set([...target.mappedUserFields, ...target.matchRules.map((r) => r.remote)])];
    const pending = new PendingLinks();
    /** Identities several remote accounts match: local id → those remote accounts' ids. */
    const contested = new Map<string, string[]>();
    /** Local identities that an account was found for (linked, to be linked, or ambiguous). */
    const seen = new Set<string>();
    const listing = target.instance.connector.listUsers?.({ attributes: fields });
    if (!listing) throw new PermanentError(`connector instance ${target.id} cannot list its users`);
    for await (const page of listing) {
      if (this.options.signal?.aborted) return 'aborted';
      this.totalHint = page.totalHint ?? this.totalHint;
      for (const remote of page.items) {
        this.report.read += 1;
        const linkedLocal = index.localOfRemote.get(remote.remoteId);
        if (linkedLocal !== undefined) {
          seen.add(linkedLocal);
          this.add('alreadyLinked', itemOf(remote, [linkedLocal]));
          continue;
        }
        const found = index.candidates((field) =>
          field in remote.attributes ? remote.attributes[field] : field === target.accountNameField ? remote.remoteName : undefined,
        );
        if (!found) {
          this.add('orphans', itemOf(remote, []));
          continue;
        }
        if (found.localIds.length > 1) {
          for (const id of found.localIds) seen.add(id);
          this.add('ambiguous', itemOf(remote, found.localIds, `${found.rule} matches ${found.localIds.length} local identities`));
          continue;
        }
        const localId = found.localIds[0];
        seen.add(localId);
        const other = index.remoteOfLocal.get(localId) ?? pending.remoteIdOf(localId);
        const already = contested.get(localId);
        if (already) already.push(remote.remoteId);
        else if (other !== undefined) {
          pending.delete(localId);
          contested.set(localId, [other, remote.remoteId]);
        } else pending.set(localId, remote, found.rule, target.mappedUserFields);
      }
      await this.progress('read');
    }
    for (const [localId, remoteIds] of contested)
      this.add('ambiguous', { localIds: [localId], remoteIds, note: `${remoteIds.length} remote accounts match one local identity` });
    for (const id of index.inScope) if (!seen.has(id)) this.add('unmatchedLocal', { localIds: [id] });
    return pending;
  }

  /** Writes the links in batches; one already written (an earlier run, a job meanwhile) counts as already linked. */
  private async link(pending: PendingLinks): Promise<'done' | 'aborted'> {
    const { store } = this.deps;
    for (const batch of pending.batches(this.options.batchSize ?? 500)) {
      if (this.options.signal?.aborted) return 'aborted';
      const existing = new Map(
        (
          await store.linksFor(
            this.target.id,
            'user',
            batch.map(([localId]) => localId),
          )
        )
          .filter((l) => l.remoteId && l.status !== 'deprovisioned')
          .map((l) => [l.localId, l]),
      );
      const links: LinkRecord[] = [];
      const now = this.iso(this.deps.clock.now());
      for (const [localId, { remote, rule }] of batch) {
        if (existing.has(localId)) {
          this.add('alreadyLinked', itemOf(remote, [localId]));
          continue;
        }
        links.push({
          instanceId: this.target.id,
          entityType: 'user',
          localId,
          remoteId: remote.remoteId,
          remoteName: remote.remoteName,
          status: 'synced',
          lastSyncedAt: now,
          // What the target holds, in the mapping's field names: the next sync sends only real differences.
          syncedAttributes: remote.attributes,
          remoteActive: remote.active,
        });
        this.add('linked', itemOf(remote, [localId], rule));
      }
      if (links.length > 0)
        await store.commit({
          putLinks: links,
          audit: [
            {
              at: now,
              actor: this.options.actor,
              action: 'connector.import.link',
              entityType: 'connector',
              entityId: this.target.id,
              details: { report: this.report.id, linked: links.length },
            },
          ],
        });
      this.written += links.length;
      await this.tally.save();
      await this.progress('link');
    }
    return 'done';
  }

  private add(kind: ImportKind, item: TargetReportItem): void {
    this.tally.add(kind, item);
  }

  private async progress(phase: ImportProgress['phase']): Promise<void> {
    if (!this.options.onProgress) return;
    const elapsed = Math.max(1, this.deps.clock.now() - this.started) / 1000;
    const perSecond = Math.round(this.report.read / elapsed);
    const left = this.totalHint === undefined ? undefined : Math.max(0, this.totalHint - this.report.read);
    await this.options.onProgress({
      phase,
      read: this.report.read,
      totalHint: this.totalHint,
      written: this.written,
      perSecond,
      etaSeconds: left === undefined || perSecond === 0 ? undefined : Math.ceil(left / perSecond),
    });
  }

  private iso(ms: number): string {
    return new Date(ms).toISOString();
  }
}

function itemOf(remote: RemoteUser, localIds: string[], note?: string): TargetReportItem {
  return {
    remoteId: remote.remoteId,
    ...(remote.remoteName ? { remoteName: remote.remoteName } : {}),
    localIds,
    ...(note ? { note } : {}),
  };
}
