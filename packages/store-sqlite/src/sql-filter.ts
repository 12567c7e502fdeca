import { SCIM_DATE_TIME, SCIM_GROUP_SCHEMA, SCIM_USER_SCHEMA, type AttrPath, type CompareFilter, type FilterNode } from '@provisio/core';

/**
 * Translates a SCIM filter AST to SQL over indexed columns and side tables, with
 * exactly the meaning of core's `matchesFilter` (the store contract checks both).
 * What cannot be said in SQL yields `undefined`; under `and` the other side still
 * narrows the rows (`exact: false`) and the store finishes with `matchesFilter`.
 */
export interface SqlFragment {
  sql: string;
  params: (string | number)[];
  /** true: the SQL alone decides; false: a superset, to be checked with matchesFilter. */
  exact: boolean;
}

type ValueKind = 'text' | 'date' | 'bool';

interface Column {
  expr: string;
  kind: ValueKind;
  /** false: compared case-insensitively, the column holds the value lower-cased. */
  caseExact?: boolean;
  /** Never NULL (so `ne` needs no NULL arm and `pr` is always true). */
  always?: boolean;
}

/** A multi-valued attribute kept in a side table: `owner IN (SELECT key FROM table WHERE ...)`. */
interface MultiValued {
  table: string;
  key: string;
  /** Sub-attributes by lower-case name; `value` answers a direct comparison of the attribute. */
  subs: Record<string, Column>;
}

export interface EntityTable {
  schema: string;
  columns: Record<string, Column>;
  multiValued: Record<string, MultiValued>;
}

export const USER_TABLE: EntityTable = {
  schema: SCIM_USER_SCHEMA.toLowerCase(),
  columns: {
    id: { expr: 'id', kind: 'text', caseExact: true, always: true },
    username: { expr: 'user_name_lower', kind: 'text', always: true },
    externalid: { expr: 'external_id', kind: 'text', caseExact: true },
    displayname: { expr: 'display_name_lower', kind: 'text' },
    active: { expr: 'active', kind: 'bool', always: true },
    'meta.created': { expr: 'created_at', kind: 'date', always: true },
    'meta.lastmodified': { expr: 'updated_at', kind: 'date', always: true },
  },
  multiValued: {
    emails: {
      table: 'user_emails',
      key: 'user_id',
      subs: { value: { expr: 'value_lower', kind: 'text' }, type: { expr: 'type_lower', kind: 'text' }, primary: { expr: 'is_primary', kind: 'bool' } },
    },
    groups: { table: 'group_members', key: 'member_id', subs: { value: { expr: 'lower(group_id)', kind: 'text' } } },
  },
};

export const GROUP_TABLE: EntityTable = {
  schema: SCIM_GROUP_SCHEMA.toLowerCase(),
  columns: {
    id: { expr: 'id', kind: 'text', caseExact: true, always: true },
    externalid: { expr: 'external_id', kind: 'text', caseExact: true },
    displayname: { expr: 'display_name_lower', kind: 'text', always: true },
    'meta.created': { expr: 'created_at', kind: 'date', always: true },
    'meta.lastmodified': { expr: 'updated_at', kind: 'date', always: true },
  },
  multiValued: {
    members: {
      table: 'group_members',
      key: 'group_id',
      subs: { value: { expr: 'lower(member_id)', kind: 'text' }, type: { expr: 'lower(type)', kind: 'text' }, display: { expr: 'lower(display)', kind: 'text' } },
    },
  },
};

const TRUE: SqlFragment = { sql: '1', params: [], exact: true };
const FALSE: SqlFragment = { sql: '0', params: [], exact: true };

export function translateFilter(node: FilterNode, table: EntityTable): SqlFragment | undefined {
  switch (node.kind) {
    case 'and': {
      const left = translateFilter(node.left, table);
      const right = translateFilter(node.right, table);
      if (!left || !right) {
        const one = left ?? right;
        return one && { ...one, exact: false };
      }
      return { sql: `(${left.sql}) AND (${right.sql})`, params: [...left.params, ...right.params], exact: left.exact && right.exact };
    }
    case 'or': {
      const left = translateFilter(node.left, table);
      const right = translateFilter(node.right, table);
      if (!left || !right) return undefined;
      return { sql: `(${left.sql}) OR (${right.sql})`, params: [...left.params, ...right.params], exact: left.exact && right.exact };
    }
    case 'not': {
      const inner = translateFilter(node.filter, table);
      // IFNULL: a comparison with NULL is unknown in SQL, but simply false in SCIM.
      return inner?.exact ? { sql: `NOT IFNULL((${inner.sql}), 0)`, params: inner.params, exact: true } : undefined;
    }
    case 'present':
    case 'compare':
      return translateLeaf(node, table);
    case 'valuePath': {
      const multi = coreAttribute(node.path, table) && node.path.subAttribute === undefined ? table.multiValued[node.path.attribute.toLowerCase()] : undefined;
      const inner = multi && translateElement(node.filter, multi);
      return inner && { sql: `id IN (SELECT ${multi.key} FROM ${multi.table} WHERE ${inner.sql})`, params: inner.params, exact: true };
    }
  }
}

/** Name of a sortable column for `sortBy`, or undefined when the store must sort in memory. */
export function sortColumn(path: AttrPath, table: EntityTable): string | undefined {
  if (!coreAttribute(path, table)) return undefined;
  return table.columns[localName(path)]?.expr;
}

function coreAttribute(path: AttrPath, table: EntityTable): boolean {
  return path.schema === undefined || path.schema.toLowerCase() === table.schema;
}

function localName(path: AttrPath): string {
  return (path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`).toLowerCase();
}

function translateLeaf(node: CompareFilter | { kind: 'present'; path: AttrPath }, table: EntityTable): SqlFragment | undefined {
  if (!coreAttribute(node.path, table)) return undefined;
  const column = table.columns[localName(node.path)];
  if (column) return node.kind === 'present' ? present(column) : compare(column, node.op, node.value);
  const multi = table.multiValued[node.path.attribute.toLowerCase()];
  const sub = multi?.subs[(node.path.subAttribute ?? 'value').toLowerCase()];
  if (!multi || !sub) return undefined;
  const within = (fragment: SqlFragment, negate = false): SqlFragment => ({
    sql: `id ${negate ? 'NOT IN' : 'IN'} (SELECT ${multi.key} FROM ${multi.table} WHERE ${fragment.sql})`,
    params: fragment.params,
    exact: true,
  });
  if (node.kind === 'present') return node.path.subAttribute === undefined ? within(TRUE) : within(present(sub));
  // Multi-valued: `ne` means no value equals; `eq null` means no value at all.
  if (node.value === null) return node.op === 'eq' ? within(present(sub, true), true) : node.op === 'ne' ? within(present(sub, true)) : FALSE;
  if (node.op === 'ne') {
    const eq = compare(sub, 'eq', node.value);
    return eq && (eq.sql === '0' ? TRUE : within(eq, true));
  }
  const fragment = compare(sub, node.op, node.value);
  return fragment && within(fragment);
}

/** A filter on one value of a multi-valued attribute (inside `emails[...]`). */
function translateElement(node: FilterNode, multi: MultiValued): SqlFragment | undefined {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const left = translateElement(node.left, multi);
      const right = translateElement(node.right, multi);
      return left && right ? { sql: `(${left.sql}) ${node.kind.toUpperCase()} (${right.sql})`, params: [...left.params, ...right.params], exact: true } : undefined;
    }
    case 'not': {
      const inner = translateElement(node.filter, multi);
      return inner && { sql: `NOT IFNULL((${inner.sql}), 0)`, params: inner.params, exact: true };
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

function present(column: Column, anyValue = false): SqlFragment {
  if (column.always) return TRUE;
  if (anyValue || column.kind !== 'text') return { sql: `${column.expr} IS NOT NULL`, params: [], exact: true };
  return { sql: `(${column.expr} IS NOT NULL AND ${column.expr} <> '')`, params: [], exact: true };
}

function compare(column: Column, op: CompareFilter['op'], value: CompareFilter['value']): SqlFragment | undefined {
  const c = column.expr;
  if (value === null) {
    if (op === 'eq') return column.always ? FALSE : { sql: `${c} IS NULL`, params: [], exact: true };
    return op === 'ne' ? present(column, true) : FALSE;
  }
  if (column.kind === 'bool') return compareBoolean(column, op, value);
  if (typeof value !== 'string') return undefined;
  if (column.kind === 'date') {
    const time = SCIM_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(time) || op === 'co' || op === 'sw' || op === 'ew') return undefined;
    return ordered(c, op, new Date(time).toISOString(), column.always === true);
  }
  // A date-like value compares chronologically with date-like attribute values: leave that to matchesFilter.
  if (SCIM_DATE_TIME.test(value)) return undefined;
  const v = column.caseExact ? value : value.toLowerCase();
  if ((op === 'co' || op === 'sw' || op === 'ew') && v === '') return { sql: `${c} IS NOT NULL`, params: [], exact: true };
  switch (op) {
    case 'co':
      return { sql: `instr(${c}, ?) > 0`, params: [v], exact: true };
    case 'sw':
      return { sql: `substr(${c}, 1, length(?)) = ?`, params: [v, v], exact: true };
    case 'ew':
      return { sql: `(length(${c}) >= length(?) AND substr(${c}, -length(?)) = ?)`, params: [v, v, v], exact: true };
    default:
      return ordered(c, op, v, column.always === true);
  }
}

function ordered(c: string, op: CompareFilter['op'], v: string, always: boolean): SqlFragment {
  const sqlOp = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' }[op as 'eq' | 'gt' | 'ge' | 'lt' | 'le'];
  if (op === 'ne') return { sql: always ? `${c} <> ?` : `(${c} IS NULL OR ${c} <> ?)`, params: [v], exact: true };
  return { sql: `${c} ${sqlOp} ?`, params: [v], exact: true };
}

function compareBoolean(column: Column, op: CompareFilter['op'], value: string | number | boolean): SqlFragment | undefined {
  const wanted = typeof value === 'boolean' ? value : typeof value === 'string' ? ({ true: true, false: false } as Record<string, boolean>)[value.trim().toLowerCase()] : undefined;
  if (typeof value === 'string' && !column.always) return undefined; // a stored string "True" vs a string filter value compares as text
  if (op !== 'eq' && op !== 'ne') return op === 'co' || op === 'sw' || op === 'ew' || typeof value === 'number' ? undefined : FALSE;
  if (wanted === undefined) return op === 'eq' ? FALSE : present(column, true);
  const eq: SqlFragment = { sql: `${column.expr} = ?`, params: [wanted ? 1 : 0], exact: true };
  if (op === 'eq') return eq;
  return { sql: column.always ? `${column.expr} <> ?` : `(${column.expr} IS NULL OR ${column.expr} <> ?)`, params: eq.params, exact: true };
}
