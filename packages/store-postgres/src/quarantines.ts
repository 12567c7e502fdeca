import type { QuarantineRecord, QuarantineStates } from '@provisio/core/engine';
import { toQuarantine, type QuarantineRow } from '@provisio/store-sql';
import type { Queryable } from './queryable.js';

/**
 * A tenant's quarantine states, shared by every process. Taking a probe is one conditional
 * UPDATE: of several processes that find it due, exactly one gets the row back.
 */
export class PostgresQuarantines implements QuarantineStates {
  constructor(
    private readonly db: Queryable,
    private readonly tenant: string,
  ) {}

  async list(): Promise<QuarantineRecord[]> {
    const { rows } = await this.db.query<QuarantineRow>('SELECT * FROM quarantines WHERE tenant = $1 ORDER BY instance_id', [this.tenant]);
    return rows.map(toQuarantine);
  }

  async get(instanceId: string): Promise<QuarantineRecord | undefined> {
    const { rows } = await this.db.query<QuarantineRow>('SELECT * FROM quarantines WHERE tenant = $1 AND instance_id = $2', [
      this.tenant,
      instanceId,
    ]);
    return rows[0] && toQuarantine(rows[0]);
  }

  async enter(record: QuarantineRecord): Promise<boolean> {
    const { rows } = await this.db.query<{ instance_id: string }>(
      `INSERT INTO quarantines (tenant, instance_id, since, reason, next_probe_at, probe_count) VALUES ($6, $1, $2, $3, $4, $5)
       ON CONFLICT (tenant, instance_id) DO NOTHING RETURNING instance_id`,
      [record.instanceId, record.since, record.reason, record.nextProbeAt, record.probeCount, this.tenant],
    );
    return rows.length === 1;
  }

  async takeProbe(instanceId: string, now: number, leaseUntil: number): Promise<QuarantineRecord | undefined> {
    const { rows } = await this.db.query<QuarantineRow>(
      `UPDATE quarantines q SET next_probe_at = $3 FROM (SELECT * FROM quarantines WHERE tenant = $4 AND instance_id = $1 FOR UPDATE) old
       WHERE q.tenant = old.tenant AND q.instance_id = old.instance_id AND old.next_probe_at <= $2
       RETURNING old.*`,
      [instanceId, now, leaseUntil, this.tenant],
    );
    return rows[0] && toQuarantine(rows[0]);
  }

  async probeFailed(instanceId: string, nextProbeAt: number, error: string): Promise<void> {
    await this.db.query(
      'UPDATE quarantines SET probe_count = probe_count + 1, next_probe_at = $2, last_probe_error = $3 WHERE tenant = $4 AND instance_id = $1',
      [instanceId, nextProbeAt, error, this.tenant],
    );
  }

  async leave(instanceId: string): Promise<QuarantineRecord | undefined> {
    const { rows } = await this.db.query<QuarantineRow>('DELETE FROM quarantines WHERE tenant = $1 AND instance_id = $2 RETURNING *', [
      this.tenant,
      instanceId,
    ]);
    return rows[0] && toQuarantine(rows[0]);
  }
}
