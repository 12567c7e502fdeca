import { guardedByInstance, type DeprovisionGuardState, type JobGuard, type NewJob } from '@provisio/core/engine';
import { countingFrom, guardStateOf, holdGuarded, isTripped, type GuardCounts, type GuardRow } from '@provisio/store-sql';
import type { Queryable } from './queryable.js';

/**
 * The accidental-deletion guard in PostgreSQL: one row per (tenant, instance), locked (FOR UPDATE) by the
 * transaction that plans guarded jobs. Every process's commits with deprovisioning jobs for an
 * instance queue on that row, so the count they see includes every committed one before them.
 */
export async function decideGuards(
  client: Queryable,
  tenant: string,
  jobs: readonly NewJob[],
  now: number,
): Promise<{ held: boolean[]; trippedGuards: string[] }> {
  const held = jobs.map(() => false);
  const trippedGuards: string[] = [];
  // Sorted: two writes locking the rows of several instances take them in the same order (no deadlock).
  const groups = [...guardedByInstance(jobs)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [instanceId, guarded] of groups) {
    await client.query('INSERT INTO deprovision_guards (tenant, instance_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [tenant, instanceId]);
    const { rows } = await client.query<GuardRow>(
      'SELECT tripped_at, counting_since FROM deprovision_guards WHERE tenant = $1 AND instance_id = $2 FOR UPDATE',
      [tenant, instanceId],
    );
    const row = rows[0];
    const counts = isTripped(row)
      ? undefined
      : await guardCounts(client, tenant, instanceId, guarded.guard, countingFrom(row, guarded.guard, now));
    if (holdGuarded(jobs, guarded, counts, held)) {
      await client.query('UPDATE deprovision_guards SET tripped_at = $3 WHERE tenant = $1 AND instance_id = $2', [
        tenant,
        instanceId,
        new Date(now).toISOString(),
      ]);
      trippedGuards.push(instanceId);
    }
  }
  return { held, trippedGuards };
}

/** The guarded jobs recorded since `since`, and (when the guard has a share) the instance's linked, active users. */
async function guardCounts(client: Queryable, tenant: string, instanceId: string, guard: JobGuard, since: string): Promise<GuardCounts> {
  const count = async (text: string, values: unknown[]) => Number((await client.query<{ n: string }>(text, values)).rows[0].n);
  const counted = await count(
    `SELECT count(*) AS n FROM jobs WHERE tenant = $1 AND instance_id = $2 AND guard_counted AND created_at > $3 AND status NOT IN ('held', 'discarded')`,
    [tenant, instanceId, since],
  );
  const linked =
    guard.maxPercent === undefined
      ? 0
      : await count(
          `SELECT count(*) AS n FROM links WHERE tenant = $1 AND instance_id = $2 AND entity_type = 'user' AND remote_id IS NOT NULL
             AND status <> 'deprovisioned' AND remote_active IS DISTINCT FROM false`,
          [tenant, instanceId],
        );
  return { counted, linked };
}

export async function guardState(db: Queryable, tenant: string, instanceId: string): Promise<DeprovisionGuardState> {
  const { rows } = await db.query<GuardRow>(
    'SELECT tripped_at, counting_since FROM deprovision_guards WHERE tenant = $1 AND instance_id = $2',
    [tenant, instanceId],
  );
  return guardStateOf(instanceId, rows[0]);
}

/** Locks the guard row and resets it: not tripped, counting from `at`. */
export async function resetGuard(client: Queryable, tenant: string, instanceId: string, at: string): Promise<void> {
  await client.query(
    `INSERT INTO deprovision_guards (tenant, instance_id, tripped_at, counting_since) VALUES ($1, $2, NULL, $3)
     ON CONFLICT (tenant, instance_id) DO UPDATE SET tripped_at = NULL, counting_since = excluded.counting_since`,
    [tenant, instanceId, at],
  );
}
