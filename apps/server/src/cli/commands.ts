import { configFields } from '@provisio/core';
import { applyHeapPolicy, manifestJsonSchema, type HeapPolicy } from '@provisio/core/engine';
import { loadConfiguration, type Configuration } from '../config/load-configuration.js';
import { findManifest } from '../config/manifest-file.js';
import { createLogger } from '../logging/create-logger.js';
import { startServer } from '../provisio-server.js';
import { PostgresStore, postgresStoreOptions } from '@provisio/store-postgres';
import { printProblems } from './print-problems.js';
import { checkTlsMaterial } from '../http/tls-material.js';
import { isLoopbackHost } from '../http/loopback.js';

export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
}

export interface CommandOptions {
  config?: string;
  json?: boolean;
  /** `serve --role`: all (default), api (SCIM + admin, no worker), worker (jobs only). */
  role?: string;
}

const ROLES = ['all', 'api', 'worker'] as const;
type Role = (typeof ROLES)[number];

async function load(options: CommandOptions, io: CliIo): Promise<Configuration> {
  return loadConfiguration({ manifestPath: findManifest(options.config, io.cwd), cwd: io.cwd, env: io.env });
}

/** `provisio validate`: 0 when the manifest is valid, 1 with one line per problem otherwise. */
export async function validateCommand(options: CommandOptions, io: CliIo): Promise<number> {
  const configuration = await load(options, io);
  if (configuration.problems.length > 0) {
    printProblems(configuration.problems, configuration.manifestPath, io.err);
    return 1;
  }
  const server = configuration.manifest?.server;
  if (server?.tls) {
    // The schema only saw text: here the certificate and key are parsed, as serve would.
    const check = checkTlsMaterial(server.tls);
    const problems = [...check.problems, ...check.validity];
    if (problems.length > 0) {
      printProblems(problems, configuration.manifestPath, io.err);
      return 1;
    }
  } else if (server && !isLoopbackHost(server.host)) {
    // A declared TLS-terminating proxy makes plain HTTP on this hop a choice, not an accident: a note, not a warning.
    if (server.trustProxy !== undefined)
      io.out(
        `note: server.host is ${server.host} without server.tls: TLS must end at the trusted proxy (server.trustProxy) in front of it`,
      );
    else
      io.err(
        `warning: server.host is ${server.host} and server.tls is not set: credentials and tokens would cross the network in clear text`,
      );
  }
  if (server?.metricsPort !== undefined && server.metricsHost !== undefined && !isLoopbackHost(server.metricsHost))
    io.err(
      `warning: server.metricsHost is ${server.metricsHost}: GET /metrics on server.metricsPort answers without credentials to anyone who reaches it`,
    );
  const connectors = configuration.manifest?.connectors ?? [];
  const where = configuration.manifestPath ?? 'embedded defaults';
  io.out(
    `ok: ${where} is valid; ${connectors.length} connector instance${connectors.length === 1 ? '' : 's'}${connectors.length ? ` (${connectors.map((c) => `${c.id}: ${c.type}`).join(', ')})` : ''}`,
  );
  return 0;
}

/** `provisio schema`: JSON Schema of the manifest with every loaded plugin's config, for editors. */
export async function schemaCommand(options: CommandOptions, io: CliIo): Promise<number> {
  const configuration = await load(options, io);
  const pluginProblems = configuration.problems.filter((p) => p.path.startsWith('plugins'));
  if (pluginProblems.length > 0) {
    printProblems(pluginProblems, configuration.manifestPath, io.err);
    return 1;
  }
  io.out(JSON.stringify(manifestJsonSchema(configuration.registry), null, 2));
  return 0;
}

/** `provisio connectors`: loaded plugins, their connector types and each type's config fields. */
export async function connectorsCommand(options: CommandOptions, io: CliIo): Promise<number> {
  const configuration = await load(options, io);
  const pluginProblems = configuration.problems.filter((p) => p.path.startsWith('plugins'));
  if (pluginProblems.length > 0) printProblems(pluginProblems, configuration.manifestPath, io.err);
  const types = configuration.registry.list().map((summary) => {
    const definition = configuration.registry.get(summary.type);
    return { ...summary, fields: definition ? configFields(definition.configSchema, definition.secretFields) : [] };
  });
  const plugins = configuration.plugins.map((p) => ({
    name: p.plugin.name,
    version: p.version,
    location: p.location,
    types: p.plugin.connectors.map((c) => c.type),
  }));
  if (options.json) {
    io.out(JSON.stringify({ plugins, connectorTypes: types }, null, 2));
    return pluginProblems.length > 0 ? 1 : 0;
  }
  io.out('Plugins:');
  for (const p of plugins)
    io.out(`  ${p.name}${p.version ? `@${p.version}` : ''}  types: ${p.types.join(', ') || '(none)'}  (${p.location})`);
  io.out('');
  io.out('Connector types:');
  for (const t of types) {
    io.out(`  ${t.type}  ${t.displayName}  [${t.plugin}]`);
    for (const f of t.fields) {
      const notes = [
        f.required ? 'required' : 'optional',
        ...(f.secret ? ['secret'] : []),
        ...(f.default !== undefined ? [`default ${JSON.stringify(f.default)}`] : []),
      ];
      io.out(
        `    ${f.path}: ${f.type} (${notes.join(', ')})${f.variant ? ` [with ${f.variant}]` : ''}${f.description ? ` - ${f.description}` : ''}`,
      );
    }
  }
  return pluginProblems.length > 0 ? 1 : 0;
}

/** `provisio serve`: runs until SIGTERM/SIGINT, then shuts down gracefully. */
export async function serveCommand(options: CommandOptions, io: CliIo): Promise<number> {
  let heap: HeapPolicy;
  try {
    heap = applyHeapPolicy();
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  const configuration = await load(options, io);
  if (configuration.problems.length > 0 || !configuration.manifest) {
    printProblems(configuration.problems, configuration.manifestPath, io.err);
    return 1;
  }
  const role = (options.role ?? 'all') as Role;
  if (!ROLES.includes(role)) {
    io.err(`--role must be one of ${ROLES.join(', ')}, not "${options.role}"`);
    return 2;
  }
  if (role !== 'all' && configuration.manifest.store.type !== 'postgres') {
    io.err(`--role ${role} needs store.type "postgres": with SQLite one process does everything (use --role all)`);
    return 2;
  }
  const { logger, scrubber } = createLogger({ level: configuration.manifest.server.logLevel, secrets: configuration.secretValues });
  logger.info({ heap }, `heap policy ${heap} (PROVISIO_HEAP)`);
  let server;
  try {
    server = await startServer(configuration, logger, {
      scrub: (text) => scrubber.scrub(text),
      worker: role !== 'api',
      api: role !== 'worker',
    });
  } catch (error) {
    logger.fatal({ err: error }, 'provisio could not start');
    return 1;
  }
  io.err(`Provisio${role === 'all' ? '' : ` (role ${role})`} listening on ${server.url} (GET ${server.url}/healthz)`);
  const running = server;
  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => {
        logger.error('shutdown took longer than 15 s; exiting');
        resolveExit(1);
      }, 15000);
      force.unref();
      running.stop().then(
        () => resolveExit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'error while shutting down');
          resolveExit(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    // SIGHUP: read the manifest again and swap it in; a bad one is logged and the running one stays.
    process.on('SIGHUP', () => {
      if (stopping) return;
      logger.info({ signal: 'SIGHUP' }, 'reloading the configuration');
      load(options, io)
        .then((next) => {
          scrubber.add(next.secretValues);
          return running.reload(next);
        })
        .catch((error: unknown) => logger.error({ err: error }, 'configuration reload failed; the running configuration is unchanged'));
    });
  });
}

/** `provisio migrate`: brings the PostgreSQL schemas (ours and pg-boss's) to this version, then exits. */
export async function migrateCommand(options: CommandOptions, io: CliIo): Promise<number> {
  const configuration = await load(options, io);
  if (configuration.problems.length > 0 || !configuration.manifest) {
    printProblems(configuration.problems, configuration.manifestPath, io.err);
    return 1;
  }
  if (configuration.manifest.store.type !== 'postgres') {
    io.out('store.type is "sqlite": its file is migrated when the server opens it; nothing to do');
    return 0;
  }
  const result = await PostgresStore.migrate({
    ...postgresStoreOptions(configuration.manifest),
    defaultTenant: configuration.manifest.defaultTenant,
  });
  const line =
    result.from === result.to
      ? `schema "${result.schema}" is at version ${result.to}`
      : `schema "${result.schema}" migrated from version ${result.from} to ${result.to}`;
  io.out(`ok: ${line}; job queue schema "${result.queueSchema}" at pg-boss version ${result.queueVersion ?? '?'}`);
  return 0;
}
