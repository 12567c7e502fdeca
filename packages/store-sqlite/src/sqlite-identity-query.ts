import type { Statement } from 'better-sqlite3';
import { filterMentions, pageBounds, queryInMemory, type IdentityQuery, type QueryPage } from '@provisio/core/engine';
import type { EntityTable } from '@provisio/store-sql';
import { sortColumn, translateFilter } from './sql-filter.js';

export interface QueryTarget<Row, R> {
  /** The tenant whose rows are queried; `table` keeps its side tables to it (see tenantTables). */
  tenant: string;
  table: EntityTable;
  prepare(sql: string): Statement;
  toRecord(row: Row): R;
  /** The resource the filter reads (the outside view); `withGroups` when the filter reads derived `groups`. */
  document(record: R, withGroups: boolean): object;
}

/**
 * Runs a SCIM list query in SQLite. Fully translatable filters and sorts run as one
 * indexed SELECT with LIMIT/OFFSET and a COUNT; anything else narrows the rows in
 * SQL as far as it can and finishes with core's in-memory semantics.
 */
export function runIdentityQuery<Row, R>(target: QueryTarget<Row, R>, query: IdentityQuery): QueryPage<R> {
  const where = query.filter ? translateFilter(query.filter, target.table) : { sql: '1', params: [], exact: true };
  const sort = query.sortBy ? sortColumn(query.sortBy, target.table) : undefined;
  const condition = where?.sql ?? '1';
  // Every index that answers a filter of users and groups leads with the tenant.
  const sql = `tenant = ? AND (${condition})`;
  const params = [target.tenant, ...(where?.params ?? [])];
  // Nothing to narrow by: walk the table itself in rowid (insertion) order, keeping the tenant's rows, and stop
  // at the page's end. The planner would read them all through (tenant, id) and sort; a (tenant) index that keeps
  // them in order would cost every write of every tenant a page of its own (migration 13).
  const from = condition === '1' ? `${target.table.name} NOT INDEXED` : target.table.name;
  const { offset, limit } = pageBounds(query);
  if (where?.exact && (!query.sortBy || sort)) {
    const descending = query.sortOrder === 'descending' ? ' DESC' : '';
    // Absent values last when ascending (reversed when descending), ties in insertion (rowid) order.
    const order = sort ? `(${sort.expr} IS NULL)${descending}, ${sort.expr}${descending}, rowid` : 'rowid';
    // The LIMIT is written into the statement, not bound: SQLite runs a statement whose LIMIT is a bound
    // parameter several times slower (16 µs against 3 µs for a lookup by userName). Clients ask for few sizes.
    const rows = target
      .prepare(`SELECT * FROM ${from} WHERE ${sql} ORDER BY ${order} LIMIT ${limitLiteral(limit)} OFFSET ?`)
      .all(...params, offset) as Row[];
    const complete = offset === 0 && (limit === undefined || rows.length < limit);
    const totalResults = complete
      ? rows.length
      : (target.prepare(`SELECT count(*) AS n FROM ${target.table.name} WHERE ${sql}`).get(...params) as { n: number }).n;
    return { totalResults, records: rows.map((row) => target.toRecord(row)) };
  }
  const withGroups = filterMentions(query.filter, 'groups') || query.sortBy?.attribute.toLowerCase() === 'groups';
  const candidates = function* () {
    for (const row of target.prepare(`SELECT * FROM ${from} WHERE ${sql} ORDER BY rowid`).iterate(...params) as Iterable<Row>)
      yield target.toRecord(row);
  };
  const records = [...candidates()];
  return queryInMemory(records, (record) => target.document(record, withGroups), where?.exact ? { ...query, filter: undefined } : query);
}

/** A page size as SQL text: a whole number (pageBounds floors it), or -1 for no limit. */
function limitLiteral(limit: number | undefined): string {
  if (limit === undefined) return '-1';
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`page size ${limit} is not a whole number`);
  return String(limit);
}
