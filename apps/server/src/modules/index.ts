// The server's composition: which ContainerModules a process loads, from its manifest and role.
import { ContainerModule } from 'inversify';
import { asServiceId, TOKENS } from '@provisio/core';
import { provisioningModule, type Manifest, type Store } from '@provisio/core/engine';
import { SCIM_PATH_PREFIX, scimInboundModule } from '@provisio/scim-inbound';
import { adminApiModule } from './admin-api-module.js';
import { consoleModule } from './console-module.js';
import { generationModule } from './generation-module.js';
import { pluginRoutesModule } from './plugin-routes-module.js';
import { manifestNotificationChannels } from '../notifications/manifest-channels.js';

export { serverModule, storeModuleFor } from './server-module.js';
export { unknownTenantModule } from './generation-module.js';
export type { ServerModuleOptions } from './server-module.js';

export interface Roles {
  /** Run the provisioning worker (`--role all|worker`). */
  worker: boolean;
  /** Serve SCIM, the admin API, the console and plugin routes (`--role all|api`). */
  api: boolean;
  scrub?: (text: string) => string;
}

/** The modules of one configuration's generation; HTTP mounts in the order they are matched. */
export function generationModules(manifest: Manifest, roles: Roles): ContainerModule[] {
  const pipeline = [
    generationModule(manifest),
    provisioningModule({ runWorker: roles.worker, scrub: roles.scrub, notificationChannels: manifestNotificationChannels }),
  ];
  return roles.api ? [...pipeline, adminApiModule, consoleModule, scimInboundModule, pluginRoutesModule] : pipeline;
}

/**
 * The modules of a tenant other than the default one: its manifest, its view of the store (every row it reads or
 * writes is its own), its pipeline and, with the api role, its SCIM routes beneath /t/<domain>.
 */
export function tenantModules(manifest: Manifest, domain: string, store: Store, roles: Roles): ContainerModule[] {
  const own = new ContainerModule(({ bind }) => {
    bind(asServiceId(TOKENS.Store)).toConstantValue(store.forTenant(domain));
    bind(asServiceId(SCIM_PATH_PREFIX)).toConstantValue(`/t/${domain}`);
  });
  const pipeline = [
    generationModule(manifest, { uniformRefusals: true }),
    own,
    provisioningModule({ runWorker: roles.worker, scrub: roles.scrub, notificationChannels: manifestNotificationChannels }),
  ];
  return roles.api ? [...pipeline, scimInboundModule] : pipeline;
}
