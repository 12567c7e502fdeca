import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { TargetReportItem, TargetReportRecord } from '../store/records.js';
import type { Store } from '../store/store-ports.js';

/**
 * The report an import or a reconcile keeps in the store while it runs: a count per kind
 * and the first `sampleSize` items of each, saved as it goes and once more when it ends.
 */
export class TargetReport {
  readonly record: TargetReportRecord;

  constructor(
    private readonly deps: { store: Store; clock: Clock },
    start: Pick<TargetReportRecord, 'instanceId' | 'kind' | 'apply' | 'actor'>,
    kinds: readonly string[],
    private readonly sampleSize = 50,
  ) {
    this.record = {
      id: randomUUID(),
      ...start,
      startedAt: this.now(),
      status: 'running',
      read: 0,
      counts: Object.fromEntries(kinds.map((k) => [k, 0])),
      samples: Object.fromEntries(kinds.map((k) => [k, []])),
    };
  }

  add(kind: string, item: TargetReportItem): void {
    this.record.counts[kind] = (this.record.counts[kind] ?? 0) + 1;
    const samples = this.record.samples[kind];
    if (samples.length < this.sampleSize) samples.push(item);
  }

  /** Saves the report as it stands (the admin API and the console show a running one). */
  save(): Promise<void> {
    return this.deps.store.saveTargetReport(this.record);
  }

  /**
   * The whole run: saves the report, runs `work`, and saves the report once more with the status
   * `work` returns, or `failed` and the error's message when it throws (the error goes on).
   */
  async track(work: () => Promise<'done' | 'aborted'>): Promise<TargetReportRecord> {
    await this.save();
    try {
      return await this.finish(await work());
    } catch (error) {
      this.record.error = (error as Error).message;
      await this.finish('failed');
      throw error;
    }
  }

  /** Saves it once more with its final status and when it ended. */
  private async finish(status: TargetReportRecord['status']): Promise<TargetReportRecord> {
    this.record.status = status;
    this.record.finishedAt = this.now();
    await this.save();
    return this.record;
  }

  private now(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }
}
