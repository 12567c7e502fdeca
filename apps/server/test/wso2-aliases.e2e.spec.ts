import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSalesforceEmulator, type SalesforceEmulator } from '@provisio/emulators';
import { loadConfiguration } from '../src/index.js';
import { settleJobs, startInProcessServer, type InProcessServer } from './in-process-server.js';
import { TestCa } from './tls-certificates.js';

/**
 * WSO2 Identity Server's paths (`inbound.scim.aliases: [wso2]`) over TLS, driven by the
 * reference docs' own command: the Salesforce guide's SCIM 1.1 `curl`, run with the real
 * curl binary, only host, port and credentials changed (and its typographic quotes made
 * straight, as a shell needs them). Its entitlement names a profile id of the docs' org,
 * which the emulated org does not have: the Salesforce job fails permanently, the
 * manifest is corrected, the job retried, and the password arrives exactly once.
 */
const GUIDE_CURL = `curl -v -k --header "Content-Type:application/json" --user kim@wso2.com:password --data '{"schemas":     ["urn:scim:schemas:core:1.0"],"userName":"kim@wso2.com","password":"test123","name":{"familyName":"paul"},"emails":     ["kim@wso2.com"],"entitlements":     [{"value":"00e2x000001AT3y","display":"ChatterFreeUser"}]}' https://localhost:9443/wso2/scim2/Users`;

const SCIM_USER = 'wso2-admin';
const SCIM_PASSWORD = 'wso2-admin-password';

interface CurlAnswer {
  status: number;
  body: string;
}

/** A shell command line (curl), bounded in time; the status is read from curl's -v trace. */
function runCurl(commandLine: string): Promise<CurlAnswer> {
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', commandLine], { timeout: 15000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`curl failed: ${error.message}\n${stderr}`));
      const status = /^< HTTP\/[\d.]+ (\d{3})/m.exec(stderr);
      if (!status) return reject(new Error(`no HTTP status in curl's trace:\n${stderr}`));
      resolve({ status: Number(status[1]), body: stdout });
    });
  });
}

/** curl with -k (the server's certificate is the test's own), basic credentials and a bounded time. */
function curl(method: string, url: string, body?: unknown): Promise<CurlAnswer> {
  const data = body === undefined ? '' : ` --header "Content-Type: application/scim+json" --data '${JSON.stringify(body)}'`;
  return runCurl(`curl -v -k --max-time 10 -X ${method} --user ${SCIM_USER}:${SCIM_PASSWORD}${data} '${url}'`);
}

/** ProfileId: the entitlement as the guide's org has it (undefined), a fixed id, or the entitlement's name looked up (`byName`). */
function manifest(salesforce: SalesforceEmulator, profileId: string | undefined | 'byName', extra = ''): string {
  const profile =
    profileId === undefined
      ? '{ from: http://wso2.org/claims/entitlements }'
      : profileId === 'byName'
        ? '{ from: entitlements.display, lookup: Profile.Name }'
        : `{ default: "${profileId}" }`;
  return `server: { port: 0, logLevel: silent, tls: { cert: "\${file:cert.pem}", key: "\${file:key.pem}" } }
inbound:
  scim:
    aliases: [wso2]
    auth: { basic: [{ username: ${SCIM_USER}, password: ${SCIM_PASSWORD} }] }
${extra}connectors:
  - id: salesforce
    type: salesforce
    passwordProvisioning: true
    retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 }
    config:
      apiVersion: v32.0
      tokenEndpoint: ${salesforce.url}/services/oauth2/token
      auth: { flow: password, clientId: sf-client, clientSecret: sf-client-secret, username: samuel@wso2.com, password: sf-password, securityToken: sftoken }
    mapping:
      Alias: { from: http://wso2.org/claims/givenname, default: Samuel, transform: truncate(8) }
      Email: { from: http://wso2.org/claims/emailaddress, default: samuel@wso2.com }
      EmailEncodingKey: { default: UTF-8 }
      LanguageLocaleKey: { default: en_US }
      LastName: { from: http://wso2.org/claims/lastname, default: Gnaniah }
      LocaleSidKey: { default: en_US }
      ProfileId: ${profile}
      TimeZoneSidKey: { default: America/Los_Angeles }
      Username: { from: http://wso2.org/claims/emailaddress }
`;
}

/** Replaces the running manifest (as SIGHUP does) and checks it was taken. */
async function reload(server: InProcessServer, yaml: string): Promise<void> {
  const path = join(server.dir, 'provisio.config.yaml');
  writeFileSync(path, yaml);
  const configuration = await loadConfiguration({ manifestPath: path, cwd: server.dir, env: {} });
  expect(configuration.problems).toEqual([]);
  expect(await server.reload(configuration)).toMatchObject({ ok: true });
}

async function failedJobOf(server: InProcessServer, userId: string) {
  const failed = await server.runtime.options.store.listJobs({ status: 'failed', localId: userId });
  expect(failed).toHaveLength(1);
  return failed[0];
}

describe('WSO2 aliases over TLS: the reference docs’ SCIM 1.1 curl, and a password that survives a permanent failure', () => {
  const ca = new TestCa();
  const certificate = ca.server();
  let salesforce: SalesforceEmulator;
  const servers: InProcessServer[] = [];

  const start = async (profileId: string | undefined, extra = '') => {
    const server = await startInProcessServer(manifest(salesforce, profileId, extra), {
      files: { 'cert.pem': certificate.cert, 'key.pem': certificate.key },
      prefix: 'provisio-wso2-',
    });
    servers.push(server);
    return { server, origin: `https://localhost:${new URL(server.url).port}` };
  };

  beforeAll(async () => {
    // The guide's password (test123) is 7 characters: an org whose policy allows it (Salesforce: 5 to 50; default 8).
    salesforce = await startSalesforceEmulator({
      passwordMinLength: 7,
      clients: [{ clientId: 'sf-client', clientSecret: 'sf-client-secret' }],
      credentials: [{ username: 'samuel@wso2.com', password: 'sf-password', securityToken: 'sftoken' }],
    });
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await salesforce?.close();
  });

  it('creates Kim from the guide’s command unchanged; after the fix and a retry Salesforce has her, her password set exactly once', async () => {
    const { server, origin } = await start(undefined);
    const command = GUIDE_CURL.replace('https://localhost:9443', origin).replace(
      '--user kim@wso2.com:password',
      `--user ${SCIM_USER}:${SCIM_PASSWORD}`,
    );
    const created = await runCurl(command);
    expect(created.status).toBe(201);
    const kim = JSON.parse(created.body) as Record<string, unknown>;
    expect(kim).toMatchObject({
      userName: 'kim@wso2.com',
      name: { familyName: 'paul' },
      emails: [{ value: 'kim@wso2.com' }],
      entitlements: [{ value: '00e2x000001AT3y', display: 'ChatterFreeUser' }],
      meta: { location: `${origin}/wso2/scim2/Users/${kim.id}` },
    });
    expect(created.body).not.toContain('test123');

    // The docs' org's profile id does not exist here: Salesforce refuses it, for good.
    await settleJobs(server);
    const failed = await failedJobOf(server, String(kim.id));
    expect(failed.lastErrorKind).toBe('permanent');
    expect(salesforce.state.userByUsername('kim@wso2.com')).toBeUndefined();
    expect(await server.runtime.options.store.pendingPassword(String(kim.id))).toMatchObject({ awaiting: ['salesforce'] });

    // The fix: the manifest names a profile the org has; then the failed job is retried.
    const chatterFree = salesforce.state.profileId('Chatter Free User')!;
    await reload(server, manifest(salesforce, chatterFree));
    await server.runtime.options.store.retryFailedJobs({ jobId: failed.id }, Date.now());
    await settleJobs(server, { failOnFailed: true });

    const account = salesforce.state.userByUsername('kim@wso2.com');
    expect(account).toMatchObject({ ProfileId: chatterFree, LastName: 'paul', Email: 'kim@wso2.com' });
    const sets = salesforce.state.passwordSetEvents().filter((e) => e.userId === account!['Id']);
    expect(sets.map((e) => e.kind)).toEqual(['set']);
    expect(salesforce.state.passwordMatches(String(account!['Id']), 'test123')).toBe(true);
    // Delivered to every target that awaited it: gone from the store.
    expect(await server.runtime.options.store.pendingPassword(String(kim.id))).toBeUndefined();

    // A later change does not send it again.
    const patched = await curl('PATCH', `${origin}/scim2/Users/${kim.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'name.givenName', value: 'Kim' }],
    });
    expect(patched.status).toBe(200);
    await settleJobs(server, { failOnFailed: true });
    expect(salesforce.state.userByUsername('kim@wso2.com')).toMatchObject({ Alias: 'Kim' });
    expect(salesforce.state.passwordSetEvents().filter((e) => e.userId === account!['Id'])).toHaveLength(1);
  });

  it('with a lookup by name, the entitlement names the profile: the guide’s unknown name fails, the corrected entitlement creates Kim with her password once', async () => {
    const org = await startSalesforceEmulator({
      passwordMinLength: 7,
      clients: [{ clientId: 'sf-client', clientSecret: 'sf-client-secret' }],
      credentials: [{ username: 'samuel@wso2.com', password: 'sf-password', securityToken: 'sftoken' }],
    });
    try {
      const server = await startInProcessServer(manifest(org, 'byName'), {
        files: { 'cert.pem': certificate.cert, 'key.pem': certificate.key },
        prefix: 'provisio-wso2-lookup-',
      });
      servers.push(server);
      const origin = `https://localhost:${new URL(server.url).port}`;
      const command = GUIDE_CURL.replace('https://localhost:9443', origin).replace(
        '--user kim@wso2.com:password',
        `--user ${SCIM_USER}:${SCIM_PASSWORD}`,
      );
      const created = await runCurl(command);
      expect(created.status).toBe(201);
      const kim = JSON.parse(created.body) as { id: string };

      // "ChatterFreeUser" is no profile's name in this org: a permanent failure that says so; the password waits.
      await settleJobs(server);
      const failed = await failedJobOf(server, kim.id);
      expect(failed.lastErrorKind).toBe('permanent');
      expect(failed.lastError).toMatch(/ChatterFreeUser/);
      expect(org.state.userByUsername('kim@wso2.com')).toBeUndefined();
      expect(await server.runtime.options.store.pendingPassword(kim.id)).toMatchObject({ awaiting: ['salesforce'] });

      // The fix, in the identity: her entitlement now names a profile the org has.
      const fixed = await curl('PATCH', `${origin}/scim2/Users/${kim.id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'entitlements', value: [{ value: '00e2x000001AT3y', display: 'Chatter Free User' }] }],
      });
      expect(fixed.status).toBe(200);
      await settleJobs(server, { failOnFailed: false });
      const account = org.state.userByUsername('kim@wso2.com');
      expect(account).toMatchObject({ ProfileId: org.state.profileId('Chatter Free User'), LastName: 'paul' });
      expect(
        org.state
          .passwordSetEvents()
          .filter((e) => e.userId === account!['Id'])
          .map((e) => e.kind),
      ).toEqual(['set']);
      expect(org.state.passwordMatches(String(account!['Id']), 'test123')).toBe(true);
      expect(await server.runtime.options.store.pendingPassword(kim.id)).toBeUndefined();
    } finally {
      await org.close();
    }
  });

  it('serves the same users at /scim2 and /wso2/scim as under /scim, with SCIM 1.1 discovery on both 1.1 roots', async () => {
    const chatterFree = salesforce.state.profileId('Chatter Free User')!;
    const { server, origin } = await start(chatterFree);
    const created = await curl('POST', `${origin}/scim2/Users`, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'lee@wso2.com',
      emails: [{ value: 'lee@wso2.com' }],
    });
    expect(created.status).toBe(201);
    const lee = JSON.parse(created.body) as { id: string; meta: { location: string } };
    expect(lee.meta.location).toBe(`${origin}/scim2/Users/${lee.id}`);
    const v1 = JSON.parse((await curl('GET', `${origin}/wso2/scim/Users/${lee.id}`)).body) as Record<string, unknown>;
    expect(v1).toMatchObject({
      schemas: ['urn:scim:schemas:core:1.0'],
      userName: 'lee@wso2.com',
      meta: { location: `${origin}/wso2/scim/Users/${lee.id}` },
    });
    expect((await curl('GET', `${origin}/scim/v2/Users/${lee.id}`)).status).toBe(200);

    for (const root of [`${origin}/scim/v1`, `${origin}/wso2/scim`]) {
      const config = await curl('GET', `${root}/ServiceProviderConfigs`);
      expect(config.status).toBe(200);
      expect(JSON.parse(config.body)).toMatchObject({
        schemas: ['urn:scim:schemas:core:1.0'],
        patch: { supported: true },
        bulk: { supported: false },
        filter: { supported: true, maxResults: 200 },
        xmlDataFormat: { supported: false },
      });
      const schemas = JSON.parse((await curl('GET', `${root}/Schemas`)).body) as { Resources: { id: string; endpoint: string }[] };
      expect(schemas.Resources.map((s) => [s.id, s.endpoint])).toEqual([
        ['urn:scim:schemas:core:1.0:User', '/Users'],
        ['urn:scim:schemas:extension:enterprise:1.0', '/Users'],
        ['urn:scim:schemas:core:1.0:Group', '/Groups'],
      ]);
      const user = JSON.parse((await curl('GET', `${root}/Schemas/Users`)).body) as { attributes: Record<string, unknown>[] };
      expect(user.attributes.find((a) => a.name === 'emails')).toMatchObject({
        type: 'complex',
        multiValued: true,
        multiValuedAttributeChildName: 'email',
        schema: 'urn:scim:schemas:core:1.0',
        readOnly: false,
      });
      expect(user.attributes.find((a) => a.name === 'id')).toMatchObject({ readOnly: true, schema: 'urn:scim:schemas:core:1.0' });
      expect((await curl('GET', `${root}/Schemas/Nothing`)).status).toBe(404);
    }
    // Same credentials: without them the alias answers 401 like the base path.
    expect((await runCurl(`curl -v -k --max-time 10 '${origin}/scim2/Users'`)).status).toBe(401);
    await settleJobs(server, { failOnFailed: true });
  });

  it('without the alias, /scim2 and /wso2/scim are not served', async () => {
    const chatterFree = salesforce.state.profileId('Chatter Free User')!;
    const { server, origin } = await start(chatterFree);
    await reload(server, manifest(salesforce, chatterFree).replace('    aliases: [wso2]\n', ''));
    expect((await curl('GET', `${origin}/scim2/Users`)).status).toBe(404);
    expect((await curl('GET', `${origin}/wso2/scim/Users`)).status).toBe(404);
    expect((await curl('GET', `${origin}/wso2/scim2/Users`)).status).toBe(404);
    expect((await curl('GET', `${origin}/scim/v2/Users`)).status).toBe(200);
  });

  it('destroys a password that waited longer than security.pendingPasswordTtl, and the job records it', async () => {
    const { server, origin } = await start(undefined, 'security: { pendingPasswordTtl: 1s }\n');
    const created = await curl('POST', `${origin}/wso2/scim/Users`, {
      schemas: ['urn:scim:schemas:core:1.0'],
      userName: 'max@wso2.com',
      password: 'max-password-1',
      name: { familyName: 'moe' },
      emails: ['max@wso2.com'],
      entitlements: [{ value: '00e2x000001AT3y' }],
    });
    expect(created.status).toBe(201);
    const max = JSON.parse(created.body) as { id: string };
    await settleJobs(server);
    const failed = await failedJobOf(server, max.id);
    const store = server.runtime.options.store;
    expect(await store.pendingPassword(max.id)).toBeDefined();

    const chatterFree = salesforce.state.profileId('Chatter Free User')!;
    await reload(server, manifest(salesforce, chatterFree, 'security: { pendingPasswordTtl: 1s }\n'));
    // Bounded wait past the TTL (1 s), on the clock the store's expiry was computed with.
    const expiresAt = (await server.runtime.options.store.pendingPassword(max.id))!.expiresAt;
    while (Date.now() <= expiresAt) await new Promise((done) => setTimeout(done, 50));
    await server.runtime.options.store.retryFailedJobs({ jobId: failed.id }, Date.now());
    await settleJobs(server, { failOnFailed: true });

    const account = salesforce.state.userByUsername('max@wso2.com');
    expect(account).toMatchObject({ ProfileId: chatterFree });
    expect(salesforce.state.passwordSetEvents().filter((e) => e.userId === account!['Id'])).toEqual([]);
    expect(await server.runtime.options.store.pendingPassword(max.id)).toBeUndefined();
    const [expired] = await server.runtime.options.store.listAudit({ entityId: failed.id });
    expect(expired).toMatchObject({
      action: 'password.expired',
      entityType: 'job',
      details: { userId: max.id, instanceId: 'salesforce', neverReceivedBy: ['salesforce'] },
    });
    expect(JSON.stringify(expired)).not.toContain('max-password-1');
  });
});
