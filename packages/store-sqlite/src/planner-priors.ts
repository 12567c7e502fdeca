import type { Database } from 'better-sqlite3';

/** The rows the figures assume a table has (SQLite's own guess for a table it knows nothing of). */
const TABLE_ROWS = 1_000_000;
/** What one tenant holds of a table: the tenant narrows little. */
const TENANT_SHARE = 10;
/** How much each further column of an index narrows. */
const COLUMN_NARROWS = 100;

/**
 * Figures for SQLite's query planner about the indexes that lead with the tenant.
 *
 * Without ANALYZE, SQLite takes the first column of any index to narrow a lookup to about ten rows:
 * for `tenant` that is backwards (one tenant often holds every row), and the planner would walk a
 * tenant's whole index (users by tenant, in rowid order) rather than answer `emails.value eq` from
 * the emails index, or read a group's members through the tenant's memberships. These sqlite_stat1
 * rows say what is true of any such index: a tenant holds a tenth of the rows, each further column
 * narrows a hundredfold, a unique key to one row. They are fixed, so plans do not drift with the
 * data; an index that already has figures (a real ANALYZE) keeps them. Returns the indexes given figures.
 */
export function writePlannerPriors(db: Database): string[] {
  const missing = tenantIndexesWithoutFigures(db);
  if (missing.length === 0) return [];
  db.transaction(() => {
    db.exec('ANALYZE sqlite_schema'); // creates sqlite_stat1 where it is missing (the name is reserved)
    const insert = db.prepare('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)');
    for (const index of missing) insert.run(index.table, index.name, figures(index.columns, index.unique).join(' '));
    db.exec('ANALYZE sqlite_schema'); // makes the planner read the figures now, not at the next open
  })();
  return missing.map((index) => index.name);
}

interface TenantIndex {
  name: string;
  table: string;
  columns: number;
  unique: boolean;
}

function figures(columns: number, unique: boolean): number[] {
  const rows = [TABLE_ROWS, TABLE_ROWS / TENANT_SHARE];
  for (let column = 2; column <= columns; column += 1)
    rows.push(unique && column === columns ? 1 : Math.max(1, rows[rows.length - 1] / COLUMN_NARROWS));
  return rows;
}

function tenantIndexesWithoutFigures(db: Database): TenantIndex[] {
  const hasFigures = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'").get()
    ? new Set((db.prepare('SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL').all() as { idx: string }[]).map((row) => row.idx))
    : new Set<string>();
  const indexes = db.prepare("SELECT name, tbl_name AS tbl FROM sqlite_schema WHERE type = 'index'").all() as {
    name: string;
    tbl: string;
  }[];
  const missing: TenantIndex[] = [];
  for (const { name, tbl } of indexes) {
    if (hasFigures.has(name)) continue;
    const columns = db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(name) as { name: string | null }[];
    if (columns[0]?.name !== 'tenant') continue;
    const { unique } = db.prepare('SELECT "unique" FROM pragma_index_list(?) WHERE name = ?').get(tbl, name) as { unique: number };
    missing.push({ name, table: tbl, columns: columns.length, unique: unique === 1 });
  }
  return missing;
}
