import type { QuarantineRecord, QuarantineStates } from '@provisio/core/engine';
import { toQuarantine, type QuarantineRow } from '@provisio/store-sql';
import type { StatementCache } from './sqlite-statements.js';

/** One tenant's quarantine states in the `quarantines` table; each method is one statement. */
export class SqliteQuarantines implements QuarantineStates {
  constructor(
    private readonly statements: StatementCache,
    private readonly tenant: string,
  ) {}

  async list(): Promise<QuarantineRecord[]> {
    return (this.statements.get('SELECT * FROM quarantines WHERE tenant = ? ORDER BY instance_id').all(this.tenant) as QuarantineRow[]).map(
      toQuarantine,
    );
  }

  async get(instanceId: string): Promise<QuarantineRecord | undefined> {
    const row = this.statements.get('SELECT * FROM quarantines WHERE tenant = ? AND instance_id = ?').get(this.tenant, instanceId) as
      QuarantineRow | undefined;
    return row && toQuarantine(row);
  }

  async enter(record: QuarantineRecord): Promise<boolean> {
    const result = this.statements
      .get(
        `INSERT INTO quarantines (tenant, instance_id, since, reason, next_probe_at, probe_count) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(tenant, instance_id) DO NOTHING`,
      )
      .run(this.tenant, record.instanceId, record.since, record.reason, record.nextProbeAt, record.probeCount);
    return result.changes === 1;
  }

  async takeProbe(instanceId: string, now: number, leaseUntil: number): Promise<QuarantineRecord | undefined> {
    const before = await this.get(instanceId);
    if (!before || before.nextProbeAt > now) return undefined;
    const result = this.statements
      .get('UPDATE quarantines SET next_probe_at = ? WHERE tenant = ? AND instance_id = ? AND next_probe_at <= ?')
      .run(leaseUntil, this.tenant, instanceId, now);
    return result.changes === 1 ? before : undefined;
  }

  async probeFailed(instanceId: string, nextProbeAt: number, error: string): Promise<void> {
    this.statements
      .get(
        'UPDATE quarantines SET probe_count = probe_count + 1, next_probe_at = ?, last_probe_error = ? WHERE tenant = ? AND instance_id = ?',
      )
      .run(nextProbeAt, error, this.tenant, instanceId);
  }

  async leave(instanceId: string): Promise<QuarantineRecord | undefined> {
    const before = await this.get(instanceId);
    if (!before) return undefined;
    const result = this.statements.get('DELETE FROM quarantines WHERE tenant = ? AND instance_id = ?').run(this.tenant, instanceId);
    return result.changes === 1 ? before : undefined;
  }
}
