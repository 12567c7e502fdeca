import type { ScheduledRuns } from '@provisio/core/engine';
import type { Queryable } from './queryable.js';

/** When each scheduled run is next due (epoch ms), one row per run. */
export const SCHEDULES_SCHEMA: readonly string[] = [`CREATE TABLE schedules (key text PRIMARY KEY, next_at bigint NOT NULL)`];

/**
 * A tenant's scheduled runs, shared by every process. Taking one is one conditional upsert: the row lock
 * makes concurrent takers of a due run wait, then find it no longer due; exactly one wins.
 */
export class PostgresSchedules implements ScheduledRuns {
  constructor(
    private readonly db: Queryable,
    private readonly tenant: string,
  ) {}

  async take(key: string, now: number, nextAt: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO schedules (tenant, key, next_at) VALUES ($4, $1, $2)
       ON CONFLICT (tenant, key) DO UPDATE SET next_at = EXCLUDED.next_at WHERE schedules.next_at <= $3 OR schedules.next_at > EXCLUDED.next_at`,
      [key, nextAt, now, this.tenant],
    );
    return rowCount === 1;
  }

  async nextAt(key: string): Promise<number | undefined> {
    const { rows } = await this.db.query<{ next_at: string }>('SELECT next_at FROM schedules WHERE tenant = $1 AND key = $2', [
      this.tenant,
      key,
    ]);
    return rows[0] ? Number(rows[0].next_at) : undefined;
  }
}
