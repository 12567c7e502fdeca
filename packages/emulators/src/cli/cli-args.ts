// Parses and checks the command line; every mistake becomes a CliUsageError naming the flag.
import { parseArgs } from 'node:util';
import { CliUsageError } from './cli-errors.js';
import { isLoopbackHost } from './loopback-host.js';

const EMULATOR_NAMES = ['salesforce', 'google', 'scim'] as const;
export type EmulatorName = (typeof EMULATOR_NAMES)[number];

const SCIM_AUTH_TYPES = ['none', 'bearer', 'basic', 'apikey', 'oauth2'] as const;
export type ScimCliAuth = (typeof SCIM_AUTH_TYPES)[number];

export interface CliArgs {
  emulator: EmulatorName;
  port: number;
  host: string;
  seedFile?: string;
  latencyMs: number;
  scimAuth: ScimCliAuth;
  json: boolean;
}

export type ParsedCommandLine = { help: true } | ({ help: false } & CliArgs);

/** An hour is far beyond any useful latency; larger values are typos. */
const MAX_LATENCY_MS = 3_600_000;

function integerFlag(flag: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw new CliUsageError(`${flag} must be a whole number from 0 to ${max}, got '${raw}'`);
  return Number(raw);
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

export function parseCommandLine(argv: string[]): ParsedCommandLine {
  let parsed: ReturnType<typeof parseWithNode>;
  try {
    parsed = parseWithNode(argv);
  } catch (error) {
    // Node's messages already name the flag ("Unknown option '--prot'").
    throw new CliUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length !== 1)
    throw new CliUsageError(
      positionals.length === 0 ? 'name the emulator to start' : `one emulator at a time, got '${positionals.join(' ')}'`,
    );
  const emulator = positionals[0];
  if (!isOneOf(EMULATOR_NAMES, emulator)) throw new CliUsageError(`unknown emulator '${emulator}': choose ${EMULATOR_NAMES.join(', ')}`);
  const host = values.host ?? '127.0.0.1';
  if (host === '') throw new CliUsageError('--host must not be empty');
  if (!values['allow-remote'] && !isLoopbackHost(host)) {
    throw new CliUsageError(`--host ${host} is not a loopback address; add --allow-remote to listen on it anyway`);
  }
  const auth = values.auth ?? 'bearer';
  if (values.auth !== undefined && emulator !== 'scim') throw new CliUsageError(`--auth applies to the scim emulator only`);
  if (!isOneOf(SCIM_AUTH_TYPES, auth)) throw new CliUsageError(`--auth must be one of ${SCIM_AUTH_TYPES.join(', ')}, got '${auth}'`);
  if (values.seed === '') throw new CliUsageError('--seed needs a file name');
  return {
    help: false,
    emulator,
    port: integerFlag('--port', values.port, 0, 65535),
    host,
    ...(values.seed === undefined ? {} : { seedFile: values.seed }),
    latencyMs: integerFlag('--latency', values.latency, 0, MAX_LATENCY_MS),
    scimAuth: auth,
    json: values.json ?? false,
  };
}

function parseWithNode(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'allow-remote': { type: 'boolean' },
      seed: { type: 'string' },
      latency: { type: 'string' },
      auth: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
