import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { startScimEmulator, type ScimEmulator } from '@provisio/emulators';

const workspaceRoot = join(import.meta.dirname, '..', '..', '..');
const SCIM_TOKEN = 'bundle-e2e-inbound-token-0123456789';
const TARGET_TOKEN = 'bundle-e2e-target-token-0123456789';
// The bundle runs on the Node running this test, whatever is first on PATH.
const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };

/** Runs a command to completion, bounded in time. */
function run(command: string, args: string[], cwd: string, timeoutMs = 30000, extraEnv: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...env, ...extraEnv } });
  return { code: result.status, stdout: result.stdout, stderr: `${result.stderr}${result.error ? String(result.error) : ''}` };
}

/** Every file path under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => statSync(join(dir, path)).isFile());
}

/** The root lockfile's version of a top-level production package. */
const lockedVersion = (name: string) =>
  (JSON.parse(readFileSync(join(workspaceRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> })
    .packages[`node_modules/${name}`].version;

/**
 * `npm run bundle` for real: the bundle is written outside the repository,
 * copied to another folder (so it cannot lean on where it was built, nor on
 * the workspace's node_modules), started through its own bin/provisio, and a
 * user created over SCIM reaches a SCIM target.
 */
describe('the deployable bundle', () => {
  const built = realpathSync(mkdtempSync(join(tmpdir(), 'provisio-bundle-built-')));
  const site = realpathSync(mkdtempSync(join(tmpdir(), 'provisio-bundle-site-')));
  const bundle = join(site, 'provisio');
  let bundlerOutput = '';
  let target: ScimEmulator | undefined;
  let server: ChildProcess | undefined;

  beforeAll(() => {
    // The test target builds the server and its plugins first (dependsOn ^build), so the bundler packs their dist as is.
    const result = run(
      process.execPath,
      [join(workspaceRoot, 'tools', 'bundle', 'src', 'main.ts'), '--out', built, '--skip-build'],
      workspaceRoot,
      420000,
    );
    bundlerOutput = `${result.stdout}${result.stderr}`;
    if (result.code !== 0) throw new Error(`npm run bundle failed:\n${bundlerOutput}`);
    // cp -a: several times faster than fs.cpSync on the bundle's ~19,000 files; keeps modes and symlinks.
    const copied = run('cp', ['-a', built, bundle], site, 120000);
    if (copied.code !== 0) throw new Error(`copying the bundle failed: ${copied.stderr}`);
    rmSync(built, { recursive: true, force: true });
  }, 480000);

  afterAll(async () => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    await target?.close();
    rmSync(built, { recursive: true, force: true });
    rmSync(site, { recursive: true, force: true });
  });

  it('prints where it is and its size', () => {
    expect(bundlerOutput).toContain(`bundle: ${built}`);
    expect(bundlerOutput).toMatch(/size: \d+(\.\d)? MB in \d+ files/);
  });

  it('holds the server, the built-in plugins, a start script, a sample manifest, a README and the license', () => {
    for (const name of [
      'server',
      'core',
      'connector-memory',
      'connector-scim',
      'connector-salesforce',
      'connector-google',
      'store-sqlite',
      'store-postgres',
      'store-sql',
      'scim-inbound',
      'console',
    ]) {
      expect({ name, installed: existsSync(join(bundle, 'node_modules', '@provisio', name, 'package.json')) }).toEqual({
        name,
        installed: true,
      });
    }
    expect(existsSync(join(bundle, 'node_modules', '@provisio', 'console', 'dist', 'app', 'index.html'))).toBe(true);
    expect(statSync(join(bundle, 'bin', 'provisio')).mode & 0o111).toBe(0o111);
    for (const file of ['provisio.config.yaml', 'README.md', 'LICENSE', 'package-lock.json'])
      expect(existsSync(join(bundle, file))).toBe(true);
  });

  it('has production dependencies only: no dev tools, no test-only packages, no tests', () => {
    for (const name of [
      'typescript',
      'jest',
      'ts-jest',
      'eslint',
      'nx',
      'vite',
      'react',
      'playwright-core',
      'newman',
      '@provisio/emulators',
      '@provisio/connector-testkit',
      '@types/node',
    ]) {
      expect({ name, present: existsSync(join(bundle, 'node_modules', name)) }).toEqual({ name, present: false });
    }
    const ours = filesUnder(join(bundle, 'node_modules', '@provisio'));
    expect(ours.filter((path) => /\.spec\.|(^|\/)test\//.test(path))).toEqual([]);
  });

  it('installs the third-party versions the workspace lockfile resolves', () => {
    for (const name of ['express', 'better-sqlite3', 'pg', 'zod', 'jsforce']) {
      const installed = (JSON.parse(readFileSync(join(bundle, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
        .version;
      expect({ name, version: installed }).toEqual({ name, version: lockedVersion(name) });
    }
  });

  it('resolves its packages from itself, not from the repository', () => {
    const resolved = run(process.execPath, ['-e', "process.stdout.write(require.resolve('@provisio/core'))"], bundle);
    expect(resolved.stderr).toBe('');
    expect(resolved.stdout.startsWith(join(bundle, 'node_modules', '@provisio', 'core'))).toBe(true);
    const listing = run(join(bundle, 'bin', 'provisio'), ['connectors', '--json'], site);
    expect(listing.stderr).toBe('');
    const plugins = (JSON.parse(listing.stdout) as { plugins: { name: string; location: string }[] }).plugins;
    expect(plugins.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        '@provisio/connector-memory',
        '@provisio/connector-scim',
        '@provisio/connector-salesforce',
        '@provisio/connector-google',
      ]),
    );
    for (const plugin of plugins) expect(plugin.location.startsWith(bundle)).toBe(true);
  });

  it('accepts its own sample manifest', () => {
    const result = run(join(bundle, 'bin', 'provisio'), ['validate', '--config', join(bundle, 'provisio.config.yaml')], site);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it("accepts the manifests of deploy/ (the Dockerfile's and docker-compose's) with their environment set", () => {
    const deployEnv = {
      PROVISIO_SCIM_TOKEN: 'scim-token-for-validation',
      PROVISIO_ADMIN_TOKEN: 'admin-token-for-validation',
      PROVISIO_PASSWORD_KEY: Buffer.alloc(32, 7).toString('base64'),
      DATABASE_URL: 'postgres://provisio:secret@127.0.0.1:5432/provisio',
    };
    for (const manifest of ['provisio.container.yaml', 'provisio.compose.yaml']) {
      const result = run(
        join(bundle, 'bin', 'provisio'),
        ['validate', '--config', join(workspaceRoot, 'deploy', manifest)],
        site,
        30000,
        deployEnv,
      );
      expect({ manifest, code: result.code, stderr: result.stderr }).toEqual({ manifest, code: 0, stderr: '' });
    }
    // Without its secrets the image's manifest names the missing variable instead of starting.
    const missing = run(
      join(bundle, 'bin', 'provisio'),
      ['validate', '--config', join(workspaceRoot, 'deploy', 'provisio.container.yaml')],
      site,
      30000,
      { PROVISIO_SCIM_TOKEN: undefined, PROVISIO_ADMIN_TOKEN: 'x' },
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('PROVISIO_SCIM_TOKEN');
  });

  it('starts with bin/provisio serve and provisions a user created over SCIM into a SCIM target', async () => {
    target = await startScimEmulator({ auth: { type: 'bearer', token: TARGET_TOKEN } });
    writeFileSync(
      join(site, 'provisio.config.yaml'),
      `server: { host: 127.0.0.1, port: 0, logLevel: info }
store: { type: sqlite, path: data/provisio.db }
inbound:
  scim:
    auth: { bearer: [{ name: e2e, token: "\${env:SCIM_TOKEN}" }] }
connectors:
  - id: scim-app
    type: scim2
    config: { baseUrl: "${target.baseUrl2}", auth: { type: bearer, token: "\${env:TARGET_TOKEN}" } }
`,
    );
    // cwd outside the bundle and the repository: the default manifest is the site's.
    const child = spawn(join(bundle, 'bin', 'provisio'), ['serve'], {
      cwd: site,
      env: { ...env, PORT: '0', SCIM_TOKEN, TARGET_TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bin/provisio serve was not listening within 30 s:\n${output}`)), 30000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Provisio listening on (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`bin/provisio serve exited with ${code}:\n${output}`));
      });
    });
    expect(output).toContain(join(site, 'data', 'provisio.db'));

    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(10000) });
    expect(ready.status).toBe(200);

    const created = await fetch(`${url}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SCIM_TOKEN}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'ada@example.com',
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        emails: [{ value: 'ada@example.com', primary: true }],
      }),
      signal: AbortSignal.timeout(10000),
    });
    expect(created.status).toBe(201);

    const emulator = target;
    const deadline = Date.now() + 15000;
    while (!emulator.state.findUserByUserName('ada@example.com') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(emulator.state.findUserByUserName('ada@example.com')).toMatchObject({
      userName: 'ada@example.com',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
    });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).not.toContain(TARGET_TOKEN);
    expect(output).not.toContain(SCIM_TOKEN);
  }, 60000);
});
