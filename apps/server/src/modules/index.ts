// The server's composition: which ContainerModules a process loads, from its manifest and role.
import { ContainerModule } from 'inversify';
import { asServiceId, TOKENS } from '@provisio/core';
import { provisioningModule, type ConnectorObserver, type Manifest, type Store, type TenantManifest } from '@provisio/core/engine';
import { SCIM_PATH_PREFIX, scimInboundModule } from '@provisio/scim-inbound';
import { adminApiModule } from './admin-api-module.js';
import { consoleModule } from './console-module.js';
import { generationModule } from './generation-module.js';
import { pluginRoutesModule } from './plugin-routes-module.js';
import { manifestNotificationChannels } from '../notifications/manifest-channels.js';

export { serverModule, storeModuleFor } from './server-module.js';
export { unknownTenantModule } from './generation-module.js';
export { adminApiModule } from './admin-api-module.js';
export { consoleModule } from './console-module.js';
export type { ServerModuleOptions } from './server-module.js';

export interface Roles {
  /** Run the provisioning worker (`--role all|worker`). */
  worker: boolean;
  /** Serve SCIM, the admin API, the console and plugin routes (`--role all|api`). */
  api: boolean;
  scrub?: (text: string) => string;
}

const pipelineModule = (roles: Roles) =>
  provisioningModule({ runWorker: roles.worker, scrub: roles.scrub, notificationChannels: manifestNotificationChannels });

/** The admin credentials of every tenant but `except` (those that have some). */
const tenantAdmins = (manifest: Manifest, except?: string) =>
  manifest.tenants.flatMap((t) => (t.domain !== except && t.admin ? [t.admin.auth] : []));

/**
 * The modules of the default tenant's part of a configuration's generation; HTTP mounts in the order they are
 * matched. `manifest` is the whole manifest; `own` the default tenant's view of it (see tenantManifests).
 */
export function generationModules(manifest: Manifest, roles: Roles, own: Manifest = manifest): ContainerModule[] {
  const pipeline = [generationModule(own, { otherAdmins: tenantAdmins(manifest), directoryOf: manifest }), pipelineModule(roles)];
  return roles.api ? [...pipeline, adminApiModule, consoleModule, scimInboundModule, pluginRoutesModule] : pipeline;
}

/**
 * The modules of a tenant other than the default one: its manifest, its view of the store (every row it reads or
 * writes is its own), its pipeline and, with the api role, its SCIM and admin routes and console beneath /t/<domain>; the
 * super admin (the default tenant's admin.auth) may use its admin API, other tenants' admins get 404.
 */
export function tenantModules(
  manifest: Manifest,
  tenant: TenantManifest,
  store: Store,
  roles: Roles,
  observer?: ConnectorObserver,
): ContainerModule[] {
  const own = new ContainerModule(({ bind }) => {
    bind(asServiceId(TOKENS.Store)).toConstantValue(store.forTenant(tenant.domain));
    bind(asServiceId(SCIM_PATH_PREFIX)).toConstantValue(`/t/${tenant.domain}`);
    // Metrics and readiness name a tenant's instances <domain>/<id>: two tenants may both have a "salesforce".
    if (observer) bind(asServiceId(TOKENS.ConnectorObserver)).toConstantValue(tenantObserver(tenant.domain, observer));
  });
  const pipeline = [
    generationModule(tenant.manifest, {
      tenantOf: { superAdmin: manifest.admin.auth },
      otherAdmins: tenantAdmins(manifest, tenant.domain),
    }),
    own,
    pipelineModule(roles),
  ];
  return roles.api ? [...pipeline, scimInboundModule, adminApiModule, consoleModule] : pipeline;
}

/** Every admin credential block of a manifest: the super admin's and each tenant's (an unknown domain answers them 404). */
export const everyAdmin = (manifest: Manifest) => [manifest.admin.auth, ...tenantAdmins(manifest)];

/** The id a tenant's instance has where all tenants' instances are listed together (metrics, readiness). */
export const tenantInstanceId = (domain: string, instanceId: string) => `${domain}/${instanceId}`;

function tenantObserver(domain: string, observer: ConnectorObserver): ConnectorObserver {
  return {
    callFinished: (call) => observer.callFinished({ ...call, instanceId: tenantInstanceId(domain, call.instanceId) }),
    checked: (instanceId, report, at) => observer.checked(tenantInstanceId(domain, instanceId), report, at),
  };
}
