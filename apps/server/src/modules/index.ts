// The server's composition: which ContainerModules a process loads, from its manifest and role.
import type { ContainerModule } from 'inversify';
import { provisioningModule, type Manifest } from '@provisio/core/engine';
import { scimInboundModule } from '@provisio/scim-inbound';
import { adminApiModule } from './admin-api-module.js';
import { consoleModule } from './console-module.js';
import { generationModule } from './generation-module.js';
import { pluginRoutesModule } from './plugin-routes-module.js';
import { manifestNotificationChannels } from '../notifications/manifest-channels.js';

export { serverModule, storeModuleFor } from './server-module.js';
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
