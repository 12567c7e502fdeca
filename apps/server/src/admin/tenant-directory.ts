import type { Store, TenantManifest } from '@provisio/core/engine';

/** What the default tenant's admin API lists at GET /tenants: every tenant of the configuration, and the store they share. */
export interface TenantDirectory {
  tenants: readonly TenantManifest[];
  store: Store;
}
