#!/usr/bin/env node
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { connectorsCommand, schemaCommand, serveCommand, validateCommand, type CliIo } from './cli/commands.js';

const USAGE = `Usage: provisio <command> [--config FILE]

Commands:
  serve        run the server (default manifest: ./provisio.config.yaml, else embedded defaults)
  validate     check a manifest; one line per problem, exit 1 if any
  schema       print the JSON Schema of the manifest, with every loaded plugin's config
  connectors   list loaded plugins, connector types and their config fields (--json)

Options:
  -c, --config FILE   the manifest (YAML or JSON)
  -h, --help          this text`;

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
      options: { config: { type: 'string', short: 'c' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command] = parsed.positionals;
  if (parsed.values.help || command === undefined) {
    (command === undefined && !parsed.values.help ? io.err : io.out)(USAGE);
    return command === undefined && !parsed.values.help ? 2 : 0;
  }
  const options = { config: parsed.values.config, json: parsed.values.json };
  switch (command) {
    case 'serve':
      return serveCommand(options, io);
    case 'validate':
      return validateCommand(options, io);
    case 'schema':
      return schemaCommand(options, io);
    case 'connectors':
      return connectorsCommand(options, io);
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
    process.stderr.write(`provisio: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
