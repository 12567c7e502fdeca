import { createHash } from 'node:crypto';
import { TENANT_DOMAIN } from '@provisio/core/engine';

/**
 * The transaction-local setting row-level security reads (see tenant-schema.ts): the tenant every
 * statement of the transaction is for. Unset, or set by another transaction, it names no tenant.
 */
export const TENANT_SETTING = 'provisio.tenant';

/** A tenant as the port accepts it (a lowercase DNS name), or a clear error. */
export function checkedTenant(tenant: string): string {
  if (typeof tenant !== 'string' || !TENANT_DOMAIN.test(tenant))
    throw new Error(
      `${JSON.stringify(String(tenant).slice(0, 80))} is not a tenant domain (a lowercase DNS name, such as acme.example.com)`,
    );
  return tenant;
}

/** PostgreSQL truncates longer names. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * The role every tenant statement of the store runs as: `<schema>_tenant`, a role of its own per
 * schema, so that two deployments in one cluster share no grants. A schema name too long for that
 * gets a hashed name instead.
 */
export function tenantRoleOf(schema: string): string {
  const role = `${schema}_tenant`;
  if (Buffer.byteLength(role) <= MAX_IDENTIFIER_BYTES) return role;
  return `provisio_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}_tenant`;
}
