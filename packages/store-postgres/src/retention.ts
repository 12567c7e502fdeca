import type { AuditPruneFilter, JobPruneFilter, PrunableSummary } from '@provisio/core/engine';
import type { Queryable } from './queryable.js';

/** Indexes the pruner's batches start from (migration 3): finished jobs by status and finish time, audit by time. */
export const RETENTION_SCHEMA: readonly string[] = [
  // Byte order ("C"): ISO timestamps compare as text, and the index serves exactly the comparison the queries make.
  // The primary key last: a batch's ORDER BY (finish time, id) is the index's order, so LIMIT stops after `limit` entries.
  `CREATE INDEX jobs_finished ON jobs (status, updated_at COLLATE "C", id) WHERE status IN ('succeeded', 'superseded', 'failed')`,
  `CREATE INDEX audit_at ON audit (at COLLATE "C", seq)`,
];

/**
 * Jobs of `status` finished before the cutoff. A succeeded job stays while an older
 * failed job of its identity does: retrying that failure looks for newer jobs.
 */
const PRUNABLE_JOBS = `FROM jobs j WHERE j.tenant = $1 AND j.status = $2 AND j.status IN ('succeeded', 'superseded', 'failed') AND j.updated_at COLLATE "C" < $3
  AND (j.status <> 'succeeded' OR NOT EXISTS (SELECT 1 FROM jobs f WHERE f.tenant = j.tenant AND f.local_id = j.local_id AND f.instance_id = j.instance_id
    AND f.entity_type = j.entity_type AND f.status = 'failed' AND f.id < j.id))`;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Retention of one tenant's jobs and audit on PostgreSQL: each prune is one DELETE of at most `limit` rows by primary
 * key, its own transaction (autocommit), so no lock is held for long. Rows another
 * process is deleting at the same moment are skipped (SKIP LOCKED), not waited for:
 * several processes may prune at once and each batch stays short.
 */
export class PostgresRetention {
  constructor(
    private readonly db: Queryable,
    private readonly tenant: string,
  ) {}

  async pruneJobs(filter: JobPruneFilter & { limit: number }): Promise<number> {
    // The batch is chosen once (MATERIALIZED): a subquery of LIMIT and SKIP LOCKED scanned again per row would choose again.
    const { rowCount } = await this.db.query(
      `WITH batch AS MATERIALIZED (SELECT j.id ${PRUNABLE_JOBS} ORDER BY j.updated_at COLLATE "C", j.id LIMIT $4 FOR UPDATE OF j SKIP LOCKED)
       DELETE FROM jobs WHERE tenant = $1 AND id IN (SELECT id FROM batch)`,
      [this.tenant, filter.status, iso(filter.finishedBefore), filter.limit],
    );
    return rowCount ?? 0;
  }

  async pruneAudit(filter: AuditPruneFilter & { limit: number }): Promise<number> {
    const { rowCount } = await this.db.query(
      `WITH batch AS MATERIALIZED (SELECT seq FROM audit WHERE tenant = $1 AND at COLLATE "C" < $2 ORDER BY at COLLATE "C", seq LIMIT $3 FOR UPDATE SKIP LOCKED)
       DELETE FROM audit WHERE tenant = $1 AND seq IN (SELECT seq FROM batch)`,
      [this.tenant, iso(filter.before), filter.limit],
    );
    return rowCount ?? 0;
  }

  async countJobs(filter: JobPruneFilter): Promise<PrunableSummary> {
    const { rows } = await this.db.query<SummaryRow>(
      `SELECT count(*) AS n, min(j.updated_at COLLATE "C") AS oldest, max(j.updated_at COLLATE "C") AS newest ${PRUNABLE_JOBS}`,
      [this.tenant, filter.status, iso(filter.finishedBefore)],
    );
    return summary(rows[0]);
  }

  async countAudit(filter: AuditPruneFilter): Promise<PrunableSummary> {
    const { rows } = await this.db.query<SummaryRow>(
      `SELECT count(*) AS n, min(at COLLATE "C") AS oldest, max(at COLLATE "C") AS newest FROM audit WHERE tenant = $1 AND at COLLATE "C" < $2`,
      [this.tenant, iso(filter.before)],
    );
    return summary(rows[0]);
  }
}

interface SummaryRow {
  n: string;
  oldest: string | null;
  newest: string | null;
}

function summary(row: SummaryRow | undefined): PrunableSummary {
  const count = Number(row?.n ?? 0);
  return count === 0 ? { count: 0 } : { count, oldest: row?.oldest ?? undefined, newest: row?.newest ?? undefined };
}
