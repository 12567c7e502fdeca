// What the packed-install e2e tests share: npm on workspace packages and a
// temporary "site" (the folder an operator installs Provisio into), the server
// started from that site, a connector's emulator run from its source, and
// bounded polling. Nothing here resolves through the workspace's node_modules.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { workspaceRoot } from './cli-harness.js';

const npmBin = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npmEnv = () => ({
  ...process.env,
  npm_config_loglevel: 'error',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
});

/** Runs npm to completion (bounded); throws with npm's own output when it fails. */
export function npm(args: string[], cwd: string, timeoutMs = 120000): string {
  return execFileSync(npmBin, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, env: npmEnv() });
}

/** Runs an npm script and returns stdout and stderr together (Jest reports on stderr). */
export function npmRun(args: string[], cwd: string, timeoutMs = 120000): { code: number | null; output: string } {
  const result = spawnSync(npmBin, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: npmEnv() });
  return { code: result.status, output: `${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}` };
}

/** `@provisio/server` and every workspace package it depends on, directly or through another: what a registry would serve. */
export function serverWorkspaces(): string[] {
  const dependenciesOf = (dir: string) =>
    Object.keys(
      (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {},
    ).filter((name) => name.startsWith('@provisio/'));
  const names = ['@provisio/server'];
  // Breadth-first over package.json files; each name once, so the walk ends with the workspace.
  for (let index = 0; index < names.length; index += 1) {
    const dir = index === 0 ? join(workspaceRoot, 'apps', 'server') : join(workspaceRoot, 'node_modules', names[index]);
    for (const name of dependenciesOf(dir)) if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Packs workspace packages (from their built dist) into `destination` in one npm call; returns the tarball paths. */
export function packWorkspaces(names: string[], destination: string): string[] {
  const unique = [...new Set(names)];
  npm(['pack', ...unique.flatMap((name) => ['-w', name]), '--pack-destination', destination], workspaceRoot);
  return tarballsIn(destination, unique);
}

/** The tarball `npm pack` wrote for each package name (`@provisio/core` → provisio-core-0.1.0.tgz). */
export function tarballsIn(directory: string, names: string[]): string[] {
  const files = readdirSync(directory);
  return names.map((name) => {
    const prefix = `${name.replace(/^@/, '').replace('/', '-')}-`;
    const file = files.find((f) => f.startsWith(prefix) && /^\d/.test(f.slice(prefix.length)) && f.endsWith('.tgz'));
    if (!file) throw new Error(`no tarball of ${name} in ${directory} (have: ${files.join(', ')})`);
    return join(directory, file);
  });
}

/** An empty npm project in `siteDir` with the given tarballs installed, as an operator would. */
export function installSite(siteDir: string, tarballs: string[]): void {
  writeFileSync(join(siteDir, 'package.json'), JSON.stringify({ name: 'provisio-site', private: true, type: 'module' }));
  npm(['install', '--prefer-offline', ...tarballs], siteDir, 180000);
}

export const siteCli = (siteDir: string) => join(siteDir, 'node_modules', '@provisio', 'server', 'dist', 'cli.js');

export interface Process {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns node and waits (bounded) until its output matches `ready`; resolves with the match. */
function spawnUntil(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp; timeoutMs: number },
): Promise<{ process: Process; match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let settled = false;
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    const handle: Process = {
      child,
      output: () => output,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(timer);
      },
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(new Error(`node ${args[0]} was not ready within ${options.timeoutMs} ms:\n${output}`));
    }, options.timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = options.ready.exec(output);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ process: handle, match });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`node ${args[0]} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** `provisio serve` from the site's installed server, on a free port; resolves once it listens. */
async function startSiteServer(siteDir: string, manifest: string, env: NodeJS.ProcessEnv): Promise<Process & { url: string }> {
  const { process: server, match } = await spawnUntil([siteCli(siteDir), 'serve', '--config', manifest], {
    cwd: siteDir,
    env: { ...env, PORT: '0' },
    ready: /Provisio listening on (http:\/\/\S+)/,
    timeoutMs: 30000,
  });
  return { ...server, url: match[1] };
}

/**
 * Runs a connector's emulator from its TypeScript source in a child process
 * (Node strips the types): `startFn(token)` must resolve to `{ url, close() }`.
 */
async function startEmulatorProcess(modulePath: string, startFn: string, token: string): Promise<Process & { url: string }> {
  const script = `
const emulator = await (await import(process.env.EMULATOR_MODULE))[process.env.EMULATOR_START](process.env.EMULATOR_TOKEN);
process.on('SIGTERM', () => emulator.close().then(() => process.exit(0)));
console.log('emulator listening on ' + emulator.url);
`;
  const { process: emulator, match } = await spawnUntil(['--input-type=module', '--no-warnings', '-e', script], {
    cwd: workspaceRoot,
    env: { EMULATOR_MODULE: pathToFileURL(modulePath).href, EMULATOR_START: startFn, EMULATOR_TOKEN: token },
    ready: /emulator listening on (http:\/\/\S+)/,
    timeoutMs: 15000,
  });
  return { ...emulator, url: match[1] };
}

/**
 * A connector package's emulator (run from its source, accepting `emulator.token`) and the site's server provisioning
 * to it: `manifestName` in the site loads `plugin`, takes SCIM with `scimToken` (and the admin API with `adminToken`),
 * and holds the one connector `connector`, configured with the emulator's URL and token (`baseUrl`, `apiToken`, as
 * the generated connectors take them) and mapping each field as the YAML of its rule. Both processes go into
 * `running`, for the test to stop.
 */
export async function startPluginSite(options: {
  siteDir: string;
  manifestName: string;
  plugin: string;
  emulator: { modulePath: string; startFn: string; token: string };
  connector: { id: string; type: string; mapping: Record<string, string> };
  scimToken: string;
  adminToken?: string;
  running: Process[];
}): Promise<{ emulator: Process & { url: string }; server: Process & { url: string } }> {
  const emulator = await startEmulatorProcess(options.emulator.modulePath, options.emulator.startFn, options.emulator.token);
  options.running.push(emulator);
  const admin = options.adminToken === undefined ? '' : 'admin: { auth: { bearer: [{ name: operator, token: "${env:ADMIN_TOKEN}" }] } }\n';
  writeFileSync(
    join(options.siteDir, options.manifestName),
    `server: { host: 127.0.0.1, port: 0, logLevel: warn }
store: { type: sqlite, path: data/provisio.db }
plugins: [${options.plugin}]
inbound: { scim: { auth: { bearer: [{ name: e2e, token: "\${env:SCIM_TOKEN}" }] } } }
${admin}connectors:
  - id: ${options.connector.id}
    type: ${options.connector.type}
    config: { baseUrl: "${emulator.url}", apiToken: "\${env:TARGET_TOKEN}" }
    mapping:
${Object.entries(options.connector.mapping)
  .map(([field, rule]) => `      ${field}: ${rule}\n`)
  .join('')}`,
  );
  const server = await startSiteServer(options.siteDir, options.manifestName, {
    SCIM_TOKEN: options.scimToken,
    TARGET_TOKEN: options.emulator.token,
    ...(options.adminToken === undefined ? {} : { ADMIN_TOKEN: options.adminToken }),
  });
  options.running.push(server);
  return { emulator, server };
}

/** POST /scim/v2/Users with a bearer token; returns the created resource, or throws with the server's answer. */
export async function scimCreateUser(serverUrl: string, token: string, user: Record<string, unknown>): Promise<{ id: string }> {
  const response = await fetch(`${serverUrl}/scim/v2/Users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], ...user }),
    signal: AbortSignal.timeout(10000),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`SCIM create answered ${response.status}: ${text}`);
  return JSON.parse(text) as { id: string };
}

/** Polls `probe` every `intervalMs` until it returns a value, for at most `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 15000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
