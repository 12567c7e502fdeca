import {
  asServiceId,
  ConnectorInstances,
  PasswordSealer,
  ProvisioningRuntime,
  systemClock,
  TOKENS,
  type Logger,
  type Store,
} from '@provisio/core';
import { scimRouter } from '@provisio/scim-inbound';
import { adminRouter } from './admin/admin-router.js';
import { CredentialVerifier } from './auth/credential-verifier.js';
import type { Configuration } from './config/load-configuration.js';
import { createHttpApp, listen, type RunningHttpServer } from './http/http-server.js';
import { openStore } from './runtime/open-store.js';
import { loadPasswordKey } from './runtime/password-key.js';

/** A running server: HTTP, store, connector instances and the provisioning worker. */
export interface RunningServer {
  url: string;
  runtime: ProvisioningRuntime;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Run the provisioning worker in this process (default true). */
  worker?: boolean;
  /** Added to every secret scrubbed from logs and stored errors. */
  scrub?: (text: string) => string;
}

/**
 * Composition root for `provisio serve`. Start order: store → connectors →
 * pipeline and worker → HTTP; stop in reverse: stop accepting requests, let the
 * worker finish or hand back its jobs, close connectors, close the store.
 */
export async function startServer(configuration: Configuration, logger: Logger, options: ServerOptions = {}): Promise<RunningServer> {
  const manifest = configuration.manifest;
  if (!manifest) throw new Error('startServer needs a valid manifest');
  const { container } = configuration;
  container.bind(asServiceId(TOKENS.Manifest)).toConstantValue(manifest);
  container.bind(asServiceId(TOKENS.Logger)).toConstantValue(logger);
  container.bind(asServiceId(TOKENS.Clock)).toConstantValue(systemClock);

  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch((error: unknown) => logger.error({ err: error }, 'error while shutting down'));
  };
  try {
    const { store, sqlitePath } = openStore(manifest, configuration.baseDir);
    cleanups.push(() => store.close());
    const sealer = new PasswordSealer(loadPasswordKey(manifest.security.passwordKey, sqlitePath));
    const instances = await ConnectorInstances.open(manifest, configuration.registry, { logger, clock: systemClock });
    cleanups.push(() => instances.closeAll());
    const runtime = new ProvisioningRuntime({ store, instances, sealer, clock: systemClock, logger, scrub: options.scrub, runWorker: options.worker !== false, worker: { leaseMs: manifest.worker.leaseSeconds * 1000, idlePollMs: manifest.worker.idlePollMs } });
    await runtime.start();
    cleanups.push(() => runtime.stop());
    let ready = false;
    const scimVerifier = new CredentialVerifier(manifest.inbound.scim.auth);
    const mounts = [
      { path: '/admin/v1', router: adminRouter({ runtime, store: store as Store, clock: systemClock, verifier: new CredentialVerifier(manifest.admin.auth) }) },
      {
        path: manifest.inbound.scim.basePath,
        router: scimRouter({ identities: runtime.identities, store: store as Store, authenticate: (header) => scimVerifier.verify(header), bodyLimit: manifest.server.bodyLimit, logger }),
        parseJson: false,
      },
    ];
    const http: RunningHttpServer = await listen(createHttpApp({ ready: () => ready }, logger, { bodyLimit: manifest.server.bodyLimit, mounts }), manifest.server.host, manifest.server.port);
    cleanups.push(() => http.close());
    ready = true;
    logger.info(
      { url: http.url, manifest: configuration.manifestPath ?? '(embedded defaults)', store: sqlitePath ?? manifest.store.type, connectors: instances.list().map((i) => i.id), plugins: configuration.plugins.map((p) => p.plugin.name) },
      'provisio listening',
    );
    return {
      url: http.url,
      runtime,
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
