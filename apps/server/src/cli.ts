#!/usr/bin/env node
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import {
  checkCommand,
  guardCommand,
  jobsCommand,
  quarantineCommand,
  reconcileCommand,
  retryCommand,
  type AdminCommandOptions,
} from './cli/admin-commands.js';
import { pruneCommand, type PruneOptions } from './cli/prune-command.js';
import { importCommand } from './cli/import-command.js';
import { tenantCommand } from './cli/tenant-command.js';
import { connectorsCommand, migrateCommand, schemaCommand, serveCommand, validateCommand, type CliIo } from './cli/commands.js';

const USAGE = `Usage: provisio <command> [--config FILE]

Commands:
  serve        run the server (default manifest: ./provisio.config.yaml, else embedded defaults)
               --role all|api|worker (PostgreSQL): SCIM + admin API, the job worker, or both (default)
  migrate      bring the PostgreSQL schemas up to this version (serve also does it at start)
  validate     check a manifest; one line per problem, exit 1 if any
  schema       print the JSON Schema of the manifest, with every loaded plugin's config
  connectors   list loaded plugins, connector types and their config fields (--json)
  prune        remove jobs and audit entries older than the manifest's retention now (the worker also does it
               in the background); --dry-run reports counts, oldest and newest per kind and removes nothing
  tenant list  the manifest's tenants and those the store holds data of (--json)
  tenant delete <domain>
               remove every row of a tenant no longer in the manifest (with SQLite, stop the server first)

Talking to a running server (admin API; token from PROVISIO_ADMIN_TOKEN or --token):
  jobs [--status S] [--connector ID] [--user ID]   list jobs (S: pending|running|succeeded|failed|superseded|held|discarded)
  retry <job-id> | retry --connector ID           retry one failed job, or every failed job of an instance
  reconcile <connector-id>                         re-plan identities whose link is missing, failed or stale
  import <connector-id> [--apply]                  link the accounts the target already holds (dry run without --apply)
  check <connector-id>                             test the connection of an instance
  guard <connector-id> [release|discard]           the accidental-deletion guard: held count and sample; send or cancel the held jobs
  quarantine [list]                                quarantined instances: reason, since, next probe
  quarantine release <connector-id>                end a quarantine by hand; its waiting jobs run now

Options:
  -c, --config FILE   the manifest (YAML or JSON)
  --server URL        the server for admin commands (default: PROVISIO_URL, else the manifest's host/port)
  --token TOKEN       admin bearer token (default: PROVISIO_ADMIN_TOKEN)
  --tenant DOMAIN     admin commands: act on that tenant (its /t/<domain>/admin/v1); default: the default tenant
  --apply             import: write the links (default: report only)
  --json              machine-readable output (connectors, jobs, prune; import: NDJSON lines)
  --dry-run           prune: report what would go, remove nothing
  -h, --help          this text`;

// A reader that stops early (`provisio connectors | head`) closes the pipe: end quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/** The commands that take no positional argument: only the options and the output. */
const OPTIONS_ONLY_COMMANDS: Record<string, (options: PruneOptions & AdminCommandOptions, io: CliIo) => Promise<number>> = {
  serve: serveCommand,
  validate: validateCommand,
  migrate: migrateCommand,
  schema: schemaCommand,
  connectors: connectorsCommand,
  prune: pruneCommand,
  jobs: jobsCommand,
};

async function main(argv: string[]): Promise<number> {
  const io: CliIo = {
    cwd: process.cwd(),
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        server: { type: 'string' },
        token: { type: 'string' },
        tenant: { type: 'string' },
        status: { type: 'string' },
        connector: { type: 'string' },
        user: { type: 'string' },
        limit: { type: 'string' },
        role: { type: 'string' },
        'dry-run': { type: 'boolean' },
        apply: { type: 'boolean' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, argument, ...rest] = parsed.positionals;
  if (parsed.values.help || command === undefined) {
    (command === undefined && !parsed.values.help ? io.err : io.out)(USAGE);
    return command === undefined && !parsed.values.help ? 2 : 0;
  }
  const options = parsed.values;
  const progress = (line: string) => {
    if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
  };
  if (Object.hasOwn(OPTIONS_ONLY_COMMANDS, command)) return OPTIONS_ONLY_COMMANDS[command](options, io);
  switch (command) {
    case 'retry':
      return retryCommand(argument, options, io);
    case 'reconcile':
      return reconcileCommand(argument, options, { ...io, progress });
    case 'check':
      return checkCommand(argument, options, io);
    case 'guard':
      return guardCommand(argument, rest[0], options, io);
    case 'quarantine':
      return quarantineCommand(argument, rest[0], options, io);
    case 'import':
      return importCommand(argument, options, { ...io, progress, tty: process.stdout.isTTY === true });
    case 'tenant':
      return tenantCommand(argument, rest[0], options, io);
    default:
      io.err(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Expected failures (server unreachable, 4xx from the admin API) are one clear line, not a stack.
    process.stderr.write(`provisio: ${(error as Error).message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
