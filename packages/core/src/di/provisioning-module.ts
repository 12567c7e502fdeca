import { ContainerModule } from 'inversify';
import { ConnectorInstances } from '../connector/connector-instances.js';
import { durationMs } from '../manifest/duration.js';
import { ProvisioningRuntime } from '../pipeline/provisioning-runtime.js';
import { asServiceId, TOKENS } from './tokens.js';

export interface ProvisioningModuleOptions {
  /** false: accept writes and plan jobs, but let other processes run them (`--role api`). */
  runWorker: boolean;
  /** Applied to error text the worker stores and logs (the manifest's secrets). */
  scrub?: (text: string) => string;
}

/**
 * One configuration's pipeline, for a generation's container: its connector
 * instances, the provisioning runtime (targets, identity service, executor and,
 * with `runWorker`, the worker) and the identity service on its own token.
 * Needs Manifest, Logger, Clock, Store and PasswordSealer from the container.
 */
export function provisioningModule(options: ProvisioningModuleOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(asServiceId(TOKENS.ConnectorInstances)).toDynamicValue((context) =>
      ConnectorInstances.open(context.get(asServiceId(TOKENS.Manifest)), context.get(asServiceId(TOKENS.ConnectorTypeRegistry)), {
        logger: context.get(asServiceId(TOKENS.Logger)),
        clock: context.get(asServiceId(TOKENS.Clock)),
      }),
    );
    bind(asServiceId(TOKENS.ProvisioningRuntime)).toDynamicValue(async (context) => {
      const manifest = context.get(asServiceId(TOKENS.Manifest));
      const instances = await context.getAsync(asServiceId(TOKENS.ConnectorInstances));
      try {
        return new ProvisioningRuntime({
          store: await context.getAsync(asServiceId(TOKENS.Store)),
          instances,
          sealer: context.get(asServiceId(TOKENS.PasswordSealer)),
          clock: context.get(asServiceId(TOKENS.Clock)),
          logger: context.get(asServiceId(TOKENS.Logger)),
          functions: context.get(asServiceId(TOKENS.ExpressionFunctions)),
          scrub: options.scrub,
          runWorker: options.runWorker,
          worker: { leaseMs: manifest.worker.leaseSeconds * 1000, idlePollMs: manifest.worker.idlePollMs },
          pendingPasswordTtlMs: durationMs(manifest.security.pendingPasswordTtl),
        });
      } catch (error) {
        // The runtime could not be built (a mapping that does not compile): release the connectors opened for it.
        await instances.closeAll();
        throw error;
      }
    });
    bind(asServiceId(TOKENS.IdentityService)).toDynamicValue(
      async (context) => (await context.getAsync(asServiceId(TOKENS.ProvisioningRuntime))).identities,
    );
  });
}
