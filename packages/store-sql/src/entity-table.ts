import type { Sql } from './sql-text.js';

/**
 * The column model a store describes its identity tables with, for the filter
 * compiler: which SCIM attribute is which column, how it compares, and which
 * multi-valued attributes live in side tables. Expressions are trusted SQL of
 * the store's own schema, never user input.
 */
export type ValueKind = 'text' | 'date' | 'bool';

export interface Column {
  /** What filters compare (for dates: whatever the dialect's `dateValue` encodes). */
  expr: string;
  kind: ValueKind;
  /** What sortBy orders by, when not `expr` (e.g. dates sorted as SCIM sorts their text). */
  sortExpr?: string;
  /** false: compared case-insensitively, the column holds the value lower-cased. */
  caseExact?: boolean;
  /** Never NULL (so `ne` needs no NULL arm and `pr` is always true). */
  always?: boolean;
  /** No two rows share a value: a sort needs no insertion-order tie-breaker (and can walk the index). */
  unique?: boolean;
}

/** A multi-valued attribute kept in a side table, joined to its owner by `key`. */
export interface MultiValued {
  /** The FROM of the side table (a table, an alias, joins). */
  from: string;
  /** The side table's reference to the owner's id. */
  key: string;
  /** `attr pr`: the condition on a side row for "some value is present". */
  present: string;
  /** Sub-attributes by lower-case name; `value` answers a direct comparison of the attribute. */
  subs: Record<string, Column>;
}

export interface EntityTable {
  name: 'users' | 'groups';
  /** The core schema URN, lower-cased: attributes qualified with another schema are not columns. */
  schema: string;
  /** The owner's id, as side-table conditions refer to it (`id`, `t.id`). */
  id: string;
  /** Single-valued attributes by lower-case path (`username`, `meta.created`). */
  columns: Record<string, Column>;
  /** Sort keys kept in a column of their own (e.g. the primary email). */
  sortOnly?: Record<string, string>;
  multiValued: Record<string, MultiValued>;
  /**
   * The stored resource as JSON text: extension attributes (no columns of their own) are
   * narrowed to rows whose text contains the filter value, then checked with matchesFilter.
   */
  document?: string;
  /**
   * A condition every side-table row must meet as well, e.g. `tenant = ?`: a side table is read
   * without its owner row, so it keeps to the owner's partition itself (and its indexes can lead with it).
   * Unqualified column names resolve to the side table.
   */
  sideScope?: Sql;
}
