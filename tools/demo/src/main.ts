// `npm start`: the emulated targets, then `provisio serve --config examples/demo/provisio.demo.yaml`
// wired to them through environment variables,
// and instructions to watch a user flow. Loopback only; no credentials, no network.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { demoCredentials } from './demo-credentials.ts';
import { startDemoEmulators, type DemoEmulators } from './demo-emulators.ts';
import { demoEnvironment } from './demo-environment.ts';
import { demoInstructions } from './demo-instructions.ts';
import { startDemoServer, type DemoServer } from './demo-server.ts';

const workspaceRoot = resolve(import.meta.dirname, '..', '..', '..');
const manifestPath = join(workspaceRoot, 'examples', 'demo', 'provisio.demo.yaml');
const dataDir = mkdtempSync(join(tmpdir(), 'provisio-demo-'));
const paths = { database: join(dataDir, 'provisio.db'), memoryJournal: join(dataDir, 'memory.jsonl') };

let emulators: DemoEmulators | undefined;
let server: DemoServer | undefined;

async function shutdown(): Promise<void> {
  const code = await server?.stop();
  await emulators?.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (code) throw new Error(`provisio serve exited with code ${code}`);
}

function stopOn(signal: NodeJS.Signals): void {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the demo...`);
    const force = setTimeout(() => {
      console.error('shutdown took longer than 15 s; exiting');
      process.exit(1);
    }, 15000);
    force.unref();
    shutdown().then(
      () => {
        console.error('demo stopped');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`error while stopping: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  });
}
stopOn('SIGINT');
stopOn('SIGTERM');

try {
  const credentials = demoCredentials(process.env);
  emulators = await startDemoEmulators(credentials, process.env['PROVISIO_DEMO_EMULATOR_PORTS'] !== '0');
  const env = { ...process.env, ...demoEnvironment(credentials, emulators, paths) };
  server = await startDemoServer(workspaceRoot, manifestPath, env);
  process.stdout.write(
    demoInstructions({
      serverUrl: server.url,
      credentials,
      emulators,
      memoryJournal: paths.memoryJournal,
      manifestPath: relative(process.cwd(), manifestPath),
    }),
  );
} catch (error) {
  console.error(`The demo could not start: ${(error as Error).message}`);
  if (/EADDRINUSE/.test((error as Error).message))
    console.error('Another process holds the port; set PORT to another one (PORT=0 picks a free port).');
  await shutdown().catch(() => undefined);
  process.exit(1);
}
