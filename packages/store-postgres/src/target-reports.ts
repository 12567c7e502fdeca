import type { TargetReportKind, TargetReportRecord } from '@provisio/core/engine';
import type { Queryable } from './queryable.js';

/** Version 3: reports of runs that read a target (import now, reconcile later), one JSON row each. */
export const TARGET_REPORTS_SCHEMA: readonly string[] = [
  `CREATE TABLE target_reports (
    id text PRIMARY KEY,
    instance_id text NOT NULL,
    kind text NOT NULL,
    started_at text NOT NULL,
    body jsonb NOT NULL
  )`,
  `CREATE INDEX target_reports_instance ON target_reports (instance_id, kind, started_at)`,
];

/** A tenant's reports: insert or replace by id within the tenant. */
export async function saveTargetReport(db: Queryable, tenant: string, report: TargetReportRecord): Promise<void> {
  await db.query(
    `INSERT INTO target_reports (tenant, id, instance_id, kind, started_at, body) VALUES ($6, $1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (tenant, id) DO UPDATE SET body = EXCLUDED.body`,
    [report.id, report.instanceId, report.kind, report.startedAt, JSON.stringify(report), tenant],
  );
}

export async function getTargetReport(db: Queryable, tenant: string, id: string): Promise<TargetReportRecord | undefined> {
  const { rows } = await db.query<{ body: TargetReportRecord }>('SELECT body FROM target_reports WHERE tenant = $1 AND id = $2', [
    tenant,
    id,
  ]);
  return rows[0]?.body;
}

export async function listTargetReports(
  db: Queryable,
  tenant: string,
  filter: { instanceId: string; kind?: TargetReportKind; limit?: number },
): Promise<TargetReportRecord[]> {
  const { rows } = await db.query<{ body: TargetReportRecord }>(
    `SELECT body FROM target_reports WHERE tenant = $4 AND instance_id = $1 AND ($2::text IS NULL OR kind = $2)
     ORDER BY started_at DESC, id DESC LIMIT $3`,
    [filter.instanceId, filter.kind ?? null, filter.limit ?? 100, tenant],
  );
  return rows.map((row) => row.body);
}
