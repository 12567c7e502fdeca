import {
  guardedByInstance,
  type AuditEntry,
  type DeprovisionGuardState,
  type GuardDecision,
  type JobGuard,
  type NewJob,
} from '@provisio/core/engine';
import { countingFrom, guardStateOf, holdGuarded, isTripped, type GuardCounts, type GuardRow } from '@provisio/store-sql';
import type { SqliteAudit } from './sqlite-audit.js';
import type { StatementCache } from './sqlite-statements.js';

/**
 * The accidental-deletion guard in SQLite: one row per (tenant, instance) (tripped since, counting since),
 * decided inside the write's transaction. One process owns the file, so the transaction is the lock.
 */
export class SqliteGuards {
  constructor(
    private readonly statements: StatementCache,
    private readonly tenant: string,
    private readonly audit: SqliteAudit,
  ) {}

  /** Which jobs of one write are held; trips the guards it must. Inside the caller's transaction. */
  decide(jobs: readonly NewJob[], now: number): { held: boolean[]; trippedGuards: string[] } {
    const held = jobs.map(() => false);
    const trippedGuards: string[] = [];
    const at = new Date(now).toISOString();
    for (const [instanceId, guarded] of guardedByInstance(jobs)) {
      const row = this.row(instanceId);
      const counts = isTripped(row) ? undefined : this.counts(instanceId, guarded.guard, countingFrom(row, guarded.guard, now));
      if (holdGuarded(jobs, guarded, counts, held)) {
        this.stmt(
          `INSERT INTO deprovision_guards (tenant, instance_id, tripped_at) VALUES (?, ?, ?)
           ON CONFLICT(tenant, instance_id) DO UPDATE SET tripped_at = excluded.tripped_at`,
        ).run(this.tenant, instanceId, at);
        trippedGuards.push(instanceId);
      }
    }
    return { held, trippedGuards };
  }

  /** The guarded jobs recorded since `since`, and (when the guard has a share) the instance's linked, active users. */
  private counts(instanceId: string, guard: JobGuard, since: string): GuardCounts {
    const count = (sql: string, ...params: unknown[]) => (this.stmt(sql).get(...params) as { n: number }).n;
    const counted = count(
      `SELECT COUNT(*) AS n FROM jobs WHERE tenant = ? AND instance_id = ? AND guard_counted = 1 AND created_at > ? AND status NOT IN ('held', 'discarded')`,
      this.tenant,
      instanceId,
      since,
    );
    const linked =
      guard.maxPercent === undefined
        ? 0
        : count(
            `SELECT COUNT(*) AS n FROM links WHERE tenant = ? AND instance_id = ? AND entity_type = 'user' AND remote_id IS NOT NULL
               AND status <> 'deprovisioned' AND (remote_active IS NULL OR remote_active <> 0)`,
            this.tenant,
            instanceId,
          );
    return { counted, linked };
  }

  state(instanceId: string): DeprovisionGuardState {
    return guardStateOf(instanceId, this.row(instanceId));
  }

  /** Release or discard every held job of the instance, reset the guard; inside the caller's transaction. */
  resolve(instanceId: string, decision: GuardDecision, now: number, audit: AuditEntry): number {
    const at = new Date(now).toISOString();
    const { changes } =
      decision === 'release'
        ? this.stmt(
            `UPDATE jobs SET status = 'pending', run_at = ?, updated_at = ? WHERE tenant = ? AND instance_id = ? AND status = 'held'`,
          ).run(now, at, this.tenant, instanceId)
        : this.stmt(`UPDATE jobs SET status = 'discarded', updated_at = ? WHERE tenant = ? AND instance_id = ? AND status = 'held'`).run(
            at,
            this.tenant,
            instanceId,
          );
    this.stmt(
      `INSERT INTO deprovision_guards (tenant, instance_id, tripped_at, counting_since) VALUES (?, ?, NULL, ?)
       ON CONFLICT(tenant, instance_id) DO UPDATE SET tripped_at = NULL, counting_since = excluded.counting_since`,
    ).run(this.tenant, instanceId, at);
    this.audit.append({ ...audit, details: { ...audit.details, jobs: changes } });
    return changes;
  }

  private row(instanceId: string): GuardRow | undefined {
    return this.stmt('SELECT * FROM deprovision_guards WHERE tenant = ? AND instance_id = ?').get(this.tenant, instanceId) as
      GuardRow | undefined;
  }

  private stmt(sql: string) {
    return this.statements.get(sql);
  }
}
