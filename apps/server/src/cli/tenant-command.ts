import { Container } from 'inversify';
import { asServiceId, silentLogger, TOKENS } from '@provisio/core';
import { tenantManifests } from '@provisio/core/engine';
import { loadConfiguration } from '../config/load-configuration.js';
import { findManifest } from '../config/manifest-file.js';
import { serverModule, storeModuleFor } from '../modules/index.js';
import { printProblems } from './print-problems.js';
import type { CliIo, CommandOptions } from './commands.js';

/**
 * `provisio tenant list`: the manifest's tenants and the tenants the store holds data of.
 * `provisio tenant delete <domain>`: removes every row of a tenant that is no longer in the manifest (its users,
 * groups, links, jobs, audit, reports). Opens the store itself: with SQLite, stop the server first.
 */
export async function tenantCommand(
  action: string | undefined,
  domain: string | undefined,
  options: CommandOptions,
  io: CliIo,
): Promise<number> {
  if (action !== 'list' && action !== 'delete') {
    io.err('usage: provisio tenant list | provisio tenant delete <domain>');
    return 2;
  }
  if (action === 'delete' && !domain) {
    io.err('usage: provisio tenant delete <domain>');
    return 2;
  }
  const configuration = await loadConfiguration({ manifestPath: findManifest(options.config, io.cwd), cwd: io.cwd, env: io.env });
  const manifest = configuration.manifest;
  if (configuration.problems.length > 0 || !manifest) {
    printProblems(configuration.problems, configuration.manifestPath, io.err);
    return 1;
  }
  const configured = tenantManifests(manifest).map((t) => t.domain);
  if (action === 'delete' && domain && configured.includes(domain)) {
    const where =
      domain === manifest.defaultTenant ? 'it is the default tenant (defaultTenant)' : 'the manifest still lists it under tenants';
    io.err(`tenant ${domain} cannot be deleted: ${where}; remove it from the manifest first`);
    return 1;
  }
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(serverModule({ manifest, manifestDir: configuration.baseDir, logger: silentLogger() }), storeModuleFor(manifest));
  const store = await container.getAsync(asServiceId(TOKENS.Store));
  try {
    const holding = await store.tenantsWithData();
    if (action === 'list') {
      const all = [...new Set([...configured, ...holding])];
      const rows = all.map((t) => ({ domain: t, configured: configured.includes(t), hasData: holding.includes(t) }));
      if (options.json) io.out(JSON.stringify(rows));
      else
        for (const row of rows)
          io.out(`${row.domain}\t${row.configured ? 'configured' : 'not in the manifest'}\t${row.hasData ? 'has data' : 'no data'}`);
      return 0;
    }
    const target = domain as string;
    if (!holding.includes(target)) {
      io.out(`tenant ${target} holds no data; nothing to delete`);
      return 0;
    }
    const identities = await store.forTenant(target).purgeTenant();
    io.out(`tenant ${target} deleted: ${identities} identities with their links, jobs, audit and reports`);
    return 0;
  } finally {
    await store.close();
  }
}
