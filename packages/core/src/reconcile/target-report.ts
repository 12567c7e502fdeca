import { randomUUID } from 'node:crypto';
import type { TargetReportItem, TargetReportRecord } from '../store/records.js';

/**
 * The report an import or a reconcile keeps in the store while it runs: a count per kind
 * and the first `sampleSize` items of each, saved as it goes and once more when it ends.
 */
export class TargetReport {
  readonly record: TargetReportRecord;

  constructor(
    start: Pick<TargetReportRecord, 'instanceId' | 'kind' | 'apply' | 'actor' | 'startedAt'>,
    kinds: readonly string[],
    private readonly sampleSize: number,
  ) {
    this.record = {
      id: randomUUID(),
      ...start,
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

  /** The final status and when it ended. */
  end(status: TargetReportRecord['status'], finishedAt: string): TargetReportRecord {
    this.record.status = status;
    this.record.finishedAt = finishedAt;
    return this.record;
  }
}
