import { Router, type RequestHandler } from 'express';
import type { Logger } from '@provisio/core';
import type { ConnectorInstances, Manifest, ManifestProblem, ProvisioningRuntime, TlsConfig } from '@provisio/core/engine';
import type { Configuration } from '../config/load-configuration.js';
import type { Mount } from '../http/http-server.js';
import { serveTenant, type TenantMounts } from '../http/tenant-mounts.js';

/** One tenant's share of a configuration: its connector instances and pipeline. */
export interface TenantPipeline {
  instances: ConnectorInstances;
  runtime: ProvisioningRuntime;
}

/** A tenant other than the default one (`tenants:`): its pipeline and what answers beneath /t/<domain>/. */
export interface TenantGeneration extends TenantPipeline {
  domain: string;
  mounts: TenantMounts;
}

/** What one configuration runs: the default tenant's connector instances, pipeline and routers, and the other tenants'. */
export interface Generation extends TenantPipeline {
  manifest: Manifest;
  mounts: readonly Mount[];
  /** By domain. */
  tenants: ReadonlyMap<string, TenantGeneration>;
  /** What /t/<domain>/ answers for a domain that is no tenant: exactly what a tenant answers a wrong credential. */
  unknownTenant: TenantMounts;
  /** The routes beneath /t/<domain>/ of every tenant, each request answered by its tenant's mounts (sharedTenantRouter). */
  tenantRouter: RequestHandler;
}

/** The default tenant's pipeline and every other tenant's. */
export const pipelinesOf = (generation: Generation): TenantPipeline[] => [generation, ...generation.tenants.values()];

/** Where the tenants' routes are mounted: /t/<domain>/scim/v2 and the rest. */
const TENANT_PATH = '/t';

export type ReloadResult = { ok: true; connectors: string[] } | { ok: false; reason: string };

export interface ReloaderDeps {
  logger: Logger;
  /** Connector instances, a runtime whose worker is NOT started yet, and routers for a valid manifest. Throws when a connector cannot be created. */
  open(manifest: Manifest, configuration: Configuration): Promise<Generation>;
  /** Why `next` may not replace `running` beyond its own problems (a removed tenant still holds data), or undefined. */
  admissible?(next: Manifest, running: Manifest): Promise<string | undefined>;
  /** The listening server's certificate, which a reload may replace (server.tls with other files). */
  certificate?: {
    /** Problems that stop `tls` being served, including an expired certificate; [] when it can replace the current one. */
    check(tls: TlsConfig): ManifestProblem[];
    /** Serves `tls` to new connections; open ones keep theirs. */
    replace(tls: TlsConfig): void;
  };
}

/**
 * Sections a running process cannot swap: the listening socket (and whether it speaks TLS
 * or asks for client certificates), the store, the password key, the worker's lease and
 * the SCIM base path (routes are mounted once). A change there needs a restart.
 * The TLS certificate, key and CAs are not among them: a reload serves the new ones.
 */
export function restartOnlyChanges(running: Manifest, next: Manifest): string[] {
  if ((running.server.tls === undefined) !== (next.server.tls === undefined)) {
    return [`server.tls (TLS switched ${next.server.tls ? 'on' : 'off'})`];
  }
  const fixed: [string, (m: Manifest) => unknown][] = [
    ['server', (m) => ({ ...m.server, tls: undefined })],
    ['server.tls.requestClientCert', (m) => m.server.tls?.requestClientCert],
    ['store', (m) => m.store],
    ['defaultTenant', (m) => m.defaultTenant],
    ['security', (m) => m.security],
    ['worker', (m) => (m as unknown as Record<string, unknown>)['worker']],
    ['inbound.scim.basePath', (m) => m.inbound.scim.basePath],
  ];
  return fixed.filter(([, pick]) => JSON.stringify(pick(running)) !== JSON.stringify(pick(next))).map(([path]) => path);
}

/**
 * The server's current configuration and the means to replace it while it runs
 * (`provisio serve` on SIGHUP). A manifest with problems, a change that needs a
 * restart, or a connector that cannot be created is rejected with one log line and
 * the running configuration keeps serving. A good one is swapped in: the old worker
 * finishes or hands back its jobs (they live in the store, so none is lost), the
 * new routers and worker take over, then the old connectors are closed.
 */
export class ConfigReloader {
  private generation: Generation;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    first: Generation,
    private readonly deps: ReloaderDeps,
  ) {
    this.generation = first;
  }

  get current(): Generation {
    return this.generation;
  }

  /**
   * Mounts at the first generation's paths whose routers always delegate to the
   * current generation's router at the same path (restartOnlyChanges keeps the paths fixed).
   */
  liveMounts(): Mount[] {
    return this.generation.mounts.map((mount) => {
      const router = Router();
      router.use((req, res, next) => {
        const current = this.generation.mounts.find((m) => m.path === mount.path) ?? mount;
        current.router(req, res, next);
      });
      return { ...mount, router };
    });
  }

  /**
   * The mount of every tenant but the default one: /t/<domain>/... goes to the current generation's tenant of
   * that domain, so tenants added or removed by a reload are served or gone at once.
   */
  tenantMount(): Mount {
    const router = Router();
    router.use('/:domain', (req, res, next) => {
      const generation = this.generation;
      const tenant = generation.tenants.get(req.params['domain'] ?? '');
      serveTenant(tenant?.mounts ?? generation.unknownTenant, generation.tenantRouter, req, res, next);
    });
    return { path: TENANT_PATH, router, parseJson: false };
  }

  /** Applies `configuration` if it is valid and reloadable; one reload at a time, in order. */
  reload(configuration: Configuration): Promise<ReloadResult> {
    const result = this.queue.then(() => this.apply(configuration));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Stops the current worker and closes its connectors (the server is shutting down). */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    for (const pipeline of pipelinesOf(this.generation)) await pipeline.runtime.stop();
    for (const pipeline of pipelinesOf(this.generation)) await pipeline.instances.closeAll();
  }

  /** The next manifest's TLS material when it differs from the running one's (on/off is restartOnlyChanges'). */
  private certificateChange(next: Manifest): TlsConfig | undefined {
    const running = this.generation.manifest.server.tls;
    const wanted = next.server.tls;
    return wanted && JSON.stringify(running) !== JSON.stringify(wanted) ? wanted : undefined;
  }

  private reject(reason: string, details: Record<string, unknown> = {}): ReloadResult {
    this.deps.logger.error({ ...details, reason }, `configuration reload rejected: ${reason}; the running configuration is unchanged`);
    return { ok: false, reason };
  }

  private async apply(configuration: Configuration): Promise<ReloadResult> {
    if (this.closed) return { ok: false, reason: 'the server is shutting down' };
    const where = configuration.manifestPath ?? '(embedded defaults)';
    const manifest = configuration.manifest;
    if (configuration.problems.length > 0 || !manifest) {
      const problems = configuration.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
      return this.reject(`${where} has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.join('; ')}`, {
        manifest: where,
        problems,
      });
    }
    const fixed = restartOnlyChanges(this.generation.manifest, manifest);
    if (fixed.length > 0) return this.reject(`${fixed.join(', ')} changed, which needs a restart`, { manifest: where });
    const certificate = this.certificateChange(manifest);
    if (certificate && this.deps.certificate) {
      const problems = this.deps.certificate.check(certificate);
      if (problems.length > 0)
        return this.reject(`the new TLS certificate cannot be served: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, {
          manifest: where,
        });
    }
    const refusal = await this.deps.admissible?.(manifest, this.generation.manifest);
    if (refusal) return this.reject(refusal, { manifest: where });
    let next: Generation;
    try {
      next = await this.deps.open(manifest, configuration);
    } catch (error) {
      return this.reject(`connectors could not start: ${(error as Error).message}`, { manifest: where });
    }
    const previous = this.generation;
    // The old workers first: their running jobs finish (or go back to the queue) before the new ones claim any.
    // If handing jobs back fails, they stay leased and come back when the lease runs out: go on.
    for (const pipeline of pipelinesOf(previous)) {
      await pipeline.runtime
        .stop()
        .catch((error: unknown) =>
          this.deps.logger.warn(
            { err: error },
            'the previous worker did not stop cleanly; its unfinished jobs return when their lease expires',
          ),
        );
    }
    this.generation = next;
    try {
      await startAll(next);
    } catch (error) {
      // Rare (the store failed): go back to the previous configuration rather than run without a worker.
      this.generation = previous;
      for (const pipeline of pipelinesOf(next)) await pipeline.runtime.stop().catch(() => undefined);
      await startAll(previous);
      for (const pipeline of pipelinesOf(next)) await pipeline.instances.closeAll();
      return this.reject(`the new worker could not start: ${(error as Error).message}`, { manifest: where });
    }
    for (const pipeline of pipelinesOf(previous)) await pipeline.instances.closeAll();
    if (certificate && this.deps.certificate) {
      try {
        this.deps.certificate.replace(certificate);
        this.deps.logger.info({ manifest: where }, 'TLS certificate replaced: new connections get the new one, open ones keep theirs');
      } catch (error) {
        // Checked above, so rare; the rest of the configuration is in and stays.
        this.deps.logger.error(
          { manifest: where, err: error },
          'the new TLS certificate could not be applied; the previous one is still served',
        );
      }
    }
    const connectors = next.instances.list().map((i) => i.id);
    this.deps.logger.info({ manifest: where, connectors }, 'configuration reloaded');
    return { ok: true, connectors };
  }
}

/** Starts every tenant's worker of a generation. */
export async function startAll(generation: Generation): Promise<void> {
  for (const pipeline of pipelinesOf(generation)) await pipeline.runtime.start();
}
