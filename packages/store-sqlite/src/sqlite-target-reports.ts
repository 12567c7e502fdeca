import type { TargetReportKind, TargetReportRecord } from '@provisio/core/engine';
import type { StatementCache } from './sqlite-statements.js';

/** One tenant's reports of runs that read a target, one JSON row each (import now, reconcile later). */
export class SqliteTargetReports {
  constructor(
    private readonly statements: StatementCache,
    private readonly tenant: string,
  ) {}

  save(report: TargetReportRecord): void {
    this.statements
      .get(
        `INSERT INTO target_reports (tenant, id, instance_id, kind, started_at, body) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(tenant, id) DO UPDATE SET body = excluded.body`,
      )
      .run(this.tenant, report.id, report.instanceId, report.kind, report.startedAt, JSON.stringify(report));
  }

  get(id: string): TargetReportRecord | undefined {
    const row = this.statements.get('SELECT body FROM target_reports WHERE tenant = ? AND id = ?').get(this.tenant, id) as
      { body: string } | undefined;
    return row && (JSON.parse(row.body) as TargetReportRecord);
  }

  list(filter: { instanceId: string; kind?: TargetReportKind; limit?: number }): TargetReportRecord[] {
    const rows = this.statements
      .get(
        `SELECT body FROM target_reports WHERE tenant = ? AND instance_id = ? AND (? IS NULL OR kind = ?)
         ORDER BY started_at DESC, id DESC LIMIT ?`,
      )
      .all(this.tenant, filter.instanceId, filter.kind ?? null, filter.kind ?? null, filter.limit ?? 100) as { body: string }[];
    return rows.map((row) => JSON.parse(row.body) as TargetReportRecord);
  }
}
