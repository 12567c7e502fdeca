import type { ScheduledRuns } from '@provisio/core/engine';
import type { StatementCache } from './sqlite-statements.js';

/** One tenant's scheduled runs in the `schedules` table; taking one is a single conditional upsert. */
export class SqliteSchedules implements ScheduledRuns {
  constructor(
    private readonly statements: StatementCache,
    private readonly tenant: string,
  ) {}

  async take(key: string, now: number, nextAt: number): Promise<boolean> {
    const result = this.statements
      .get(
        `INSERT INTO schedules (tenant, key, next_at) VALUES (?, ?, ?)
         ON CONFLICT(tenant, key) DO UPDATE SET next_at = excluded.next_at WHERE schedules.next_at <= ? OR schedules.next_at > excluded.next_at`,
      )
      .run(this.tenant, key, nextAt, now);
    return result.changes === 1;
  }

  async nextAt(key: string): Promise<number | undefined> {
    const row = this.statements.get('SELECT next_at FROM schedules WHERE tenant = ? AND key = ?').get(this.tenant, key) as
      { next_at: number } | undefined;
    return row?.next_at;
  }
}
