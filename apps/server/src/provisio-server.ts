import {
  asServiceId,
  ConnectorInstances,
  PasswordSealer,
  ProvisioningRuntime,
  systemClock,
  TOKENS,
  type Logger,
  type Manifest,
  type Store,
} from '@provisio/core';
import { scimRouter } from '@provisio/scim-inbound';
import { adminRouter } from './admin/admin-router.js';
import { CredentialVerifier } from './auth/credential-verifier.js';
import { consoleRouter } from './console/console-router.js';
import type { Configuration } from './config/load-configuration.js';
import { createHttpApp, listen, type RunningHttpServer } from './http/http-server.js';
import { ConfigReloader, type Generation, type ReloadResult } from './runtime/config-reload.js';
import { openStore } from './runtime/open-store.js';
import { loadPasswordKey } from './runtime/password-key.js';

/** A running server: HTTP, store, connector instances and the provisioning worker. */
export interface RunningServer {
  url: string;
  /** The current configuration's pipeline (a reload replaces it). */
  readonly runtime: ProvisioningRuntime;
  /** Swaps in a new configuration, or rejects it (logged) and keeps the running one. */
  reload(configuration: Configuration): Promise<ReloadResult>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Run the provisioning worker in this process (default true; false: `--role api`). */
  worker?: boolean;
  /** Serve SCIM and the admin API (default true; false: `--role worker`, which answers health checks only). */
  api?: boolean;
  /** Added to every secret scrubbed from logs and stored errors. */
  scrub?: (text: string) => string;
}

function bindHostServices(configuration: Configuration, manifest: Manifest, logger: Logger): void {
  const { container } = configuration;
  container.bind(asServiceId(TOKENS.Manifest)).toConstantValue(manifest);
  container.bind(asServiceId(TOKENS.Logger)).toConstantValue(logger);
  container.bind(asServiceId(TOKENS.Clock)).toConstantValue(systemClock);
}

/**
 * Composition root for `provisio serve`. Start order: store → connectors →
 * pipeline and worker → HTTP; stop in reverse: stop accepting requests, let the
 * worker finish or hand back its jobs, close connectors, close the store.
 */
export async function startServer(configuration: Configuration, logger: Logger, options: ServerOptions = {}): Promise<RunningServer> {
  const manifest = configuration.manifest;
  if (!manifest) throw new Error('startServer needs a valid manifest');
  bindHostServices(configuration, manifest, logger);

  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch((error: unknown) => logger.error({ err: error }, 'error while shutting down'));
  };
  try {
    const { store, sqlitePath, description: storeDescription } = await openStore(manifest, configuration.baseDir, logger);
    cleanups.push(() => store.close());
    const sealer = new PasswordSealer(loadPasswordKey(manifest.security.passwordKey, sqlitePath));
    // One generation per configuration; a reload (SIGHUP) opens the next beside it and swaps them.
    const open = async (current: Manifest, config: Configuration): Promise<Generation> => {
      const instances = await ConnectorInstances.open(current, config.registry, { logger, clock: systemClock });
      const runtime = new ProvisioningRuntime({ store, instances, sealer, clock: systemClock, logger, scrub: options.scrub, runWorker: options.worker !== false, worker: { leaseMs: current.worker.leaseSeconds * 1000, idlePollMs: current.worker.idlePollMs } });
      const scimVerifier = new CredentialVerifier(current.inbound.scim.auth);
      const mounts = [
        { path: '/admin/v1', router: adminRouter({ runtime, store: store as Store, clock: systemClock, verifier: new CredentialVerifier(current.admin.auth) }) },
        { path: '/console', router: consoleRouter(), parseJson: false },
        {
          path: current.inbound.scim.basePath,
          router: scimRouter({ identities: runtime.identities, store: store as Store, authenticate: (header) => scimVerifier.verify(header), bodyLimit: current.server.bodyLimit, logger }),
          parseJson: false,
        },
      ];
      return { manifest: current, instances, runtime, mounts: options.api === false ? [] : mounts };
    };
    const reloader = new ConfigReloader(await open(manifest, configuration), {
      logger,
      open: (next, config) => {
        bindHostServices(config, next, logger);
        return open(next, config);
      },
    });
    cleanups.push(() => reloader.close());
    await reloader.current.runtime.start();
    let ready = false;
    const mounts = reloader.liveMounts();
    const http: RunningHttpServer = await listen(createHttpApp({ ready: () => ready }, logger, { bodyLimit: manifest.server.bodyLimit, mounts }), manifest.server.host, manifest.server.port);
    cleanups.push(() => http.close());
    ready = true;
    logger.info(
      { url: http.url, manifest: configuration.manifestPath ?? '(embedded defaults)', store: storeDescription, connectors: reloader.current.instances.list().map((i) => i.id), plugins: configuration.plugins.map((p) => p.plugin.name) },
      'provisio listening',
    );
    return {
      url: http.url,
      get runtime() {
        return reloader.current.runtime;
      },
      reload: (next) => reloader.reload(next),
      async stop() {
        ready = false;
        await cleanup();
        logger.info('provisio stopped');
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
