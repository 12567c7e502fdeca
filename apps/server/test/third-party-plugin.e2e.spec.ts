import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode, workspaceRoot } from './cli-harness.js';
import {
  installSite,
  npm,
  packWorkspaces,
  scimCreateUser,
  serverWorkspaces,
  siteCli,
  startPluginSite,
  tarballsIn,
  waitFor,
  type Process,
} from './packed-site.js';

/**
 * The promise to connector authors, checked for real: a connector package
 * built outside the workspace is packed, installed from its tarball next to a
 * packed server, named in a manifest, and the server sees it and provisions
 * through it into the example's own emulator. No workspace code is touched and
 * nothing is loaded through the workspace's node_modules.
 */
describe('a third-party connector installed from a tarball', () => {
  const exampleDir = join(workspaceRoot, 'examples', 'rest-directory-connector');
  const appDir = realpathSync(mkdtempSync(join(tmpdir(), 'provisio-thirdparty-')));
  const tarballs = join(appDir, 'tarballs');
  const running: Process[] = [];

  beforeAll(() => {
    mkdirSync(tarballs);
    // The example is built with its own tsconfig, as its author would.
    execFileSync(
      process.execPath,
      [join(workspaceRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(exampleDir, 'tsconfig.json')],
      { stdio: 'pipe' },
    );
    npm(['pack', '--pack-destination', tarballs], exampleDir);
    // The server and every workspace package it depends on, as they would come from the registry.
    const packed = [...packWorkspaces(serverWorkspaces(), tarballs), ...tarballsIn(tarballs, ['provisio-connector-rest-directory'])];
    installSite(appDir, packed);
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

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    rmSync(appDir, { recursive: true, force: true });
  });

  const cli = () => siteCli(appDir);

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

    writeFileSync(
      join(appDir, 'broken.yaml'),
      'plugins: [provisio-connector-rest-directory]\nconnectors:\n  - { id: d, type: rest-directory, config: { baseUrl: not-a-url } }\n',
    );
    const invalid = await runNode(cli(), ['validate', '-c', 'broken.yaml'], { cwd: appDir });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('error: connectors[0].config.apiToken: Required');
    expect(invalid.stderr).toMatch(/error: connectors\[0\]\.config\.baseUrl: /);

    // The plugin's mapping function is known to validate, and its arguments are checked at the field's path.
    writeFileSync(
      join(appDir, 'mapping.yaml'),
      'plugins: [provisio-connector-rest-directory]\nconnectors:\n  - id: d\n    type: rest-directory\n    config: { baseUrl: "http://127.0.0.1:9/api", apiToken: t }\n    mapping: { ok: "directoryHandle(userName)", bad: "directoryHandle()" }\n',
    );
    const mapping = await runNode(cli(), ['validate', '-c', 'mapping.yaml'], { cwd: appDir });
    expect(mapping.stderr).toContain('error: connectors[0].mapping.bad: directoryHandle takes at least 1 argument');
    expect(mapping.stderr).not.toContain('mapping.ok');
    expect(mapping.code).toBe(1);
  });

  it('names a plugin that is not installed', async () => {
    writeFileSync(join(appDir, 'missing.yaml'), 'plugins: [provisio-connector-nowhere]\n');
    const result = await runNode(cli(), ['validate', '-c', 'missing.yaml'], { cwd: appDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: plugins[0]: provisio-connector-nowhere is not installed');
  });

  it("provisions a user created over SCIM into the directory (the example's own emulator), through its own mapping function, and serves its route", async () => {
    const directoryToken = 'directory-e2e-token-0123456789';
    const scimToken = 'scim-e2e-token-0123456789';
    const adminToken = 'admin-e2e-token-0123456789';
    const { emulator: directory, server } = await startPluginSite({
      siteDir: appDir,
      manifestName: 'provision.yaml',
      plugin: 'provisio-connector-rest-directory',
      emulator: {
        modulePath: join(exampleDir, 'test', 'rest-directory-emulator.ts'),
        startFn: 'startRestDirectoryEmulator',
        token: directoryToken,
      },
      connector: {
        id: 'directory',
        type: 'rest-directory',
        mapping: {
          givenName: 'name.givenName',
          familyName: 'http://wso2.org/claims/lastname',
          email: 'http://wso2.org/claims/emailaddress',
          handle: 'directoryHandle(name.givenName, name.familyName)',
          login: '{ from: userName, transform: [directoryHandle, upper] }',
        },
      },
      scimToken,
      adminToken,
      running,
    });

    // The plugin's route, mounted under its name behind the admin credentials.
    const about = `${server.url}/plugins/provisio-connector-rest-directory/about`;
    expect((await fetch(about, { signal: AbortSignal.timeout(10000) })).status).toBe(401);
    const answered = await fetch(about, { headers: { authorization: `Bearer ${adminToken}` }, signal: AbortSignal.timeout(10000) });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({
      plugin: 'provisio-connector-rest-directory',
      connectorTypes: ['rest-directory'],
      functions: ['directoryHandle'],
    });

    const created = await scimCreateUser(server.url, scimToken, {
      userName: 'ada@example.com',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: 'ada@example.com', primary: true }],
    });
    expect(created.id).toEqual(expect.any(String));

    const lookup = async () => {
      const response = await fetch(`${directory.url}/users?userName=${encodeURIComponent('ada@example.com')}`, {
        headers: { authorization: `Bearer ${directoryToken}` },
      });
      const found = (await response.json()) as Record<string, unknown>[];
      return found.length > 0 ? found : undefined;
    };
    const found = await waitFor('ada@example.com in the directory', lookup);
    // handle and login come from the plugin's directoryHandle function, in `from` and as a transform.
    expect(found).toEqual([
      expect.objectContaining({
        userName: 'ada@example.com',
        givenName: 'Ada',
        familyName: 'Lovelace',
        email: 'ada@example.com',
        handle: 'ada.lovelace',
        login: 'ADAEXAMPLECOM',
        active: true,
      }),
    ]);
    // The token reached the directory as a bearer credential and never the server's output.
    expect(server.output()).not.toContain(directoryToken);
    expect(server.output()).not.toContain(adminToken);
  });
});
