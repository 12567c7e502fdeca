import type { MultiValued } from './entity-table.js';
import { param, raw, renderPositional, render, sql, type Sql } from './sql-text.js';

/** What the filter compiler asks of a database: its literals, text matching, value encodings and placeholders. */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  readonly true: Sql;
  readonly false: Sql;
  /** Some row of `multi` owned by `owner` meets `condition` (`negate`: none does). */
  member(multi: MultiValued, owner: string, condition: Sql, negate: boolean): Sql;
  contains(column: Sql, value: string): Sql;
  startsWith(column: Sql, value: string): Sql;
  endsWith(column: Sql, value: string): Sql;
  /** A date's epoch ms as its column holds it. */
  dateValue(ms: number): string | number;
  boolValue(value: boolean): number | boolean;
  /** false: the value cannot be sent (the compiler leaves it to matchesFilter). */
  acceptsText(value: string): boolean;
  render(statement: Sql): { text: string; values: unknown[] };
}

export const SQLITE: SqlDialect = {
  name: 'sqlite',
  true: raw('1'),
  false: raw('0'),
  // IN, not EXISTS: SQLite answers it from the side table's index instead of scanning the owners.
  member: (multi, owner, condition, negate) =>
    sql`${raw(`${owner} ${negate ? 'NOT IN' : 'IN'} (SELECT ${multi.key} FROM ${multi.from} WHERE `)}${condition})`,
  contains: (c, v) => sql`instr(${c}, ${param(v)}) > 0`,
  startsWith: (c, v) => sql`substr(${c}, 1, length(${param(v)})) = ${param(v)}`,
  endsWith: (c, v) => sql`(length(${c}) >= length(${param(v)}) AND substr(${c}, -length(${param(v)})) = ${param(v)})`,
  dateValue: (ms) => new Date(ms).toISOString(),
  boolValue: (value) => (value ? 1 : 0),
  acceptsText: () => true,
  render: renderPositional,
};

/** LIKE with `\` escaping its own wildcards (a "C" btree serves a left-anchored LIKE). */
const likePattern = (prefix: string, value: string, suffix: string) =>
  param(`${prefix}${value.replace(/[\\%_]/g, (ch) => `\\${ch}`)}${suffix}`);

export const POSTGRES: SqlDialect = {
  name: 'postgres',
  true: raw('TRUE'),
  false: raw('FALSE'),
  member: (multi, owner, condition, negate) =>
    sql`${raw(`${negate ? 'NOT EXISTS' : 'EXISTS'} (SELECT 1 FROM ${multi.from} WHERE ${multi.key} = ${owner} AND (`)}${condition}))`,
  contains: (c, v) => sql`${c} LIKE ${likePattern('%', v, '%')}`,
  startsWith: (c, v) => sql`${c} LIKE ${likePattern('', v, '%')}`,
  endsWith: (c, v) => sql`${c} LIKE ${likePattern('%', v, '')}`,
  dateValue: (ms) => ms,
  boolValue: (value) => value,
  // PostgreSQL text cannot hold NUL.
  acceptsText: (value) => !value.includes('\u0000'),
  render: (statement) => render(statement),
};
