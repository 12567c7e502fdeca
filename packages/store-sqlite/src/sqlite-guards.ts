import {
  decideHeld,
  guardAllowance,
  guardedByInstance,
  type AuditEntry,
  type DeprovisionGuardState,
  type GuardDecision,
  type NewJob,
} from '@provisio/core/engine';
import type { SqliteAudit } from './sqlite-audit.js';
import type { StatementCache } from './sqlite-statements.js';

interface GuardRow {
  instance_id: string;
  tripped_at: string | null;
  counting_since: string | null;
}

/**
 * The accidental-deletion guard in SQLite: one row per instance (tripped since, counting since),
 * decided inside the write's transaction. One process owns the file, so the transaction is the lock.
 */
export class SqliteGuards {
  constructor(
    private readonly statements: StatementCache,
    private readonly audit: SqliteAudit,
  ) {}

  /** Which jobs of one write are held; trips the guards it must. Inside the caller's transaction. */
  decide(jobs: readonly NewJob[], now: number): { held: boolean[]; trippedGuards: string[] } {
    const held = jobs.map(() => false);
    const trippedGuards: string[] = [];
    const at = new Date(now).toISOString();
    for (const [instanceId, { guard, indexes }] of guardedByInstance(jobs)) {
      const row = this.row(instanceId);
      const tripped = row?.tripped_at != null;
      let counted = 0;
      let allowance = Number.POSITIVE_INFINITY;
      if (!tripped) {
        const windowStart = new Date(now - guard.windowMs).toISOString();
        const since = row?.counting_since && row.counting_since > windowStart ? row.counting_since : windowStart;
        counted = (
          this.stmt(
            `SELECT COUNT(*) AS n FROM jobs WHERE instance_id = ? AND guard_counted = 1 AND created_at > ? AND status NOT IN ('held', 'discarded')`,
          ).get(instanceId, since) as { n: number }
        ).n;
        const linked =
          guard.maxPercent === undefined
            ? 0
            : (
                this.stmt(
                  `SELECT COUNT(*) AS n FROM links WHERE instance_id = ? AND entity_type = 'user' AND remote_id IS NOT NULL
                     AND status <> 'deprovisioned' AND (remote_active IS NULL OR remote_active <> 0)`,
                ).get(instanceId) as { n: number }
              ).n;
        allowance = guardAllowance(guard, linked);
      }
      const decision = decideHeld(
        indexes.map((i) => jobs[i]),
        { tripped, counted, allowance },
      );
      decision.held.forEach((isHeld, k) => (held[indexes[k]] = isHeld));
      if (decision.trips) {
        this.stmt(
          `INSERT INTO deprovision_guards (instance_id, tripped_at) VALUES (?, ?) ON CONFLICT(instance_id) DO UPDATE SET tripped_at = excluded.tripped_at`,
        ).run(instanceId, at);
        trippedGuards.push(instanceId);
      }
    }
    return { held, trippedGuards };
  }

  state(instanceId: string): DeprovisionGuardState {
    const row = this.row(instanceId);
    return {
      instanceId,
      tripped: row?.tripped_at != null,
      ...(row?.tripped_at ? { trippedAt: row.tripped_at } : {}),
      ...(row?.counting_since ? { countingSince: row.counting_since } : {}),
    };
  }

  /** Release or discard every held job of the instance, reset the guard; inside the caller's transaction. */
  resolve(instanceId: string, decision: GuardDecision, now: number, audit: AuditEntry): number {
    const at = new Date(now).toISOString();
    const { changes } =
      decision === 'release'
        ? this.stmt(`UPDATE jobs SET status = 'pending', run_at = ?, updated_at = ? WHERE instance_id = ? AND status = 'held'`).run(
            now,
            at,
            instanceId,
          )
        : this.stmt(`UPDATE jobs SET status = 'discarded', updated_at = ? WHERE instance_id = ? AND status = 'held'`).run(at, instanceId);
    this.stmt(
      `INSERT INTO deprovision_guards (instance_id, tripped_at, counting_since) VALUES (?, NULL, ?)
       ON CONFLICT(instance_id) DO UPDATE SET tripped_at = NULL, counting_since = excluded.counting_since`,
    ).run(instanceId, at);
    this.audit.append({ ...audit, details: { ...audit.details, jobs: changes } });
    return changes;
  }

  private row(instanceId: string): GuardRow | undefined {
    return this.stmt('SELECT * FROM deprovision_guards WHERE instance_id = ?').get(instanceId) as GuardRow | undefined;
  }

  private stmt(sql: string) {
    return this.statements.get(sql);
  }
}
