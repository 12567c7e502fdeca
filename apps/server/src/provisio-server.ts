import type { RequestHandler } from 'express';
import { Container } from 'inversify';
import { asServiceId, TOKENS, type HttpMount, type Logger } from '@provisio/core';
import { buildContainer, tenantManifests, type Manifest, type ProvisioningRuntime, type Store } from '@provisio/core/engine';
import { scimInboundModule } from '@provisio/scim-inbound';
import type { Configuration } from './config/load-configuration.js';
import { createHttpApp, createMetricsApp, listen, type Mount, type RunningHttpServer } from './http/http-server.js';
import { sharedTenantRouter, tenantMountsOf } from './http/tenant-mounts.js';
import { Readiness } from './http/readiness.js';
import { checkTlsMaterial } from './http/tls-material.js';
import { MIN_TLS_VERSION } from './http/tls-options.js';
import { adminCredentialsGuard } from './metrics/metrics-guard.js';
import { ProvisioMetrics } from './metrics/provisio-metrics.js';
import {
  adminApiModule,
  consoleModule,
  everyAdmin,
  generationModules,
  serverModule,
  storeModuleFor,
  tenantInstanceId,
  tenantModules,
  unknownTenantModule,
  type Roles,
} from './modules/index.js';
import {
  ConfigReloader,
  pipelinesOf,
  startAll,
  type Generation,
  type ReloadResult,
  type TenantGeneration,
  type TenantPipeline,
} from './runtime/config-reload.js';

/** A running server: HTTP, store, connector instances and the provisioning worker. */
export interface RunningServer {
  url: string;
  /** Where GET /metrics is served without credentials (server.metricsPort); absent: on `url`, behind admin.auth. */
  metricsUrl?: string;
  /** The current configuration's pipeline of the default tenant (a reload replaces it). */
  readonly runtime: ProvisioningRuntime;
  /** The current pipeline of a tenant by domain (the default tenant's too), or undefined for a domain that is no tenant. */
  runtimeOf(domain: string): ProvisioningRuntime | undefined;
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

// An HttpMount's router is any connect-style handler, which express mounts as it mounts its own.
const toMount = (mount: HttpMount): Mount => ({ ...mount, router: mount.router as unknown as RequestHandler });

/** One tenant's container resolved: its connector instances, runtime (worker not started) and HTTP mounts. */
async function openPipeline(container: Container, metrics: ProvisioMetrics): Promise<TenantPipeline & { mounts: Mount[] }> {
  // A runtime that cannot be built closes the connectors opened for it (provisioningModule).
  const runtime = await container.getAsync(asServiceId(TOKENS.ProvisioningRuntime));
  const instances = await container.getAsync(asServiceId(TOKENS.ConnectorInstances));
  // The old runtime's events end with it; its listeners go with its emitter.
  metrics.watch(runtime);
  try {
    const mounts = await container.getAllAsync(asServiceId(TOKENS.HttpMount), { optional: true });
    return { instances, runtime, mounts: mounts.map(toMount) };
  } catch (error) {
    await instances.closeAll();
    throw error;
  }
}

/**
 * A generation: one configuration's containers, children of the server's, with the plugins of that configuration:
 * the default tenant's (its pipeline and, with the api role, its routers) and one per other tenant, bound to that
 * tenant's view of the store.
 */
async function openGeneration(
  server: Container,
  manifest: Manifest,
  configuration: Configuration,
  roles: Roles,
  metrics: ProvisioMetrics,
): Promise<Generation> {
  const [own, ...others] = tenantManifests(manifest);
  const plugins = configuration.plugins.map((p) => p.plugin);
  const store = await server.getAsync(asServiceId(TOKENS.Store));
  const container = buildContainer({ parent: server, plugins, modules: generationModules(manifest, roles, own.manifest) });
  const main = await openPipeline(container, metrics);
  const opened: TenantPipeline[] = [main];
  try {
    const tenants = new Map<string, TenantGeneration>();
    const tenantMountLists: Mount[][] = [];
    for (const tenant of others) {
      const modules = tenantModules(manifest, tenant, store, roles, metrics.connectorObserver);
      const part = await openPipeline(buildContainer({ parent: server, plugins, modules }), metrics);
      opened.push(part);
      tenants.set(tenant.domain, {
        domain: tenant.domain,
        instances: part.instances,
        runtime: part.runtime,
        mounts: tenantMountsOf(part.mounts),
      });
      tenantMountLists.push(part.mounts);
    }
    // A domain that is no tenant: the default tenant's SCIM routes, with every request refused as a tenant refuses.
    const unknown = new Container({ parent: container, defaultScope: 'Singleton' });
    unknown.load(
      unknownTenantModule(own.manifest, everyAdmin(manifest)),
      ...(roles.api ? [scimInboundModule, adminApiModule, consoleModule] : []),
    );
    const unknownMounts = roles.api ? (await unknown.getAllAsync(asServiceId(TOKENS.HttpMount))).map(toMount) : [];
    const tenantRouter = sharedTenantRouter([unknownMounts, ...tenantMountLists], manifest.server.bodyLimit);
    return { manifest, ...main, tenants, unknownTenant: tenantMountsOf(unknownMounts), tenantRouter };
  } catch (error) {
    for (const pipeline of opened) await pipeline.instances.closeAll();
    throw error;
  }
}

/** A reload may not drop a tenant whose data is still in the store: that takes `provisio tenant delete`. */
async function tenantRemovalRefusal(store: Store, next: Manifest, running: Manifest): Promise<string | undefined> {
  const kept = new Set(tenantManifests(next).map((t) => t.domain));
  const removed = tenantManifests(running).filter((t) => !kept.has(t.domain));
  if (removed.length === 0) return undefined;
  const holding = new Set(await store.tenantsWithData());
  const withData = removed.filter((t) => holding.has(t.domain)).map((t) => t.domain);
  return withData.length === 0
    ? undefined
    : `tenant${withData.length === 1 ? '' : 's'} ${withData.join(', ')} removed from the manifest still hold${withData.length === 1 ? 's' : ''} data; delete it first with provisio tenant delete <domain>`;
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
      admissible: (next, running) => tenantRemovalRefusal(store, next, running),
      certificate: {
        check: (next) => {
          const check = checkTlsMaterial(next);
          return [...check.problems, ...check.validity];
        },
        replace: (next) => listening.http?.replaceCertificate(next),
      },
    });
    cleanups.push(() => reloader.close());
    await startAll(reloader.current);
    let phase: 'starting' | 'running' | 'stopping' = 'starting';
    const readiness = new Readiness({
      store,
      storeLabel: storeDescription,
      phase: () => phase,
      worker: () => ({
        expected: roles.worker,
        running: pipelinesOf(reloader.current).every((p) => p.runtime.worker?.isRunning ?? false),
      }),
      connectors: () => [
        ...reloader.current.instances.list().map((i) => ({ id: i.id, check: () => i.connector.check() })),
        ...[...reloader.current.tenants.values()].flatMap((t) =>
          t.instances.list().map((i) => ({ id: tenantInstanceId(t.domain, i.id), check: () => i.connector.check() })),
        ),
      ],
      lastChecks: metrics.lastChecks,
      scrub: options.scrub ?? ((text) => text),
    });
    const metricsPort = manifest.server.metricsPort;
    const metricsServer =
      metricsPort === undefined
        ? undefined
        : await listen(createMetricsApp(metrics), manifest.server.metricsHost ?? '127.0.0.1', metricsPort);
    if (metricsServer) cleanups.push(() => metricsServer.close());
    const mounts = [...reloader.liveMounts(), reloader.tenantMount()];
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
        ...(manifest.tenants.length > 0 ? { tenants: [manifest.defaultTenant, ...manifest.tenants.map((t) => t.domain)] } : {}),
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
      runtimeOf: (domain) =>
        domain === reloader.current.manifest.defaultTenant ? reloader.current.runtime : reloader.current.tenants.get(domain)?.runtime,
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
