import type { RateLimitSettings, SharedRateLimits } from '@provisio/core/engine';
import type { Queryable } from './queryable.js';

/**
 * Token buckets in the database, one row per connector instance, refilled on the
 * database's clock: every process takes from the same bucket, so an instance's
 * `rateLimit` holds for the whole deployment, however many workers run. One
 * statement per take, under the row's lock.
 */
export class PostgresRateBuckets implements SharedRateLimits {
  private readonly created = new Set<string>();

  constructor(private readonly db: Queryable) {}

  private async ensure(instanceId: string, rate: RateLimitSettings): Promise<void> {
    if (this.created.has(instanceId)) return;
    await this.db.query(
      'INSERT INTO rate_buckets (instance_id, tokens, updated_at) VALUES ($1, $2, clock_timestamp()) ON CONFLICT (instance_id) DO NOTHING',
      [instanceId, rate.burst],
    );
    this.created.add(instanceId);
  }

  async take(instanceId: string, wanted: number, minimum: number, rate: RateLimitSettings): Promise<{ granted: number; waitMs: number }> {
    await this.ensure(instanceId, rate);
    const { rows } = await this.db.query<{ granted: number; available: number }>(
      `WITH current AS (
         SELECT least($2::float8, tokens + extract(epoch FROM clock_timestamp() - updated_at) * $3::float8) AS available
         FROM rate_buckets WHERE instance_id = $1 FOR UPDATE
       ), decided AS (
         SELECT available, CASE WHEN floor(available) >= $5 THEN least($4::float8, floor(available)) ELSE 0 END AS granted FROM current
       )
       UPDATE rate_buckets b SET tokens = decided.available - decided.granted, updated_at = clock_timestamp()
       FROM decided WHERE b.instance_id = $1
       RETURNING decided.granted::float8 AS granted, decided.available::float8 AS available`,
      [instanceId, rate.burst, rate.perSecond, wanted, minimum],
    );
    const row = rows[0];
    if (!row) return { granted: 0, waitMs: 1000 };
    const granted = Number(row.granted);
    const missing = granted > 0 ? 0 : minimum - Number(row.available);
    return { granted, waitMs: missing > 0 ? Math.ceil((missing / rate.perSecond) * 1000) : 0 };
  }

  async giveBack(instanceId: string, count: number, rate: RateLimitSettings): Promise<void> {
    if (count <= 0) return;
    await this.db.query(
      `UPDATE rate_buckets SET tokens = least($2::float8, tokens + extract(epoch FROM clock_timestamp() - updated_at) * $3::float8 + $4::float8), updated_at = clock_timestamp() WHERE instance_id = $1`,
      [instanceId, rate.burst, rate.perSecond, count],
    );
  }
}
