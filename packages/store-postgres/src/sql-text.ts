// The SQL builder lives in @provisio/store-sql, shared with the SQLite store.
export { param, raw, render, sql, type Sql } from '@provisio/store-sql';
