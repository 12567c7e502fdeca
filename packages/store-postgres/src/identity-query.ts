import { filterMentions, matchesFilter, pageBounds, queryInMemory, type IdentityQuery, type QueryPage } from '@provisio/core/engine';
import type { Queryable } from './queryable.js';
import type { EntityTable } from '@provisio/store-sql';
import { sortColumn, translateFilter } from './pg-filter.js';
import { param, raw, render, sql, type Sql } from './sql-text.js';

export interface QueryTarget<Row, R> {
  table: EntityTable;
  /** What every row of the query meets besides the filter (its tenant), over the alias `t`. */
  scope: Sql;
  /** Column list of the SELECT over the alias `t`. */
  columns: string;
  toRecord(row: Row): R;
  /** The resources the filter and sort read (the outside view), for a batch of records; `withGroups` when they read derived `groups`. */
  documents(records: readonly R[], withGroups: boolean): Promise<object[]>;
}

/** Rows read per round trip when the filter or sort has to be finished in memory. */
const BATCH = 1000;

/**
 * Runs a SCIM list query. A filter and sort that translate fully run as one
 * indexed SELECT with LIMIT/OFFSET (plus a COUNT when the page does not show the
 * total). Anything else narrows the rows in SQL as far as it can, reads them in
 * insertion order in batches (keeping only matches) and finishes with core's
 * in-memory semantics. Over a Pool, the page and the count are two statements and
 * need not see the same snapshot; pass a client in a transaction when that matters.
 */
export async function runIdentityQuery<Row extends object, R extends object>(
  db: Queryable,
  target: QueryTarget<Row, R>,
  query: IdentityQuery,
): Promise<QueryPage<R>> {
  const where = query.filter ? translateFilter(query.filter, target.table) : { sql: raw('TRUE'), exact: true };
  const sort = query.sortBy ? sortColumn(query.sortBy, target.table) : undefined;
  const from = raw(`${target.table.name} t`);
  const condition = sql`${target.scope} AND (${where?.sql ?? raw('TRUE')})`;
  if (where?.exact && (!query.sortBy || sort)) {
    const { offset, limit } = pageBounds(query);
    // Absent values last when ascending (first when descending), ties in insertion order.
    const direction = query.sortOrder === 'descending' ? 'DESC NULLS FIRST' : 'ASC NULLS LAST';
    const order = !sort ? 't.seq' : sort.unique ? `${sort.expr} ${direction}` : `${sort.expr} ${direction}, t.seq`;
    let rows: Row[] = [];
    if (limit !== 0) {
      // Clamped: PostgreSQL's LIMIT/OFFSET are bigint, and a client may send startIndex=1e20.
      const [safeOffset, safeLimit] = [
        Math.min(offset, Number.MAX_SAFE_INTEGER),
        limit === undefined ? undefined : Math.min(limit, Number.MAX_SAFE_INTEGER),
      ];
      const page = safeLimit === undefined ? sql`OFFSET ${param(safeOffset)}` : sql`LIMIT ${param(safeLimit)} OFFSET ${param(safeOffset)}`;
      rows = await select<Row>(db, sql`SELECT ${raw(target.columns)} FROM ${from} WHERE ${condition} ORDER BY ${raw(order)} ${page}`);
    }
    // A page that ends before its limit shows where the result ends: no COUNT needed.
    const ended = limit !== 0 && (rows.length > 0 ? limit === undefined || rows.length < limit : offset === 0);
    const totalResults = ended ? offset + rows.length : await count(db, sql`SELECT count(*) AS n FROM ${from} WHERE ${condition}`);
    return { totalResults, records: rows.map((row) => target.toRecord(row)) };
  }
  const withGroups = filterMentions(query.filter, 'groups') || query.sortBy?.attribute.toLowerCase() === 'groups';
  const filter = where?.exact ? undefined : query.filter;
  const matched: { record: R; doc: object }[] = [];
  let after = '0';
  // Keyset over seq: each round trip moves strictly forward, so the loop ends with the table.
  for (;;) {
    const rows = await select<Row & { seq: string }>(
      db,
      sql`SELECT ${raw(target.columns)}, t.seq FROM ${from} WHERE ${condition} AND t.seq > ${param(after)} ORDER BY t.seq LIMIT ${param(BATCH)}`,
    );
    const records = rows.map((row) => target.toRecord(row));
    const docs = await target.documents(records, withGroups);
    records.forEach((record, index) => {
      if (!filter || matchesFilter(docs[index], filter)) matched.push({ record, doc: docs[index] });
    });
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1].seq;
  }
  const docOf = new Map(matched.map((m) => [m.record, m.doc]));
  return queryInMemory(
    matched.map((m) => m.record),
    (record) => docOf.get(record) as object,
    { ...query, filter: undefined },
  );
}

async function select<Row extends object>(db: Queryable, statement: Sql): Promise<Row[]> {
  const { text, values } = render(statement);
  return (await db.query<Row>(text, values)).rows;
}

async function count(db: Queryable, statement: Sql): Promise<number> {
  const [row] = await select<{ n: string }>(db, statement);
  return Number(row.n);
}
