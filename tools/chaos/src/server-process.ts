// One `provisio serve --role <role>` child process, started from apps/server/dist as production
// runs it, that the killer may SIGKILL at any moment.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export type ServerRole = 'api' | 'worker' | 'all';

/** apps/server/dist/cli.js; src/ and dist/ of this package sit at the same depth. */
export const DEFAULT_CLI = join(import.meta.dirname, '..', '..', '..', 'apps', 'server', 'dist', 'cli.js');

export interface ServerSpec {
  role: ServerRole;
  manifestPath: string;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  cliPath?: string;
  startTimeoutMs?: number;
}

export interface ServerProcess {
  readonly spec: ServerSpec;
  readonly url: string;
  readonly pid: number;
  /** The last 20,000 characters the process wrote (logLevel warn: warnings and errors). */
  output(): string;
  alive(): boolean;
  /** SIGKILL: no shutdown hook runs, in-flight jobs stay claimed until their lease ends. */
  kill(): Promise<void>;
  /** SIGTERM, SIGKILL after 15 s; resolves with the exit code (null when a signal ended the process). */
  stop(): Promise<number | null>;
}

export function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const timeoutMs = spec.startTimeoutMs ?? 60000;
  const child: ChildProcess = spawn(
    process.execPath,
    [spec.cliPath ?? DEFAULT_CLI, 'serve', '--config', spec.manifestPath, '--role', spec.role],
    {
      cwd: spec.cwd,
      env: { ...process.env, PORT: '0', ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let tail = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const signal = async (name: NodeJS.Signals, forceAfterMs?: number) => {
    if (alive()) child.kill(name);
    const force = forceAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), forceAfterMs);
    const code = await exited;
    clearTimeout(force);
    return code;
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      child.kill('SIGKILL');
      reject(new Error(`provisio serve --role ${spec.role} did not listen within ${timeoutMs} ms:\n${tail}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-20000);
      const match = /Provisio(?: \(role \w+\))? listening on (http:\/\/\S+)/.exec(tail);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({
          spec,
          url: match[1],
          pid: child.pid ?? 0,
          output: () => tail,
          alive,
          kill: async () => {
            await signal('SIGKILL');
          },
          stop: () => signal('SIGTERM', 15000),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`provisio serve --role ${spec.role} exited (${child.exitCode ?? child.signalCode}) before listening:\n${tail}`));
    });
  });
}
