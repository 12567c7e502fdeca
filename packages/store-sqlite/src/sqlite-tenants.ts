import type { Database as Db } from 'better-sqlite3';
import type { StatementCache } from './sqlite-statements.js';

/** What tenantsWithData looks at: a tenant with a row in any of these has data. */
const DATA_TABLES = ['users', 'groups', 'links', 'jobs', 'audit', 'target_reports'] as const;

/** Every table with a tenant column, children before their parents. */
const TENANT_TABLES = [
  'user_emails',
  'group_members',
  'users',
  'groups',
  'links',
  'jobs',
  'pending_passwords',
  'audit',
  'target_reports',
  'deprovision_guards',
  'quarantines',
  'schedules',
] as const;

/**
 * The tenants of a file, found by a loose index scan of each table (one index step per tenant, never
 * a walk over every row: each table has an index that leads with the tenant), sorted.
 */
const TENANTS_WITH_DATA = `WITH RECURSIVE ${DATA_TABLES.map(
  (table) =>
    `${table}_t(tenant) AS (SELECT MIN(tenant) FROM ${table}
      UNION ALL SELECT (SELECT MIN(tenant) FROM ${table} WHERE tenant > ${table}_t.tenant) FROM ${table}_t WHERE tenant IS NOT NULL)`,
).join(',\n')}
SELECT tenant FROM (${DATA_TABLES.map((table) => `SELECT tenant FROM ${table}_t`).join(' UNION ')}) WHERE tenant IS NOT NULL ORDER BY tenant`;

/** The store-wide tenant operations: which tenants hold rows, and the removal of one tenant's rows. */
export class SqliteTenants {
  constructor(
    private readonly db: Db,
    private readonly statements: StatementCache,
  ) {}

  withData(): string[] {
    return (this.statements.get(TENANTS_WITH_DATA).all() as { tenant: string }[]).map((row) => row.tenant);
  }

  /** Every row of `tenant`, in one transaction; returns how many identities (users and groups) went. */
  purge(tenant: string): number {
    return this.db
      .transaction(() => {
        const count = (table: 'users' | 'groups') =>
          (this.statements.get(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant = ?`).get(tenant) as { n: number }).n;
        const identities = count('users') + count('groups');
        for (const table of TENANT_TABLES) this.statements.get(`DELETE FROM ${table} WHERE tenant = ?`).run(tenant);
        return identities;
      })
      .immediate();
  }
}
