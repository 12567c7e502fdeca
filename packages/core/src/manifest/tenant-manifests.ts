import type { ConnectorInstanceConfig, Manifest } from './manifest-schema.js';

/** One tenant as a running server serves it: its domain and a manifest holding only its own sections. */
export interface TenantManifest {
  domain: string;
  displayName?: string;
  /** The default tenant (`defaultTenant`): the top-level sections, SCIM at basePath without a /t/ prefix. */
  isDefault: boolean;
  /** The whole manifest with inbound, admin and connectors replaced by this tenant's, and no `tenants`. */
  manifest: Manifest;
}

/** {TD} of each instance is its tenant's domain: two tenants pointed at one target keep their accounts apart. */
const withTenantDomain = (connectors: ConnectorInstanceConfig[], domain: string, keepExplicit: boolean): ConnectorInstanceConfig[] =>
  connectors.map((c) =>
    c.pattern ? { ...c, pattern: { ...c.pattern, tenantDomain: keepExplicit ? (c.pattern.tenantDomain ?? domain) : domain } } : c,
  );

/**
 * The tenants of a manifest, the default one first. A tenant's manifest shares the server-wide sections
 * (server, store, worker, retention, plugins, notifications, security) and has its own SCIM credentials and
 * schemas (at the default tenant's basePath and the WSO2 paths, which the server prefixes with /t/<domain>),
 * admin credentials (none: only the super admin reaches it) and connector instances.
 */
export function tenantManifests(manifest: Manifest): TenantManifest[] {
  const base = { ...manifest, tenants: [] };
  const own: TenantManifest = {
    domain: manifest.defaultTenant,
    isDefault: true,
    manifest: { ...base, connectors: withTenantDomain(manifest.connectors, manifest.defaultTenant, true) },
  };
  const others = manifest.tenants.map((tenant): TenantManifest => ({
    domain: tenant.domain,
    displayName: tenant.displayName,
    isDefault: false,
    manifest: {
      ...base,
      // WSO2 serves every tenant at /t/<domain>/scim2: so do tenants here, and a tenant never differs from an unknown domain by its paths.
      inbound: { scim: { ...manifest.inbound.scim, ...tenant.inbound.scim, aliases: ['wso2'] } },
      admin: tenant.admin ?? { auth: { bearer: [], basic: [], jwt: [], failedAttempts: manifest.admin.auth.failedAttempts } },
      connectors: withTenantDomain(tenant.connectors, tenant.domain, false),
    },
  }));
  return [own, ...others];
}
