import { ContainerModule } from 'inversify';
import { ConnectorInstances } from '../connector/connector-instances.js';
import { durationMs } from '../manifest/duration.js';
import { ProvisioningRuntime } from '../pipeline/provisioning-runtime.js';
import type { NotificationChannel } from '../extension/notification-channel.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import { NotificationDispatcher } from '../notifications/notification-dispatcher.js';
import { asServiceId, TOKENS } from './tokens.js';

export interface ProvisioningModuleOptions {
  /** false: accept writes and plan jobs, but let other processes run them (`--role api`). */
  runWorker: boolean;
  /** Applied to error text the worker stores and logs (the manifest's secrets). */
  scrub?: (text: string) => string;
  /** The manifest's own channels (`notifications.webhooks`, `notifications.smtp`), built by the server. */
  notificationChannels?: (manifest: Manifest) => NotificationChannel[];
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
        observer: context.get(asServiceId(TOKENS.ConnectorObserver), { optional: true }),
      }),
    );
    bind(asServiceId(TOKENS.ProvisioningRuntime)).toDynamicValue(async (context) => {
      const manifest = context.get(asServiceId(TOKENS.Manifest));
      const instances = await context.getAsync(asServiceId(TOKENS.ConnectorInstances));
      const logger = context.get(asServiceId(TOKENS.Logger));
      const channels = [
        ...context.getAll(asServiceId(TOKENS.NotificationChannel), { optional: true }),
        ...(options.notificationChannels?.(manifest) ?? []),
      ];
      const notifications =
        channels.length === 0
          ? undefined
          : new NotificationDispatcher(channels, context.get(asServiceId(TOKENS.Clock)), logger.child({ component: 'notifications' }));
      try {
        return new ProvisioningRuntime({
          store: await context.getAsync(asServiceId(TOKENS.Store)),
          instances,
          sealer: context.get(asServiceId(TOKENS.PasswordSealer)),
          clock: context.get(asServiceId(TOKENS.Clock)),
          logger,
          functions: context.get(asServiceId(TOKENS.ExpressionFunctions)),
          scrub: options.scrub,
          runWorker: options.runWorker,
          notifications,
          rateGates: context.get(asServiceId(TOKENS.RateGates), { optional: true }),
          failedJobsIntervalMs: manifest.notifications.batchInterval,
          worker: { leaseMs: manifest.worker.leaseSeconds * 1000, idlePollMs: manifest.worker.idlePollMs },
          retention: manifest.retention,
          openDisabled: async (id) => {
            const settings = manifest.connectors.find((c) => c.id === id && !c.enabled);
            return settings
              ? ConnectorInstances.openOne(settings, context.get(asServiceId(TOKENS.ConnectorTypeRegistry)), {
                  logger: context.get(asServiceId(TOKENS.Logger)),
                  clock: context.get(asServiceId(TOKENS.Clock)),
                })
              : undefined;
          },
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
