import type { Queryable } from './queryable.js';
import { TENANT_TABLES } from './tenant-schema.js';

/** The tables whose rows make a tenant "hold data" (Store.tenantsWithData). */
const HOLDING_TABLES = ['users', 'groups', 'links', 'jobs', 'audit', 'target_reports'] as const;

/**
 * The tenants with rows in any holding table, sorted: per table a skip scan over an index leading
 * with the tenant (one probe per tenant, however many rows each has). Reads every tenant's rows:
 * run it as the owner (see tenant-session.ts), never as the tenant role.
 */
export async function tenantsWithRows(db: Queryable): Promise<string[]> {
  const scans = HOLDING_TABLES.map(
    (table) => `${table}_tenants (tenant) AS (
      SELECT min(tenant) FROM ${table}
      UNION ALL SELECT (SELECT min(tenant) FROM ${table} WHERE tenant > t.tenant) FROM ${table}_tenants t WHERE t.tenant IS NOT NULL)`,
  );
  const union = HOLDING_TABLES.map((table) => `SELECT tenant FROM ${table}_tenants WHERE tenant IS NOT NULL`).join(' UNION ');
  const { rows } = await db.query<{ tenant: string }>(`WITH RECURSIVE ${scans.join(', ')} ${union} ORDER BY tenant`);
  return rows.map((row) => row.tenant);
}

/** Deletes every row of `tenant` from every tenant table (in the caller's transaction); returns how many identities went. */
export async function deleteTenantRows(client: Queryable, tenant: string): Promise<number> {
  let identities = 0;
  // Side tables first: their rows would go with their owners' anyway, this way no cascade is left to do.
  const order = [...TENANT_TABLES].sort((a, b) => Number(a === 'users' || a === 'groups') - Number(b === 'users' || b === 'groups'));
  for (const table of order) {
    const { rowCount } = await client.query(`DELETE FROM ${table} WHERE tenant = $1`, [tenant]);
    if (table === 'users' || table === 'groups') identities += rowCount ?? 0;
  }
  return identities;
}
