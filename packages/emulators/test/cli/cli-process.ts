// Runs the built provisio-emulator CLI as a child process and reads what it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');
const START_TIMEOUT_MS = 20_000;

export interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnCli(args: string[]): CliRun {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits until the CLI has printed `marker` on stdout; fails if it exits or takes too long. */
export async function startedCli(args: string[], marker = 'Stop with Ctrl+C.'): Promise<CliRun> {
  const run = spawnCli(args);
  for (let waited = 0; !run.stdout().includes(marker); waited += 50) {
    if (run.child.exitCode !== null || waited > START_TIMEOUT_MS) {
      run.child.kill('SIGKILL');
      throw new Error(`provisio-emulator ${args.join(' ')} did not start:\n${run.stdout()}\n${run.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return run;
}

/** Sends `signal` and waits for the exit; SIGKILL after a grace period so no child outlives the test. */
export async function stopCli(run: CliRun, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return run.exited;
  run.child.kill(signal);
  const force = setTimeout(() => run.child.kill('SIGKILL'), 10_000);
  const result = await run.exited;
  clearTimeout(force);
  return result;
}

/** The value printed after `label` in the text output ("  Label   value"). */
export function printed(run: CliRun, label: string): string {
  const match = new RegExp(`^  ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+(\\S+)`, 'm').exec(run.stdout());
  if (!match) throw new Error(`the CLI did not print '${label}':\n${run.stdout()}`);
  return match[1];
}
