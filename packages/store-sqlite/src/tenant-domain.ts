import { TENANT_DOMAIN } from '@provisio/core/engine';

/** `tenant` when it is a tenant domain (a lowercase DNS name); otherwise a clear error naming `what` it was given as. */
export function tenantDomain(tenant: string, what: string): string {
  if (typeof tenant === 'string' && TENANT_DOMAIN.test(tenant)) return tenant;
  throw new Error(`${what} ${JSON.stringify(tenant)} is not a tenant domain (a lowercase DNS name such as acme.example.com)`);
}
