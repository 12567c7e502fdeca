// Runs the production path, `provisio serve --config <demo manifest>`, as a child process.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface DemoServer {
  url: string;
  /** SIGTERM, then SIGKILL after 15 s; resolves with the server's exit code. */
  stop(): Promise<number | null>;
}

export function startDemoServer(workspaceRoot: string, manifestPath: string, env: NodeJS.ProcessEnv): Promise<DemoServer> {
  const cli = join(workspaceRoot, 'apps', 'server', 'dist', 'cli.js');
  const child = spawn(process.execPath, [cli, 'serve', '--config', manifestPath], {
    cwd: workspaceRoot,
    env,
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 15000);
    const code = await exited;
    clearTimeout(force);
    return code;
  };
  return new Promise<DemoServer>((resolve, reject) => {
    let seen = '';
    let listening = false;
    child.stderr.on('data', (chunk: Buffer) => {
      if (listening) {
        process.stderr.write(chunk);
        return;
      }
      seen += chunk.toString();
      const match = seen.match(/Provisio listening on (\S+)/);
      if (match) {
        listening = true;
        resolve({ url: match[1], stop });
      }
    });
    void exited.then((code) => {
      if (!listening) reject(new Error(`provisio serve exited with code ${code}:\n${seen.trim()}`));
    });
  });
}
