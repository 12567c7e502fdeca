import type { QuarantineRecord } from '@provisio/core/engine';

/** A row of `quarantines`: its times are epoch ms (a number from SQLite, a bigint's string from pg). */
export interface QuarantineRow {
  instance_id: string;
  since: number | string;
  reason: string;
  next_probe_at: number | string;
  probe_count: number;
  last_probe_error: string | null;
}

export function toQuarantine(row: QuarantineRow): QuarantineRecord {
  return {
    instanceId: row.instance_id,
    since: Number(row.since),
    reason: row.reason,
    nextProbeAt: Number(row.next_probe_at),
    probeCount: row.probe_count,
    ...(row.last_probe_error === null ? {} : { lastProbeError: row.last_probe_error }),
  };
}
