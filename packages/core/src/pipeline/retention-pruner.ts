import type { Clock } from '../clock.js';
import type { Logger } from '../logging/logger.js';
import type { RetentionConfig } from '../manifest/manifest-schema.js';
import type { PrunableJobStatus, PrunableSummary, Store } from '../store/store-ports.js';

/** What retention keeps apart: three kinds of finished jobs and the audit trail. */
export type RetentionKind = keyof RetentionConfig;
export const RETENTION_KINDS: readonly RetentionKind[] = ['succeededJobs', 'supersededJobs', 'failedJobs', 'audit'];

const JOB_STATUS: Record<Exclude<RetentionKind, 'audit'>, PrunableJobStatus> = {
  succeededJobs: 'succeeded',
  supersededJobs: 'superseded',
  failedJobs: 'failed',
};

const MIN_BATCH = 50;

export interface RetentionPrunerOptions {
  /** Most rows per DELETE; each is its own short transaction (default 500). */
  batchSize?: number;
  /**
   * How long one batch may hold the store (default: the store's `retentionBatchMs`, else 25 ms):
   * a slower batch halves the next one (down to 50 rows), a quick one doubles it again (up to
   * batchSize). With SQLite a batch also holds the event loop, so this bounds what a SCIM
   * request can wait behind it.
   */
  targetBatchMs?: number;
  /** Least pause between two batches, so that identity writes get the store in between (default 20 ms; at least the batch's own time). */
  pauseMs?: number;
  /** Most rows of one kind removed per run; the rest waits for the next run (default 50,000). */
  maxPerRun?: number;
  /** Time between runs of the background loop (default 5 minutes). */
  intervalMs?: number;
  /** Time from start() to the first run (default 1 minute: a starting process has other work first). */
  firstRunDelayMs?: number;
}

export interface RetentionDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
}

/** One kind's line of a dry run or a run: what is (or was) older than its cutoff. */
export interface RetentionReport extends PrunableSummary {
  kind: RetentionKind;
  /** ISO time: entries older than this go; undefined when the kind is kept for ever. */
  cutoff?: string;
  /** Rows deleted (a run); absent in a dry run. */
  removed?: number;
}

/**
 * Removes finished jobs and audit entries older than the manifest's `retention`
 * periods, in small batches with a pause between them, so that SCIM writes never
 * wait long for the store. Runs beside the worker, every `intervalMs`, bounded per
 * run. Safe in several processes at once: a batch deletes by primary key and a row
 * deleted by another process is simply not counted twice.
 */
export class RetentionPruner {
  private readonly batchSize: number;
  private readonly targetBatchMs: number;
  private readonly pauseMs: number;
  private readonly maxPerRun: number;
  private readonly intervalMs: number;
  private readonly firstRunDelayMs: number;
  private stopping?: AbortController;
  private loop?: Promise<void>;

  constructor(
    private readonly deps: RetentionDeps,
    private readonly policy: RetentionConfig,
    options: RetentionPrunerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.targetBatchMs = options.targetBatchMs ?? deps.store.retentionBatchMs ?? 25;
    this.pauseMs = options.pauseMs ?? 20;
    this.maxPerRun = options.maxPerRun ?? 50_000;
    this.intervalMs = options.intervalMs ?? 5 * 60_000;
    this.firstRunDelayMs = options.firstRunDelayMs ?? 60_000;
  }

  /** The dry run: per kind, how many entries are older than its cutoff, and their time span. */
  async preview(): Promise<RetentionReport[]> {
    const now = this.deps.clock.now();
    const reports: RetentionReport[] = [];
    for (const kind of RETENTION_KINDS) {
      const period = this.policy[kind];
      if (period === false) {
        reports.push({ kind, count: 0 });
        continue;
      }
      const cutoff = now - period;
      const summary =
        kind === 'audit'
          ? await this.deps.store.countPrunableAudit({ before: cutoff })
          : await this.deps.store.countPrunableJobs({ status: JOB_STATUS[kind], finishedBefore: cutoff });
      reports.push({ kind, cutoff: new Date(cutoff).toISOString(), ...summary });
    }
    return reports;
  }

  /**
   * One run: for each kind kept for a limited time, deletes batches until none is left
   * or `maxPerRun` (default: the option) rows went. Logs what it removed.
   */
  async pruneOnce(options: { maxPerRun?: number; signal?: AbortSignal } = {}): Promise<RetentionReport[]> {
    const now = this.deps.clock.now();
    const maxPerRun = options.maxPerRun ?? this.maxPerRun;
    const reports: RetentionReport[] = [];
    for (const kind of RETENTION_KINDS) {
      const period = this.policy[kind];
      if (period === false) continue;
      const cutoff = now - period;
      const removed = await this.pruneKind(kind, cutoff, maxPerRun, options.signal);
      reports.push({ kind, cutoff: new Date(cutoff).toISOString(), count: removed, removed });
      if (removed > 0)
        this.deps.logger.info({ kind, removed, before: new Date(cutoff).toISOString() }, `retention removed ${removed} ${kind}`);
      if (options.signal?.aborted) break;
    }
    return reports;
  }

  private async pruneKind(kind: RetentionKind, cutoff: number, maxPerRun: number, signal?: AbortSignal): Promise<number> {
    const { store, clock } = this.deps;
    let removed = 0;
    let size = this.batchSize;
    // Bounded in count: at most maxPerRun rows, at least MIN_BATCH (or what is left) at a time.
    while (removed < maxPerRun && !signal?.aborted) {
      const limit = Math.min(size, maxPerRun - removed);
      const started = performance.now();
      const deleted =
        kind === 'audit'
          ? await store.pruneAudit({ before: cutoff, limit })
          : await store.pruneJobs({ status: JOB_STATUS[kind], finishedBefore: cutoff, limit });
      removed += deleted;
      if (deleted < limit) break;
      const took = performance.now() - started;
      if (took > this.targetBatchMs) size = Math.max(Math.min(MIN_BATCH, this.batchSize), Math.floor(size / 2));
      else if (took < this.targetBatchMs / 2) size = Math.min(this.batchSize, size * 2);
      // Rest at least as long as the batch took: the pruner holds the store (and, with SQLite, the event loop)
      // at most half the time, however slow the disk, and SCIM writes get the other half.
      await clock.sleep(Math.max(this.pauseMs, took), signal).catch(() => undefined);
    }
    return removed;
  }

  /** Starts the background loop (first run after `firstRunDelayMs`, then every `intervalMs`). */
  start(): void {
    if (this.loop) return;
    const stopping = new AbortController();
    this.stopping = stopping;
    this.loop = this.run(stopping.signal);
  }

  private async run(signal: AbortSignal): Promise<void> {
    let wait = this.firstRunDelayMs;
    while (!signal.aborted) {
      try {
        await this.deps.clock.sleep(wait, signal);
      } catch {
        return;
      }
      wait = this.intervalMs;
      try {
        await this.pruneOnce({ signal });
      } catch (error) {
        // The store is down or busy: nothing was lost, the next run tries again.
        this.deps.logger.warn({ err: error }, 'retention run failed; trying again at the next interval');
      }
    }
  }

  /** Stops the loop; a batch under way finishes (it is one short statement). */
  async stop(): Promise<void> {
    this.stopping?.abort();
    await this.loop;
    this.loop = undefined;
    this.stopping = undefined;
  }
}
