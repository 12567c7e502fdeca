import { SCIM_GROUP_SCHEMA, SCIM_USER_SCHEMA } from '@provisio/core';
import { type AttrPath, type FilterNode } from '@provisio/core/engine';
import { FilterCompiler, SQLITE, type EntityTable, type SortColumn } from '@provisio/store-sql';

/**
 * The SQLite column model of the identity tables for the shared SCIM-filter
 * compiler (@provisio/store-sql), and the compiler's output as SQLite takes it:
 * text with `?` placeholders beside its parameters.
 */
export interface SqlFragment {
  sql: string;
  params: (string | number)[];
  /** true: the SQL alone decides; false: a superset, to be checked with matchesFilter. */
  exact: boolean;
}

/** The columns users and groups have alike. */
const SHARED_COLUMNS: EntityTable['columns'] = {
  id: { expr: 'id', kind: 'text', caseExact: true, always: true },
  externalid: { expr: 'external_id', kind: 'text', caseExact: true },
  'meta.created': { expr: 'created_at', kind: 'date', always: true },
  'meta.lastmodified': { expr: 'updated_at', kind: 'date', always: true },
};

export const USER_TABLE: EntityTable = {
  name: 'users',
  schema: SCIM_USER_SCHEMA.toLowerCase(),
  document: 'resource',
  id: 'id',
  columns: {
    ...SHARED_COLUMNS,
    username: { expr: 'user_name_lower', kind: 'text', always: true },
    displayname: { expr: 'display_name_lower', kind: 'text' },
    active: { expr: 'active', kind: 'bool', always: true },
  },
  multiValued: {
    emails: {
      from: 'user_emails',
      key: 'user_id',
      present: '1',
      subs: {
        value: { expr: 'value_lower', kind: 'text' },
        type: { expr: 'type_lower', kind: 'text' },
        primary: { expr: 'is_primary', kind: 'bool' },
      },
    },
    groups: { from: 'group_members', key: 'member_id', present: '1', subs: { value: { expr: 'lower(group_id)', kind: 'text' } } },
  },
};

export const GROUP_TABLE: EntityTable = {
  name: 'groups',
  schema: SCIM_GROUP_SCHEMA.toLowerCase(),
  document: 'resource',
  id: 'id',
  columns: {
    ...SHARED_COLUMNS,
    displayname: { expr: 'display_name_lower', kind: 'text', always: true },
  },
  multiValued: {
    members: {
      from: 'group_members',
      key: 'group_id',
      present: '1',
      subs: {
        value: { expr: 'lower(member_id)', kind: 'text' },
        type: { expr: 'lower(type)', kind: 'text' },
        display: { expr: 'lower(display)', kind: 'text' },
      },
    },
  },
};

const compiler = new FilterCompiler(SQLITE);

export function translateFilter(node: FilterNode, table: EntityTable): SqlFragment | undefined {
  const condition = compiler.translate(node, table);
  if (!condition) return undefined;
  const { text, values } = SQLITE.render(condition.sql);
  return { sql: text, params: values as SqlFragment['params'], exact: condition.exact };
}

/** What to ORDER BY for `sortBy`, or undefined when the store must sort in memory. */
export function sortColumn(path: AttrPath, table: EntityTable): SortColumn | undefined {
  return compiler.sortColumn(path, table);
}
