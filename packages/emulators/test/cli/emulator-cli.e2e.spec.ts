// The built provisio-emulator CLI, driven only by what it prints, with the real clients.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admin } from '@googleapis/admin';
import { gaxios, JWT } from 'google-auth-library';
import jsforce from 'jsforce';
import { googleTokenRedirect } from '../../src/google/index.js';
import { printed, spawnCli, startedCli, stopCli, type CliRun } from './cli-process.js';

let seedDir: string;
const seedFile = (name: string, content: unknown): string => {
  const file = join(seedDir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

beforeAll(() => {
  seedDir = mkdtempSync(join(tmpdir(), 'emulator-cli-spec-'));
});
afterAll(() => rmSync(seedDir, { recursive: true, force: true }));

describe('provisio-emulator salesforce', () => {
  let run: CliRun;
  beforeAll(async () => {
    const seed = seedFile('salesforce.json', {
      users: [{ Username: 'ada@seed.example.com', FirstName: 'Ada', LastName: 'Lovelace' }],
      groups: [{ Name: 'Engineers', members: ['ada@seed.example.com'] }],
      permissionSets: [{ Name: 'Provisio_Test' }],
    });
    run = await startedCli(['salesforce', '--seed', seed, '--latency', '1']);
  });
  afterAll(() => stopCli(run, 'SIGKILL'));

  it('prints credentials jsforce logs in with, and serves the seeded users and groups', async () => {
    const loginUrl = printed(run, 'Login URL');
    expect(loginUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const conn = new jsforce.Connection({
      loginUrl,
      version: '59.0',
      oauth2: { loginUrl, clientId: printed(run, 'Client id'), clientSecret: printed(run, 'Client secret') },
    });
    await conn.login(printed(run, 'Username'), printed(run, 'Password') + printed(run, 'Security token'));
    const users = await conn.query<{ Username: string; LastName: string }>(
      "SELECT Username, LastName FROM User WHERE Username = 'ada@seed.example.com'",
    );
    expect(users.records.map((u) => [u.Username, u.LastName])).toEqual([['ada@seed.example.com', 'Lovelace']]);
    const group = await conn.query<{ Id: string }>("SELECT Id FROM Group WHERE Name = 'Engineers'");
    expect(group.totalSize).toBe(1);
    const members = await conn.query(`SELECT UserOrGroupId FROM GroupMember WHERE GroupId = '${group.records[0].Id}'`);
    expect(members.totalSize).toBe(1);
    expect((await conn.query("SELECT Id FROM PermissionSet WHERE Name = 'Provisio_Test'")).totalSize).toBe(1);
  });

  it('stops cleanly on SIGINT', async () => {
    expect(await stopCli(run, 'SIGINT')).toEqual({ code: 0, signal: null });
    expect(run.stderr()).toContain('Salesforce emulator stopped (SIGINT)');
  });
});

describe('provisio-emulator on IPv6 loopback', () => {
  it.each(['salesforce', 'google', 'scim'])('%s prints a bracketed URL that answers', async (emulator) => {
    const run = await startedCli([emulator, '--host', '::1', '--json'], '\n');
    try {
      const { url } = JSON.parse(run.stdout()) as { url: string };
      expect(url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect((await fetch(`${url}/__emulator/state`)).status).toBe(200);
    } finally {
      await stopCli(run, 'SIGTERM');
    }
  });
});

describe('provisio-emulator google', () => {
  let run: CliRun;
  let facts: { rootUrl: string; url: string; keyFile: string; adminEmail: string; customerId: string; domain: string };
  beforeAll(async () => {
    const seed = seedFile('google.json', {
      users: [{ primaryEmail: 'grace@example.com', name: { givenName: 'Grace', familyName: 'Hopper' } }],
      groups: [{ email: 'navy@example.com', name: 'Navy', members: ['grace@example.com'] }],
    });
    run = await startedCli(['google', '--json', '--seed', seed], '\n');
    facts = JSON.parse(run.stdout()) as typeof facts;
  });
  afterAll(() => stopCli(run, 'SIGKILL'));

  it('writes a service-account key file that @googleapis/admin authenticates with', async () => {
    const transporter = new gaxios.Gaxios();
    transporter.interceptors.request.add(googleTokenRedirect(facts.url));
    const auth = new JWT({
      keyFile: facts.keyFile,
      subject: facts.adminEmail,
      scopes: ['https://www.googleapis.com/auth/admin.directory.user', 'https://www.googleapis.com/auth/admin.directory.group'],
      transporter,
    });
    const directory = admin({ version: 'directory_v1', auth, rootUrl: facts.rootUrl });
    const users = await directory.users.list({ customer: 'my_customer' });
    expect(users.data.users?.map((u) => u.primaryEmail).sort()).toEqual([facts.adminEmail, 'grace@example.com']);
    expect(users.data.users?.[0].customerId).toBe(facts.customerId);
    const members = await directory.members.list({ groupKey: 'navy@example.com' });
    expect(members.data.members?.map((m) => m.email)).toEqual(['grace@example.com']);
    expect(facts.domain).toBe('example.com');
  });

  it('stops cleanly on SIGTERM and removes the key file', async () => {
    expect(existsSync(facts.keyFile)).toBe(true);
    expect(await stopCli(run, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(existsSync(facts.keyFile)).toBe(false);
  });
});

describe('provisio-emulator scim', () => {
  it('serves SCIM 2.0 and 1.1 behind the printed bearer token, with the seeded resources', async () => {
    const seed = seedFile('scim.json', {
      users: [{ userName: 'linus', name: { givenName: 'Linus', familyName: 'Torvalds' } }],
      groups: [{ displayName: 'Kernel', members: ['linus'] }],
    });
    const run = await startedCli(['scim', '--seed', seed]);
    try {
      const v2 = printed(run, 'SCIM 2.0 base URL');
      const authorization = `Bearer ${printed(run, 'Bearer token')}`;
      expect((await fetch(`${v2}/Users`)).status).toBe(401);
      const users = (await (
        await fetch(`${v2}/Users?filter=${encodeURIComponent('userName eq "linus"')}`, { headers: { authorization } })
      ).json()) as { totalResults: number; Resources: Array<{ id: string }> };
      expect(users.totalResults).toBe(1);
      const groups = (await (await fetch(`${v2}/Groups`, { headers: { authorization } })).json()) as {
        Resources: Array<{ displayName: string; members: Array<{ value: string }> }>;
      };
      expect(groups.Resources.map((g) => [g.displayName, g.members.map((m) => m.value)])).toEqual([['Kernel', [users.Resources[0].id]]]);
      const v1 = await fetch(`${printed(run, 'SCIM 1.1 base URL')}/Users`, { headers: { authorization } });
      expect(v1.status).toBe(200);
      expect(((await v1.json()) as { schemas: string[] }).schemas).toContain('urn:scim:schemas:core:1.0');
    } finally {
      expect(await stopCli(run, 'SIGTERM')).toEqual({ code: 0, signal: null });
    }
  });

  it('uses HTTP Basic credentials with --auth basic', async () => {
    const run = await startedCli(['scim', '--auth', 'basic', '--json'], '\n');
    try {
      const facts = JSON.parse(run.stdout()) as { baseUrl2: string; username: string; password: string };
      const basic = (user: string, password: string) => ({
        authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
      });
      expect((await fetch(`${facts.baseUrl2}/Users`, { headers: basic(facts.username, facts.password) })).status).toBe(200);
      expect((await fetch(`${facts.baseUrl2}/Users`, { headers: basic(facts.username, 'wrong') })).status).toBe(401);
    } finally {
      await stopCli(run, 'SIGTERM');
    }
  });
  it('issues tokens for the printed OAuth client with --auth oauth2', async () => {
    const run = await startedCli(['scim', '--auth', 'oauth2']);
    try {
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: printed(run, 'Client id'),
        client_secret: printed(run, 'Client secret'),
      });
      const token = (await (await fetch(printed(run, 'Token URL'), { method: 'POST', body: form })).json()) as { access_token: string };
      const users = await fetch(`${printed(run, 'SCIM 2.0 base URL')}/Users`, {
        headers: { authorization: `Bearer ${token.access_token}` },
      });
      expect(users.status).toBe(200);
    } finally {
      await stopCli(run, 'SIGTERM');
    }
  });
});

describe('provisio-emulator bad input', () => {
  const badSeed = (): string => seedFile('bad.json', { users: [{ userName: 'ok' }, { displayName: 'no userName' }] });
  const cases: Array<[string, () => string[], RegExp]> = [
    ['no emulator', () => [], /name the emulator to start/],
    ['an unknown emulator', () => ['okta'], /unknown emulator 'okta': choose salesforce, google, scim/],
    ['an unknown flag', () => ['scim', '--prot', '1'], /Unknown option '--prot'/],
    ['a port that is not a number', () => ['scim', '--port', 'abc'], /--port must be a whole number from 0 to 65535, got 'abc'/],
    ['a negative latency', () => ['scim', '--latency', '-5'], /--latency/],
    ['a non-loopback host', () => ['google', '--host', '0.0.0.0'], /--host 0\.0\.0\.0 is not a loopback address; add --allow-remote/],
    ['--auth for salesforce', () => ['salesforce', '--auth', 'basic'], /--auth applies to the scim emulator only/],
    ['an unknown auth type', () => ['scim', '--auth', 'kerberos'], /--auth must be one of none, bearer, basic, apikey, oauth2/],
    ['a missing seed file', () => ['scim', '--seed', join(seedDir, 'missing.json')], /missing\.json: cannot read it \(ENOENT\)/],
    ['a seed file that is not JSON', () => ['scim', '--seed', seedFile('broken.json', '{"users": [')], /broken\.json: not valid JSON/],
    [
      'a seed entry without its key field',
      () => ['scim', '--seed', badSeed()],
      /bad\.json: users\[1\]\.userName must be a non-empty string/,
    ],
    [
      'a seed list the emulator does not have',
      () => ['google', '--seed', seedFile('ps.json', { permissionSets: [] })],
      /permissionSets is not a seed list of the google emulator/,
    ],
    [
      'a seed user the emulator refuses',
      () => ['google', '--seed', seedFile('refused.json', { users: [{ primaryEmail: 'x@elsewhere.example' }] })],
      /refused\.json: users\[0\]: Google emulator seed: user 'x@elsewhere\.example' refused/,
    ],
    [
      'a seed group naming an unknown user',
      () => ['salesforce', '--seed', seedFile('sf.json', { groups: [{ Name: 'G', members: ['nobody@example.com'] }] })],
      /sf\.json: .*group 'G' names unknown user 'nobody@example\.com'/,
    ],
  ];

  it.each(cases)('rejects %s with exit code 2 and the usage text', async (_name, args, message) => {
    const run = spawnCli(args());
    const { code } = await run.exited;
    expect({ code, stdout: run.stdout() }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr()).toMatch(message);
    expect(run.stderr()).toContain('Usage: provisio-emulator <salesforce|google|scim>');
  });

  it('prints the usage text on --help and exits 0', async () => {
    const run = spawnCli(['--help']);
    expect((await run.exited).code).toBe(0);
    expect(run.stdout()).toContain('--seed FILE');
  });
});
