import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startServe, type ServerProcess } from '../cli-harness.js';
import { startEmulatedTargets, type EmulatedTargets } from '../faults/emulated-targets.js';
import { waitFor } from '../faults/fault-kit.js';

/** Every secret the manifest holds, each distinctive enough that a match means a leak. */
const S = {
  scimInboundToken: 'LEAK-scim-inbound-token-a1b2c3d4',
  scimInboundPassword: 'LEAK-scim-inbound-password-e5f6',
  adminToken: 'LEAK-admin-token-9a8b7c6d5e',
  scimTargetPassword: 'LEAK-scim-target-basic-password-11',
  scimTargetClientSecret: 'LEAK-scim-target-oauth-secret-22',
  scimTargetApiKey: 'LEAK-scim-target-api-key-33',
  scimTargetToken: 'LEAK-scim-target-bearer-44',
  sfClientSecret: 'LEAK-sf-client-secret-55',
  sfPassword: 'LEAK-sf-password-66',
  sfSecurityToken: 'LEAKsfSecurityToken77',
  memoryApiKey: 'LEAK-memory-api-key-from-env-88',
  userPassword: 'LEAK-User-Passw0rd-99!',
  passwordKey: randomBytes(32).toString('base64'),
};

/**
 * A server with every built-in connector type configured with secrets (inline,
 * from the environment and from a file), driven into failures: wrong credentials
 * at each target, a target that is down, a remote error that quotes the secret.
 * No configured secret (nor a user's password) appears in its logs, in SCIM or
 * admin API answers, stored job errors, or CLI output.
 */
describe('secrets never leak', () => {
  let targets: EmulatedTargets;
  let server: ServerProcess | undefined;
  const googleKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // A line from the middle of the key: any fragment of it in a log is a leak.
  const googleKeyLine = googleKey.split('\n')[5];

  afterAll(async () => {
    await server?.stop();
    await targets?.close();
  });

  it('keeps every configured secret out of logs, errors, API answers and CLI output', async () => {
    // Targets that refuse Provisio's credentials (each expects other ones; Google knows another key).
    targets = await startEmulatedTargets({ scimAuth: { type: 'oauth2', clientId: 'provisio', clientSecret: 'the-right-secret' } });
    const { scim: scimTarget, salesforce, google } = targets;
    const dir = mkdtempSync(join(tmpdir(), 'provisio-secrets-'));
    writeFileSync(join(dir, 'google.pem'), googleKey);
    const manifestPath = join(dir, 'provisio.config.yaml');
    const retry = '    retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100 }';
    writeFileSync(
      manifestPath,
      `server: { port: 0, logLevel: debug }
store: { type: sqlite, path: data/provisio.db }
security: { passwordKey: "${S.passwordKey}" }
inbound:
  scim:
    auth:
      bearer: [{ name: hr, token: "${S.scimInboundToken}" }]
      basic: [{ username: hr-basic, password: "${S.scimInboundPassword}" }]
admin: { auth: { bearer: [{ name: ops, token: "${S.adminToken}" }] } }
connectors:
  - id: scim-basic
    type: scim2
    config: { baseUrl: "${scimTarget.baseUrl2}", auth: { type: basic, username: provisio, password: "${S.scimTargetPassword}" } }
${retry}
  - id: scim-oauth
    type: scim11
    config: { baseUrl: "${scimTarget.baseUrl11}", auth: { type: oauth2, tokenUrl: "${scimTarget.tokenUrl}", clientId: provisio, clientSecret: "${S.scimTargetClientSecret}" } }
${retry}
  - id: scim-apikey
    type: scim2
    config: { baseUrl: "${scimTarget.baseUrl2}", auth: { type: apiKey, headerName: X-Api-Key, key: "${S.scimTargetApiKey}" } }
${retry}
  - id: scim-down
    type: scim2
    config: { baseUrl: "http://127.0.0.1:9/scim/v2", auth: { type: bearer, token: "${S.scimTargetToken}" } }
${retry}
  - id: salesforce
    type: salesforce
    config:
      tokenEndpoint: ${salesforce.url}/services/oauth2/token
      auth: { flow: password, clientId: sf-client, clientSecret: "${S.sfClientSecret}", username: integration@example.com, password: "${S.sfPassword}", securityToken: "${S.sfSecurityToken}" }
    mapping: { Username: userName, LastName: { default: X }, Email: userName, Alias: { default: x }, EmailEncodingKey: { default: UTF-8 }, LanguageLocaleKey: { default: en_US }, LocaleSidKey: { default: en_US }, TimeZoneSidKey: { default: America/Los_Angeles }, ProfileId: { default: "00e000000000001" } }
${retry}
  - id: google
    type: google
    config:
      domain: example.com
      serviceAccountEmail: provisio@project.iam.gserviceaccount.com
      privateKey: { format: pem, pem: "\${file:google.pem}" }
      adminEmail: admin@example.com
      tokenUrl: ${google.tokenUrl}
      rootUrl: ${google.url}/
${retry}
  - id: memory
    type: memory
    passwordProvisioning: true
    config: { apiKey: "\${env:MEMORY_API_KEY}", failPermanently: "remote refused API key \${env:MEMORY_API_KEY} for this account" }
`,
    );
    const env = { MEMORY_API_KEY: S.memoryApiKey };
    server = await startServe(['--config', manifestPath], { cwd: dir, env });
    const running = server;
    const answers: string[] = [];
    const call = async (method: string, path: string, authorization: string | undefined, body?: unknown) => {
      const response = await fetch(`${running.url}${path}`, {
        method,
        headers: { ...(authorization ? { authorization } : {}), 'content-type': 'application/scim+json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      answers.push(`${method} ${path} ${response.status} ${[...response.headers].map(([k, v]) => `${k}: ${v}`).join('; ')}\n${text}`);
      return { status: response.status, json: () => JSON.parse(text) as Record<string, unknown> };
    };
    const scimAuth = `Bearer ${S.scimInboundToken}`;
    const adminAuth = `Bearer ${S.adminToken}`;

    // SCIM traffic, including a password and some refused requests.
    const ada = await call('POST', '/scim/v2/Users', scimAuth, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'ada@example.com',
      password: S.userPassword,
      emails: [{ value: 'ada@example.com', primary: true }],
    });
    expect(ada.status).toBe(201);
    const adaId = String(ada.json().id);
    await call('POST', '/scim/v2/Users', `Basic ${Buffer.from(`hr-basic:${S.scimInboundPassword}`).toString('base64')}`, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'bob@example.com',
      password: S.userPassword,
    });
    await call('POST', '/scim/v2/Users', scimAuth, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'ada@example.com',
      password: S.userPassword,
    }); // 409
    await call('PATCH', `/scim/v2/Users/${adaId}`, scimAuth, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'password', value: S.userPassword }],
    });
    await call('PATCH', `/scim/v2/Users/${adaId}`, scimAuth, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'nope[', value: S.userPassword }],
    }); // 400
    await call('GET', `/scim/v2/Users/${adaId}?attributes=password`, scimAuth);
    await call('GET', '/scim/v2/Users', `Bearer ${S.adminToken}`); // 401: the admin token on SCIM
    await call('POST', '/scim/v2/Groups', scimAuth, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Staff',
      members: [{ value: adaId }],
    });

    // Every connector fails its jobs (refused credentials, a closed port, a remote error quoting the key).
    const connectorIds = ['scim-basic', 'scim-oauth', 'scim-apikey', 'scim-down', 'salesforce', 'google', 'memory'];
    await waitFor(
      'every connector to fail its jobs',
      async () => {
        const list = (await call('GET', '/admin/v1/connectors', adminAuth)).json().connectors as {
          id: string;
          jobs: { pending: number; running: number; failed: number };
        }[];
        return list.length === connectorIds.length && list.every((c) => c.jobs.pending === 0 && c.jobs.running === 0 && c.jobs.failed > 0);
      },
      45000,
      250,
    );

    // The admin API, everywhere an error or a config could show up.
    for (const id of connectorIds) {
      await call('GET', `/admin/v1/connectors/${id}`, adminAuth);
      await call('GET', `/admin/v1/connectors/${id}/check`, adminAuth);
    }
    const failed = (await call('GET', '/admin/v1/jobs?status=failed&limit=1000', adminAuth)).json().jobs as {
      id: string;
      error?: string;
      lastError?: string;
    }[];
    expect(failed.length).toBeGreaterThanOrEqual(connectorIds.length);
    for (const job of failed.slice(0, 20)) await call('GET', `/admin/v1/jobs/${job.id}`, adminAuth);
    await call('GET', `/admin/v1/users/${adaId}/links`, adminAuth);
    await call('GET', '/admin/v1/audit', adminAuth);
    await call('GET', '/admin/v1/openapi.json', undefined);

    // The CLI against the running server and on the manifest.
    const cli = [
      await runCli(['jobs', '--status', 'failed', '--server', running.url], {
        cwd: dir,
        env: { ...env, PROVISIO_ADMIN_TOKEN: S.adminToken },
      }),
      await runCli(['check', 'salesforce', '--server', running.url], { cwd: dir, env: { ...env, PROVISIO_ADMIN_TOKEN: S.adminToken } }),
      await runCli(['validate', '--config', manifestPath], { cwd: dir, env }),
      await runCli(['connectors', '--json', '--config', manifestPath], { cwd: dir, env }),
    ].map((r) => `${r.stdout}\n${r.stderr}`);

    expect(await running.stop()).toBe(0);
    const logs = running.output();
    // The failures did happen and were logged: the scrubbing below is not vacuous.
    expect(logs).toMatch(/remote refused API key \*{8} for this account/);
    expect(logs).toMatch(/"connector":"salesforce"/);
    expect(logs).toMatch(/"connector":"google"/);

    const everything: [string, string][] = [
      ['logs', logs],
      ['API answers', answers.join('\n')],
      ['CLI output', cli.join('\n')],
    ];
    const leaks: string[] = [];
    for (const [where, text] of everything) {
      for (const [name, secret] of Object.entries({ ...S, googleKeyLine })) {
        if (text.includes(secret)) leaks.push(`${name} in ${where}`);
        const encoded = Buffer.from(secret).toString('base64');
        if (secret.length > 12 && text.includes(encoded)) leaks.push(`${name} (base64) in ${where}`);
      }
    }
    expect(leaks).toEqual([]);
  }, 90000);
});
