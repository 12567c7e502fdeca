import type { Router } from 'express';
import { Container } from 'inversify';
import { asServiceId, TOKENS, type HttpMount, type Logger } from '@provisio/core';
import { buildContainer, type Manifest, type ProvisioningRuntime } from '@provisio/core/engine';
import type { Configuration } from './config/load-configuration.js';
import { createHttpApp, createMetricsApp, listen, type Mount, type RunningHttpServer } from './http/http-server.js';
import { Readiness } from './http/readiness.js';
import { checkTlsMaterial } from './http/tls-material.js';
import { MIN_TLS_VERSION } from './http/tls-options.js';
import { adminCredentialsGuard } from './metrics/metrics-guard.js';
import { ProvisioMetrics } from './metrics/provisio-metrics.js';
import { generationModules, serverModule, storeModuleFor, type Roles } from './modules/index.js';
import { ConfigReloader, type Generation, type ReloadResult } from './runtime/config-reload.js';

/** A running server: HTTP, store, connector instances and the provisioning worker. */
export interface RunningServer {
  url: string;
  /** Where GET /metrics is served without credentials (server.metricsPort); absent: on `url`, behind admin.auth. */
  metricsUrl?: string;
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

// createHttpApp mounts express Routers; an HttpMount's router is any connect-style handler, which express mounts alike.
const toMount = (mount: HttpMount): Mount => ({ ...mount, router: mount.router as unknown as Router });

/**
 * A generation: one configuration's container, a child of the server's, with the
 * plugins of that configuration, its pipeline and (with the api role) its routers.
 */
async function openGeneration(
  server: Container,
  manifest: Manifest,
  configuration: Configuration,
  roles: Roles,
  metrics: ProvisioMetrics,
): Promise<Generation> {
  const container = buildContainer({
    parent: server,
    plugins: configuration.plugins.map((p) => p.plugin),
    modules: generationModules(manifest, roles),
  });
  // A runtime that cannot be built closes the connectors opened for it (provisioningModule).
  const runtime = await container.getAsync(asServiceId(TOKENS.ProvisioningRuntime));
  const instances = await container.getAsync(asServiceId(TOKENS.ConnectorInstances));
  // The old runtime's events end with it; its listeners go with its emitter.
  metrics.watch(runtime);
  try {
    const mounts = await container.getAllAsync(asServiceId(TOKENS.HttpMount), { optional: true });
    return { manifest, instances, runtime, mounts: mounts.map(toMount) };
  } catch (error) {
    await instances.closeAll();
    throw error;
  }
}

/**
 * Composition root for `provisio serve`. Start order: store → connectors →
 * pipeline and worker → HTTP; stop in reverse: stop accepting requests, let the
 * worker finish or hand back its jobs, close connectors, close the store.
 */
export async function startServer(configuration: Configuration, logger: Logger, options: ServerOptions = {}): Promise<RunningServer> {
  const manifest = configuration.manifest;
  if (!manifest) throw new Error('startServer needs a valid manifest');
  const roles: Roles = { worker: options.worker !== false, api: options.api !== false, scrub: options.scrub };
  // The server's container: one per server instance; each configuration gets a child (a generation) beneath it.
  const server = new Container({ defaultScope: 'Singleton' });
  server.load(serverModule({ manifest, manifestDir: configuration.baseDir, logger }), storeModuleFor(manifest));

  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse())
      await step().catch((error: unknown) => logger.error({ err: error }, 'error while shutting down'));
  };
  try {
    const store = await server.getAsync(asServiceId(TOKENS.Store));
    cleanups.push(() => store.close());
    const storeDescription = server.get(asServiceId(TOKENS.StoreDescription)).label;
    // One registry for the server's life: counters keep counting across reloads.
    const metrics = new ProvisioMetrics({ store, instanceIds: () => reloader.current.instances.list().map((i) => i.id) });
    server.bind(asServiceId(TOKENS.ConnectorObserver)).toConstantValue(metrics.connectorObserver);
    server.get(asServiceId(TOKENS.PasswordSealer)); // a bad key fails the start, not the first password
    const tls = manifest.server.tls;
    if (tls) {
      const check = checkTlsMaterial(tls);
      if (check.problems.length > 0)
        throw new Error(`server.tls cannot be served: ${check.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      for (const problem of check.validity)
        logger.warn({ path: problem.path }, `${problem.path}: ${problem.message}; clients will refuse it`);
    }
    // The reloader is made before the server listens; it replaces the certificate of the one that will.
    const listening: { http?: RunningHttpServer } = {};
    // A reload (SIGHUP) opens the next generation beside the current one and swaps them.
    const reloader: ConfigReloader = new ConfigReloader(await openGeneration(server, manifest, configuration, roles, metrics), {
      logger,
      open: (next, config) => openGeneration(server, next, config, roles, metrics),
      certificate: {
        check: (next) => {
          const check = checkTlsMaterial(next);
          return [...check.problems, ...check.validity];
        },
        replace: (next) => listening.http?.replaceCertificate(next),
      },
    });
    cleanups.push(() => reloader.close());
    await reloader.current.runtime.start();
    let phase: 'starting' | 'running' | 'stopping' = 'starting';
    const readiness = new Readiness({
      store,
      storeLabel: storeDescription,
      phase: () => phase,
      worker: () => ({ expected: roles.worker, running: reloader.current.runtime.worker?.isRunning ?? false }),
      connectors: () => reloader.current.instances.list().map((i) => ({ id: i.id, check: () => i.connector.check() })),
      lastChecks: metrics.lastChecks,
      scrub: options.scrub ?? ((text) => text),
    });
    const metricsPort = manifest.server.metricsPort;
    const metricsServer =
      metricsPort === undefined
        ? undefined
        : await listen(createMetricsApp(metrics), manifest.server.metricsHost ?? '127.0.0.1', metricsPort);
    if (metricsServer) cleanups.push(() => metricsServer.close());
    const mounts = reloader.liveMounts();
    const running = await listen(
      createHttpApp({ readiness: () => readiness.report() }, logger, {
        bodyLimit: manifest.server.bodyLimit,
        mounts,
        trustProxy: manifest.server.trustProxy,
        metrics: { metrics, guard: metricsPort === undefined ? adminCredentialsGuard(() => reloader.current.manifest, logger) : undefined },
      }),
      manifest.server.host,
      manifest.server.port,
      tls,
    );
    listening.http = running;
    cleanups.push(() => running.close());
    phase = 'running';
    logger.info(
      {
        url: running.url,
        ...(metricsServer ? { metrics: `${metricsServer.url}/metrics` } : {}),
        tls: tls ? { minVersion: MIN_TLS_VERSION, clientCertificates: tls.requestClientCert } : false,
        manifest: configuration.manifestPath ?? '(embedded defaults)',
        store: storeDescription,
        connectors: reloader.current.instances.list().map((i) => i.id),
        plugins: configuration.plugins.map((p) => p.plugin.name),
      },
      'provisio listening',
    );
    return {
      url: running.url,
      metricsUrl: metricsServer?.url,
      get runtime() {
        return reloader.current.runtime;
      },
      reload: (next) => reloader.reload(next),
      async stop() {
        phase = 'stopping';
        await cleanup();
        logger.info('provisio stopped');
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
