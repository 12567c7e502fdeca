import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode, workspaceRoot } from './cli-harness.js';

/**
 * The promise to connector authors, checked for real: a connector package
 * built outside the workspace is packed, installed from its tarball next to a
 * packed server, named in a manifest, and the server sees it. No workspace
 * code is touched and nothing is loaded through the workspace's node_modules.
 */
describe('a third-party connector installed from a tarball', () => {
  const exampleDir = join(workspaceRoot, 'examples', 'rest-directory-connector');
  const appDir = realpathSync(mkdtempSync(join(tmpdir(), 'provisio-thirdparty-')));
  const tarballs = join(appDir, 'tarballs');
  const npm = (args: string[], cwd: string) =>
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' } });

  beforeAll(() => {
    mkdirSync(tarballs);
    // The example is built with its own tsconfig, as its author would.
    execFileSync(process.execPath, [join(workspaceRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(exampleDir, 'tsconfig.json')], { stdio: 'pipe' });
    npm(['pack', '--pack-destination', tarballs], exampleDir);
    // The server and every workspace package it depends on, as they would come from the registry.
    const serverPackage = JSON.parse(readFileSync(join(workspaceRoot, 'apps', 'server', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const workspaces = ['@provisio/server', ...Object.keys(serverPackage.dependencies).filter((name) => name.startsWith('@provisio/'))];
    for (const workspace of workspaces) {
      npm(['pack', '-w', workspace, '--pack-destination', tarballs], workspaceRoot);
    }
    writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'provisio-site', private: true, type: 'module' }));
    const packed = readdirSync(tarballs).map((file) => join(tarballs, file));
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', ...packed], appDir);
    writeFileSync(
      join(appDir, 'provisio.config.yaml'),
      `plugins:
  - provisio-connector-rest-directory
connectors:
  - id: directory
    type: rest-directory
    config:
      baseUrl: http://127.0.0.1:9/api
      apiToken: \${env:DIRECTORY_TOKEN}
`,
    );
  }, 180000);

  const cli = () => join(appDir, 'node_modules', '@provisio', 'server', 'dist', 'cli.js');

  it('is listed by `provisio connectors` with its type and config fields', async () => {
    const result = await runNode(cli(), ['connectors', '--json'], { cwd: appDir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const listing = JSON.parse(result.stdout) as {
      plugins: { name: string; version?: string; location: string }[];
      connectorTypes: { type: string; plugin: string; fields: { path: string; secret: boolean; required: boolean }[] }[];
    };
    const plugin = listing.plugins.find((p) => p.name === 'provisio-connector-rest-directory');
    expect(plugin).toMatchObject({ version: '1.0.0', location: join(appDir, 'node_modules', 'provisio-connector-rest-directory') });
    const type = listing.connectorTypes.find((t) => t.type === 'rest-directory');
    expect(type?.plugin).toBe('provisio-connector-rest-directory');
    expect(type?.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'apiToken', secret: true, required: true }),
        expect.objectContaining({ path: 'baseUrl', secret: false, required: true }),
      ]),
    );
    // Every plugin, built in or not, comes from the installed site, not the workspace.
    for (const p of listing.plugins) expect(p.location.startsWith(appDir)).toBe(true);
  });

  it('passes `provisio validate`, and its config schema is enforced', async () => {
    const valid = await runNode(cli(), ['validate'], { cwd: appDir, env: { DIRECTORY_TOKEN: 'dir-token-1' } });
    expect(valid.stderr).toBe('');
    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain('directory: rest-directory');

    writeFileSync(join(appDir, 'broken.yaml'), 'plugins: [provisio-connector-rest-directory]\nconnectors:\n  - { id: d, type: rest-directory, config: { baseUrl: not-a-url } }\n');
    const invalid = await runNode(cli(), ['validate', '-c', 'broken.yaml'], { cwd: appDir });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('error: connectors[0].config.apiToken: Required');
    expect(invalid.stderr).toMatch(/error: connectors\[0\]\.config\.baseUrl: /);
  });

  it('names a plugin that is not installed', async () => {
    writeFileSync(join(appDir, 'missing.yaml'), 'plugins: [provisio-connector-nowhere]\n');
    const result = await runNode(cli(), ['validate', '-c', 'missing.yaml'], { cwd: appDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: plugins[0]: provisio-connector-nowhere is not installed');
  });
});
