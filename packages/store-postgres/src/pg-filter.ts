import { SCIM_DATE_TIME, SCIM_GROUP_SCHEMA, SCIM_USER_SCHEMA, type AttrPath, type CompareFilter, type FilterNode } from '@provisio/core';
import { param, raw, sql, type Sql } from './sql-text.js';

/**
 * Translates a SCIM filter AST to a PostgreSQL condition over the indexed columns
 * of `t` (users or groups) and EXISTS over their index tables, with exactly the
 * meaning of core's `matchesFilter`. What SQL cannot say yields `undefined`;
 * under `and` the other side still narrows the rows (`exact: false`) and the
 * caller finishes with `matchesFilter`.
 */
export interface Condition {
  sql: Sql;
  /** true: the SQL alone decides; false: a superset, to be checked with matchesFilter. */
  exact: boolean;
}

type ValueKind = 'text' | 'date' | 'bool';

interface Column {
  /** What filters compare (for dates: epoch ms). */
  expr: string;
  kind: ValueKind;
  /** What sortBy orders by, when not `expr` (dates sort as SCIM sorts their text). */
  sortExpr?: string;
  /** false: compared case-insensitively, the column holds the value lower-cased. */
  caseExact?: boolean;
  /** Never NULL (so `ne` needs no NULL arm and `pr` is always true). */
  always?: boolean;
  /** No two rows share a value: a sort needs no insertion-order tie-breaker (and can walk the index). */
  unique?: boolean;
}

/** A multi-valued attribute kept in an index table: `EXISTS (SELECT 1 FROM <from> WHERE <key> = t.id AND ...)`. */
interface MultiValued {
  from: string;
  key: string;
  /** `attr pr`: some value is present. */
  present: string;
  /** Sub-attributes by lower-case name; `value` answers a direct comparison of the attribute. */
  subs: Record<string, Column>;
}

export interface EntityTable {
  name: 'users' | 'groups';
  schema: string;
  columns: Record<string, Column>;
  /** Sort keys kept in a column of their own (e.g. the primary email). */
  sortOnly: Record<string, string>;
  multiValued: Record<string, MultiValued>;
}

export const USER_TABLE: EntityTable = {
  name: 'users',
  schema: SCIM_USER_SCHEMA.toLowerCase(),
  columns: {
    id: { expr: 't.id', kind: 'text', caseExact: true, always: true, unique: true },
    username: { expr: 't.user_name_lower', kind: 'text', always: true, unique: true },
    externalid: { expr: 't.external_id', kind: 'text', caseExact: true },
    displayname: { expr: 't.display_name_lower', kind: 'text' },
    active: { expr: 't.active', kind: 'bool', always: true },
    'meta.created': { expr: 't.created_ms', sortExpr: 't.created_at', kind: 'date', always: true },
    'meta.lastmodified': { expr: 't.updated_ms', sortExpr: 't.updated_at', kind: 'date', always: true },
  },
  sortOnly: { emails: 't.email_sort', 'emails.value': 't.email_sort' },
  multiValued: {
    emails: {
      from: 'user_emails s',
      key: 's.user_id',
      present: 's.present',
      subs: { value: { expr: 's.value_lower', kind: 'text' }, type: { expr: 's.type_lower', kind: 'text' }, primary: { expr: 's.is_primary', kind: 'bool' } },
    },
    // The derived `groups` of the user view: one value per group that lists the user as a member.
    groups: {
      from: 'group_members s JOIN groups g ON g.id = s.group_id',
      key: 's.member_id',
      present: 'TRUE',
      subs: { value: { expr: 'g.id_lower', kind: 'text', always: true }, display: { expr: 'g.display_name_lower', kind: 'text', always: true } },
    },
  },
};

export const GROUP_TABLE: EntityTable = {
  name: 'groups',
  schema: SCIM_GROUP_SCHEMA.toLowerCase(),
  columns: {
    id: { expr: 't.id', kind: 'text', caseExact: true, always: true, unique: true },
    externalid: { expr: 't.external_id', kind: 'text', caseExact: true },
    displayname: { expr: 't.display_name_lower', kind: 'text', always: true },
    'meta.created': { expr: 't.created_ms', sortExpr: 't.created_at', kind: 'date', always: true },
    'meta.lastmodified': { expr: 't.updated_ms', sortExpr: 't.updated_at', kind: 'date', always: true },
  },
  sortOnly: {},
  multiValued: {
    members: {
      from: 'group_members s',
      key: 's.group_id',
      present: "(s.member_id <> '' OR s.display <> '' OR s.type <> '')",
      subs: { value: { expr: 's.member_id_lower', kind: 'text', always: true }, type: { expr: 's.type_lower', kind: 'text' }, display: { expr: 's.display_lower', kind: 'text' } },
    },
  },
};

const TRUE: Condition = { sql: raw('TRUE'), exact: true };
const FALSE: Condition = { sql: raw('FALSE'), exact: true };

const exact = (statement: Sql): Condition => ({ sql: statement, exact: true });

export function translateFilter(node: FilterNode, table: EntityTable): Condition | undefined {
  switch (node.kind) {
    case 'and': {
      const left = translateFilter(node.left, table);
      const right = translateFilter(node.right, table);
      if (!left || !right) {
        const one = left ?? right;
        return one && { ...one, exact: false };
      }
      return { sql: sql`(${left.sql}) AND (${right.sql})`, exact: left.exact && right.exact };
    }
    case 'or': {
      const left = translateFilter(node.left, table);
      const right = translateFilter(node.right, table);
      if (!left || !right) return undefined;
      return { sql: sql`(${left.sql}) OR (${right.sql})`, exact: left.exact && right.exact };
    }
    case 'not': {
      const inner = translateFilter(node.filter, table);
      // coalesce: a comparison with NULL is unknown in SQL, but simply false in SCIM.
      return inner?.exact ? exact(sql`NOT coalesce((${inner.sql}), FALSE)`) : undefined;
    }
    case 'present':
    case 'compare':
      return translateLeaf(node, table);
    case 'valuePath': {
      const multi = coreAttribute(node.path, table) && node.path.subAttribute === undefined ? table.multiValued[node.path.attribute.toLowerCase()] : undefined;
      const inner = multi && translateElement(node.filter, multi);
      return inner && exists(multi, inner.sql);
    }
  }
}

/** The expression to ORDER BY for `sortBy`, or undefined when the store must sort in memory. */
export function sortColumn(path: AttrPath, table: EntityTable): { expr: string; unique: boolean } | undefined {
  if (!coreAttribute(path, table)) return undefined;
  const name = localName(path);
  const column = table.columns[name];
  if (column) return { expr: column.sortExpr ?? column.expr, unique: column.unique === true };
  const only = table.sortOnly[name];
  return only === undefined ? undefined : { expr: only, unique: false };
}

function coreAttribute(path: AttrPath, table: EntityTable): boolean {
  return path.schema === undefined || path.schema.toLowerCase() === table.schema;
}

function localName(path: AttrPath): string {
  return (path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`).toLowerCase();
}

function exists(multi: MultiValued, condition: Sql, negate = false): Condition {
  return exact(sql`${raw(negate ? 'NOT EXISTS' : 'EXISTS')} (SELECT 1 FROM ${raw(multi.from)} WHERE ${raw(multi.key)} = t.id AND (${condition}))`);
}

function translateLeaf(node: CompareFilter | { kind: 'present'; path: AttrPath }, table: EntityTable): Condition | undefined {
  if (!coreAttribute(node.path, table)) return undefined;
  const column = table.columns[localName(node.path)];
  if (column) return node.kind === 'present' ? present(column) : compare(column, node.op, node.value);
  const multi = table.multiValued[node.path.attribute.toLowerCase()];
  const sub = multi?.subs[(node.path.subAttribute ?? 'value').toLowerCase()];
  if (!multi || !sub) return undefined;
  if (node.kind === 'present') return exists(multi, node.path.subAttribute === undefined ? raw(multi.present) : present(sub).sql);
  // Multi-valued: `ne` means no value equals; `eq null` means no value at all.
  if (node.value === null) return node.op === 'eq' ? exists(multi, present(sub, true).sql, true) : node.op === 'ne' ? exists(multi, present(sub, true).sql) : FALSE;
  if (node.op === 'ne') {
    const eq = compare(sub, 'eq', node.value);
    return eq && (eq === FALSE ? TRUE : exists(multi, eq.sql, true));
  }
  const condition = compare(sub, node.op, node.value);
  return condition && (condition === FALSE ? FALSE : exists(multi, condition.sql));
}

/** A filter on one value of a multi-valued attribute (inside `emails[...]`). */
function translateElement(node: FilterNode, multi: MultiValued): Condition | undefined {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const left = translateElement(node.left, multi);
      const right = translateElement(node.right, multi);
      return left && right ? exact(sql`(${left.sql}) ${raw(node.kind.toUpperCase())} (${right.sql})`) : undefined;
    }
    case 'not': {
      const inner = translateElement(node.filter, multi);
      return inner && exact(sql`NOT coalesce((${inner.sql}), FALSE)`);
    }
    case 'valuePath':
      return undefined;
    default: {
      if (node.path.schema !== undefined || node.path.subAttribute !== undefined) return undefined;
      const column = multi.subs[node.path.attribute.toLowerCase()];
      if (!column) return undefined;
      return node.kind === 'present' ? present(column) : compare(column, node.op, node.value);
    }
  }
}

/** `pr` (`anyValue`: `eq null` is "not any value", where "" counts as a value). */
function present(column: Column, anyValue = false): Condition {
  if (column.always) return TRUE;
  const c = raw(column.expr);
  if (anyValue || column.kind !== 'text') return exact(sql`${c} IS NOT NULL`);
  return exact(sql`(${c} IS NOT NULL AND ${c} <> '')`);
}

function compare(column: Column, op: CompareFilter['op'], value: CompareFilter['value']): Condition | undefined {
  const c = raw(column.expr);
  if (value === null) {
    if (op === 'eq') return column.always ? FALSE : exact(sql`${c} IS NULL`);
    return op === 'ne' ? present(column, true) : FALSE;
  }
  if (column.kind === 'bool') return compareBoolean(column, op, value);
  // PostgreSQL text cannot hold NUL: such a value is left to matchesFilter rather than sent.
  if (typeof value !== 'string' || value.includes('\u0000')) return undefined;
  if (column.kind === 'date') {
    const time = SCIM_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(time) || op === 'co' || op === 'sw' || op === 'ew') return undefined;
    return ordered(column, op, time);
  }
  // A date-like value compares chronologically with date-like attribute values: leave that to matchesFilter.
  if (SCIM_DATE_TIME.test(value)) return undefined;
  const v = column.caseExact ? value : value.toLowerCase();
  const escaped = v.replace(/[\\%_]/g, (ch) => `\\${ch}`);
  switch (op) {
    case 'co':
      return exact(sql`${c} LIKE ${param(`%${escaped}%`)}`);
    case 'sw':
      // A "C" btree serves a left-anchored LIKE.
      return exact(sql`${c} LIKE ${param(`${escaped}%`)}`);
    case 'ew':
      return exact(sql`${c} LIKE ${param(`%${escaped}`)}`);
    default:
      return ordered(column, op, v);
  }
}

function ordered(column: Column, op: CompareFilter['op'], v: string | number): Condition {
  const c = raw(column.expr);
  if (op === 'ne') return exact(column.always ? sql`${c} <> ${param(v)}` : sql`(${c} IS NULL OR ${c} <> ${param(v)})`);
  const sqlOp = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' }[op as 'eq' | 'gt' | 'ge' | 'lt' | 'le'];
  return exact(sql`${c} ${raw(sqlOp)} ${param(v)}`);
}

function compareBoolean(column: Column, op: CompareFilter['op'], value: string | number | boolean): Condition | undefined {
  const wanted = typeof value === 'boolean' ? value : typeof value === 'string' ? ({ true: true, false: false } as Record<string, boolean>)[value.trim().toLowerCase()] : undefined;
  if (typeof value === 'string' && !column.always) return undefined; // a stored string "True" vs a string filter value compares as text
  if (op !== 'eq' && op !== 'ne') return op === 'co' || op === 'sw' || op === 'ew' || typeof value === 'number' ? undefined : FALSE;
  if (wanted === undefined) return op === 'eq' ? FALSE : present(column, true);
  const c = raw(column.expr);
  if (op === 'eq') return exact(sql`${c} = ${param(wanted)}`);
  return exact(column.always ? sql`${c} <> ${param(wanted)}` : sql`(${c} IS NULL OR ${c} <> ${param(wanted)})`);
}
