#!/usr/bin/env node
// provisio-emulator: starts one emulator for a manual test, prints how to reach it, and stops
// cleanly on SIGINT/SIGTERM. Exit codes: 0 stopped by a signal, 1 failed while running, 2 bad input.
import { parseCommandLine, type CliArgs, type EmulatorName } from './cli-args.js';
import { CliUsageError } from './cli-errors.js';
import { USAGE } from './cli-usage.js';
import { runGoogle } from './run-google.js';
import { runSalesforce } from './run-salesforce.js';
import { runScim } from './run-scim.js';
import { readSeedFile, type SeedFile } from './seed-file.js';
import type { StartedEmulator } from './started-emulator.js';

const RUNNERS: Record<EmulatorName, (args: CliArgs, seed: SeedFile) => Promise<StartedEmulator>> = {
  salesforce: runSalesforce,
  google: runGoogle,
  scim: runScim,
};

function describe(started: StartedEmulator): string {
  const width = Math.max(...started.details.map(([label]) => label.length)) + 2;
  const lines = started.details.map(([label, value]) => `  ${label.padEnd(width)}${value}`);
  return [`${started.title} listening on ${started.url}`, ...lines, 'Stop with Ctrl+C.', ''].join('\n');
}

function stopOnSignal(started: StartedEmulator): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    started.close().then(
      () => {
        process.stderr.write(`${started.title} stopped (${signal})\n`);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`provisio-emulator: stopping failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function main(argv: string[]): Promise<void> {
  const command = parseCommandLine(argv);
  if (command.help) {
    process.stdout.write(USAGE);
    return;
  }
  const seed =
    command.seedFile === undefined ? { users: [], groups: [], permissionSets: [] } : readSeedFile(command.seedFile, command.emulator);
  const started = await RUNNERS[command.emulator](command, seed);
  stopOnSignal(started);
  process.stdout.write(command.json ? `${JSON.stringify(started.json)}\n` : describe(started));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliUsageError) {
    process.stderr.write(`provisio-emulator: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const code = (error as NodeJS.ErrnoException).code;
  const hint = code === 'EADDRINUSE' ? ' (the port is taken: pick another --port, or 0 for any free one)' : '';
  process.stderr.write(`provisio-emulator: ${(error as Error).message}${hint}\n`);
  process.exitCode = 1;
});
