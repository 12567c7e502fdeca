import type { FilterNode } from '@provisio/core/engine';
import { FilterCompiler, identityTables, param, sql, SQLITE, type EntityTable } from '@provisio/store-sql';

/**
 * The SQLite spelling of the identity tables (no aliases) for the shared SCIM-filter
 * compiler (@provisio/store-sql), and the compiler's output as SQLite takes it:
 * text with `?` placeholders beside its parameters.
 */
export interface SqlFragment {
  sql: string;
  params: (string | number)[];
  /** true: the SQL alone decides; false: a superset, to be checked with matchesFilter. */
  exact: boolean;
}

const TABLES = identityTables({
  owner: (column) => column,
  side: (column) => column,
  document: 'resource',
  date: (stem) => ({ expr: `${stem}_at` }),
  emails: { from: 'user_emails', present: '1' },
  groups: { from: 'group_members', key: 'member_id', present: '1', subs: { value: { expr: 'lower(group_id)', kind: 'text' } } },
  members: { from: 'group_members', present: '1', lower: (column) => `lower(${column})`, valueAlways: false },
});

/** The users table as the compiler sees it, before a tenant's scope. */
export const USER_TABLE = TABLES.users;

/**
 * The identity tables as one tenant's list queries read them: the side tables (emails, members, a user's
 * groups) are read without their owner row, so each keeps to the tenant itself and walks its tenant-led index.
 */
export function tenantTables(tenant: string): { users: EntityTable; groups: EntityTable } {
  const sideScope = sql`tenant = ${param(tenant)}`;
  return { users: { ...TABLES.users, sideScope }, groups: { ...TABLES.groups, sideScope } };
}

const compiler = new FilterCompiler(SQLITE);

export function translateFilter(node: FilterNode, table: EntityTable): SqlFragment | undefined {
  const condition = compiler.translate(node, table);
  if (!condition) return undefined;
  const { text, values } = SQLITE.render(condition.sql);
  return { sql: text, params: values as SqlFragment['params'], exact: condition.exact };
}

/** What to ORDER BY for `sortBy`, or undefined when the store must sort in memory. */
export const sortColumn = compiler.sortColumn.bind(compiler);
