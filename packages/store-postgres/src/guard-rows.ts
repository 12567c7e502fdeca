import { decideHeld, guardAllowance, guardedByInstance, type DeprovisionGuardState, type NewJob } from '@provisio/core/engine';
import type { Queryable } from './queryable.js';

interface GuardRow {
  tripped_at: string | null;
  counting_since: string | null;
}

/**
 * The accidental-deletion guard in PostgreSQL: one row per instance, locked (FOR UPDATE) by the
 * transaction that plans guarded jobs. Every process's commits with deprovisioning jobs for an
 * instance queue on that row, so the count they see includes every committed one before them.
 */
export async function decideGuards(
  client: Queryable,
  jobs: readonly NewJob[],
  now: number,
): Promise<{ held: boolean[]; trippedGuards: string[] }> {
  const held = jobs.map(() => false);
  const trippedGuards: string[] = [];
  // Sorted: two writes locking the rows of several instances take them in the same order (no deadlock).
  const groups = [...guardedByInstance(jobs)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [instanceId, { guard, indexes }] of groups) {
    await client.query('INSERT INTO deprovision_guards (instance_id) VALUES ($1) ON CONFLICT DO NOTHING', [instanceId]);
    const { rows } = await client.query<GuardRow>(
      'SELECT tripped_at, counting_since FROM deprovision_guards WHERE instance_id = $1 FOR UPDATE',
      [instanceId],
    );
    const row = rows[0];
    const tripped = row?.tripped_at != null;
    let counted = 0;
    let allowance = Number.POSITIVE_INFINITY;
    if (!tripped) {
      const windowStart = new Date(now - guard.windowMs).toISOString();
      const since = row?.counting_since && row.counting_since > windowStart ? row.counting_since : windowStart;
      const count = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM jobs WHERE instance_id = $1 AND guard_counted AND created_at > $2 AND status NOT IN ('held', 'discarded')`,
        [instanceId, since],
      );
      counted = Number(count.rows[0].n);
      let linked = 0;
      if (guard.maxPercent !== undefined) {
        const links = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM links WHERE instance_id = $1 AND entity_type = 'user' AND remote_id IS NOT NULL
             AND status <> 'deprovisioned' AND remote_active IS DISTINCT FROM false`,
          [instanceId],
        );
        linked = Number(links.rows[0].n);
      }
      allowance = guardAllowance(guard, linked);
    }
    const decision = decideHeld(
      indexes.map((i) => jobs[i]),
      { tripped, counted, allowance },
    );
    decision.held.forEach((isHeld, k) => (held[indexes[k]] = isHeld));
    if (decision.trips) {
      await client.query('UPDATE deprovision_guards SET tripped_at = $2 WHERE instance_id = $1', [instanceId, new Date(now).toISOString()]);
      trippedGuards.push(instanceId);
    }
  }
  return { held, trippedGuards };
}

export async function guardState(db: Queryable, instanceId: string): Promise<DeprovisionGuardState> {
  const { rows } = await db.query<GuardRow>('SELECT tripped_at, counting_since FROM deprovision_guards WHERE instance_id = $1', [
    instanceId,
  ]);
  const row = rows[0];
  return {
    instanceId,
    tripped: row?.tripped_at != null,
    ...(row?.tripped_at ? { trippedAt: row.tripped_at } : {}),
    ...(row?.counting_since ? { countingSince: row.counting_since } : {}),
  };
}

/** Locks the guard row and resets it: not tripped, counting from `at`. */
export async function resetGuard(client: Queryable, instanceId: string, at: string): Promise<void> {
  await client.query(
    `INSERT INTO deprovision_guards (instance_id, tripped_at, counting_since) VALUES ($1, NULL, $2)
     ON CONFLICT (instance_id) DO UPDATE SET tripped_at = NULL, counting_since = excluded.counting_since`,
    [instanceId, at],
  );
}
