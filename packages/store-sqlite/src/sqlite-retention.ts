import type { AuditPruneFilter, JobPruneFilter, PrunableSummary } from '@provisio/core/engine';
import type { Database as Db } from 'better-sqlite3';
import type { StatementCache } from './sqlite-statements.js';

/**
 * Jobs of `status` finished before the cutoff. A succeeded job stays while an older
 * failed job of its identity does: retrying that failure looks for newer jobs.
 * (tenant, status, updated_at) is indexed, so the oldest are found from the index's edge.
 */
const PRUNABLE_JOBS = `FROM jobs j WHERE j.tenant = ? AND j.status = ? AND j.updated_at < ?
  AND (j.status <> 'succeeded' OR NOT EXISTS (SELECT 1 FROM jobs f WHERE f.tenant = j.tenant AND f.instance_id = j.instance_id
    AND f.entity_type = j.entity_type AND f.local_id = j.local_id AND f.status = 'failed' AND f.id < j.id))`;

/**
 * Retention on SQLite, of one tenant's rows: each prune is one DELETE of at most `limit` rows by primary key,
 * its own short transaction; the caller pauses between batches so that identity
 * writes (which take the same write lock) never wait long.
 *
 * A prune commits without its own fsync (synchronous NORMAL for that one statement, WAL
 * mode): better-sqlite3 fsyncs on the event loop, and a few milliseconds of fsync per
 * batch was what SCIM writes waited behind. Nothing needs the deletion to be durable:
 * WAL keeps the file consistent, a deletion lost in a power cut is redone by the next
 * run, and the next durable commit (any identity write) syncs these frames with its own.
 */
export class SqliteRetention {
  constructor(
    private readonly statements: StatementCache,
    private readonly db: Db,
    private readonly tenant: string,
    /** The store's own `PRAGMA synchronous` level (1 NORMAL, 2 FULL), restored after each prune. */
    private readonly synchronous: number,
  ) {}

  pruneJobs(filter: JobPruneFilter & { limit: number }): number {
    return this.withoutOwnSync(
      () =>
        this.statements
          .get(`DELETE FROM jobs WHERE id IN (SELECT j.id ${PRUNABLE_JOBS} ORDER BY j.updated_at, j.id LIMIT ?)`)
          .run(this.tenant, filter.status, iso(filter.finishedBefore), filter.limit).changes,
    );
  }

  pruneAudit(filter: AuditPruneFilter & { limit: number }): number {
    return this.withoutOwnSync(
      () =>
        this.statements
          .get('DELETE FROM audit WHERE seq IN (SELECT seq FROM audit WHERE tenant = ? AND at < ? ORDER BY at, seq LIMIT ?)')
          .run(this.tenant, iso(filter.before), filter.limit).changes,
    );
  }

  private withoutOwnSync(prune: () => number): number {
    if (this.synchronous <= 1) return prune();
    this.db.pragma('synchronous = NORMAL');
    try {
      return prune();
    } finally {
      this.db.pragma(`synchronous = ${String(this.synchronous)}`);
    }
  }

  countJobs(filter: JobPruneFilter): PrunableSummary {
    const row = this.statements
      .get(`SELECT COUNT(*) AS n, MIN(j.updated_at) AS oldest, MAX(j.updated_at) AS newest ${PRUNABLE_JOBS}`)
      .get(this.tenant, filter.status, iso(filter.finishedBefore)) as SummaryRow;
    return summary(row);
  }

  countAudit(filter: AuditPruneFilter): PrunableSummary {
    const row = this.statements
      .get('SELECT COUNT(*) AS n, MIN(at) AS oldest, MAX(at) AS newest FROM audit WHERE tenant = ? AND at < ?')
      .get(this.tenant, iso(filter.before)) as SummaryRow;
    return summary(row);
  }
}

interface SummaryRow {
  n: number;
  oldest: string | null;
  newest: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

function summary(row: SummaryRow): PrunableSummary {
  return row.n === 0 ? { count: 0 } : { count: row.n, oldest: row.oldest ?? undefined, newest: row.newest ?? undefined };
}
