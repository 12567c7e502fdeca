import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ServerProcess {
  url: string;
  pid: number;
  /** The last lines the server wrote to stderr (warnings and errors; logLevel warn). */
  log(): string;
  /** SIGTERM, SIGKILL after 15 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const WORKSPACE = join(import.meta.dirname, '..', '..', '..');

/** `provisio serve --config <manifest>` from apps/server/dist, as production runs it; resolves once it listens. */
export function startServer(manifestPath: string, timeoutMs = 30000): Promise<ServerProcess> {
  const cli = join(WORKSPACE, 'apps', 'server', 'dist', 'cli.js');
  const child = spawn(process.execPath, [cli, 'serve', '--config', manifestPath], {
    cwd: WORKSPACE,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 15000);
    const code = await exited;
    clearTimeout(force);
    return code;
  };
  return new Promise<ServerProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`provisio serve did not listen within ${timeoutMs} ms:\n${tail}`));
    }, timeoutMs);
    let listening = false;
    child.stderr.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-20000);
      const match = !listening && tail.match(/Provisio listening on (\S+)/);
      if (match) {
        listening = true;
        clearTimeout(timer);
        resolve({ url: match[1], pid: child.pid ?? 0, log: () => tail, stop });
      }
    });
    void exited.then((code) => {
      if (!listening) {
        clearTimeout(timer);
        reject(new Error(`provisio serve exited with code ${code}:\n${tail}`));
      }
    });
  });
}
