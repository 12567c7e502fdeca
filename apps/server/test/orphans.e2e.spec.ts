import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startGoogleEmulator,
  startSalesforceEmulator,
  startScimEmulator,
  type GoogleEmulator,
  type SalesforceEmulator,
  type ScimEmulator,
} from '@provisio/emulators';
import type { ReconcileResult } from '@provisio/admin-contract';
import { loadConfiguration } from '../src/index.js';
import { settleJobs, startInProcessServer, type InProcessServer } from './in-process-server.js';

const SCIM_TOKEN = 'inbound-scim-token-0123456789';
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const TARGET_TOKEN = 'scim-target-token-0123456789';
const DOMAIN = 'example.com';
const GOOGLE_ADMIN = `admin@${DOMAIN}`;
const SF_LOGIN = 'samuel@wso2.com';
const SERVICE_ACCOUNT = 'provisio@project.iam.gserviceaccount.com';
const CONNECTORS = ['salesforce', 'google', 'scim-app'] as const;
const PEOPLE = ['ada', 'bob', 'cy'].map((name) => `${name}@${DOMAIN}`);

/**
 * A user deleted in Provisio while the connectors were `enabled: false` leaves an account in
 * each target that no link of a local identity stands for. Once the connectors are enabled again,
 * a reconcile reports it as an orphan; with `reconcile.orphans: delete` the next one removes it
 * (Salesforce never deletes users: it deactivates), and never the accounts Provisio signs in as.
 */
describe('orphans left by deletes while a connector was disabled', () => {
  let server: InProcessServer;
  let scim: ScimEmulator;
  let salesforce: SalesforceEmulator;
  let google: GoogleEmulator;
  let privateKeyPem: string;

  const manifest = (enabled: boolean, orphans: 'report' | 'delete') => `server: { port: 0, logLevel: silent }
inbound:
  scim:
    auth: { bearer: [{ name: hr, token: "${SCIM_TOKEN}" }] }
admin:
  auth: { bearer: [{ name: ops, token: "${ADMIN_TOKEN}" }] }
connectors:
  - id: salesforce
    type: salesforce
    enabled: ${enabled}
    reconcile: { orphans: ${orphans}, keep: ["${SF_LOGIN}"] }
    config:
      apiVersion: v59.0
      tokenEndpoint: ${salesforce.url}/services/oauth2/token
      auth: { flow: password, clientId: sf-client, clientSecret: sf-client-secret, username: ${SF_LOGIN}, password: sf-password, securityToken: sftoken }
    mapping:
      Username: userName
      Email: userName
      LastName: name.familyName
      EmailEncodingKey: { default: UTF-8 }
      LanguageLocaleKey: { default: en_US }
      LocaleSidKey: { default: en_US }
      TimeZoneSidKey: { default: America/Los_Angeles }
      ProfileId: { default: "${salesforce.state.profileId('Standard User')}" }
  - id: google
    type: google
    enabled: ${enabled}
    reconcile: { orphans: ${orphans}, keep: ["${GOOGLE_ADMIN}"] }
    config:
      domain: ${DOMAIN}
      serviceAccountEmail: ${SERVICE_ACCOUNT}
      privateKey: { format: pem, pem: "\${file:google.pem}" }
      adminEmail: ${GOOGLE_ADMIN}
      tokenUrl: ${google.tokenUrl}
      rootUrl: ${google.url}/
    mapping:
      primaryEmail: userName
      givenName: name.givenName
      familyName: name.familyName
  - id: scim-app
    type: scim2
    enabled: ${enabled}
    reconcile: { orphans: ${orphans} }
    config: { baseUrl: "${scim.baseUrl2}", auth: { type: bearer, token: "${TARGET_TOKEN}" } }
    mapping:
      userName: userName
      familyName: name.familyName
`;

  const reload = async (enabled: boolean, orphans: 'report' | 'delete') => {
    const path = join(server.dir, 'provisio.config.yaml');
    writeFileSync(path, manifest(enabled, orphans));
    expect(await server.reload(await loadConfiguration({ manifestPath: path, cwd: server.dir, env: {} }))).toMatchObject({ ok: true });
  };

  const reconcile = async (id: string): Promise<ReconcileResult> => {
    const response = await fetch(`${server.url}/admin/v1/connectors/${id}/reconcile`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as ReconcileResult;
  };

  /** Whether each target still holds an account for `email`, and whether it is active. */
  const remote = (email: string) => ({
    salesforce: salesforce.state.userByUsername(email)?.['IsActive'] ?? 'gone',
    google: google.state.user(email) ? !google.state.user(email)?.suspended : 'gone',
    'scim-app': scim.state.findUserByUserName(email) ? scim.state.findUserByUserName(email)?.['active'] !== false : 'gone',
  });

  beforeAll(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    scim = await startScimEmulator({ auth: { type: 'bearer', token: TARGET_TOKEN } });
    salesforce = await startSalesforceEmulator({
      clients: [{ clientId: 'sf-client', clientSecret: 'sf-client-secret' }],
      credentials: [{ username: SF_LOGIN, password: 'sf-password', securityToken: 'sftoken' }],
    });
    google = await startGoogleEmulator({
      domains: [DOMAIN],
      admins: [GOOGLE_ADMIN],
      serviceAccounts: [{ clientEmail: SERVICE_ACCOUNT, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
    });
    server = await startInProcessServer(manifest(true, 'report'), { files: { 'google.pem': privateKeyPem }, prefix: 'provisio-orphans-' });
  }, 60000);

  afterAll(async () => {
    await server?.stop();
    await Promise.all([scim?.close(), salesforce?.close(), google?.close()]);
  });

  it('is reported as an orphan once the connectors are enabled again, and removed with reconcile.orphans: delete', async () => {
    const ids: string[] = [];
    for (const email of PEOPLE) {
      const response = await fetch(`${server.url}/scim/v2/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SCIM_TOKEN}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: email,
          name: { givenName: 'Given', familyName: email.split('@')[0] },
        }),
      });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    await settleJobs(server, { failOnFailed: true, timeoutMs: 30000 });
    for (const email of PEOPLE) expect(remote(email)).toEqual({ salesforce: true, google: true, 'scim-app': true });

    // Disabled, then bob is deleted in Provisio: nothing reaches the targets.
    await reload(false, 'report');
    const deleted = await fetch(`${server.url}/scim/v2/Users/${ids[1]}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${SCIM_TOKEN}` },
    });
    expect(deleted.status).toBe(204);
    await settleJobs(server, { failOnFailed: true, timeoutMs: 30000 });
    expect(remote(PEOPLE[1])).toEqual({ salesforce: true, google: true, 'scim-app': true });

    // Enabled again: bob's accounts are orphans (with the accounts Provisio signs in as), reported only.
    await reload(true, 'report');
    for (const id of CONNECTORS) {
      const { report } = await reconcile(id);
      const orphans = report?.samples.orphans ?? [];
      expect({ id, names: orphans.map((o) => o.remoteName?.toLowerCase()).sort() }).toEqual({
        id,
        names: [PEOPLE[1], ...(id === 'salesforce' ? [SF_LOGIN] : id === 'google' ? [GOOGLE_ADMIN] : [])].sort(),
      });
      expect({ id, inSync: report?.counts.inSync }).toEqual({ id, inSync: 2 });
    }
    await settleJobs(server, { failOnFailed: true, timeoutMs: 30000 });
    expect(remote(PEOPLE[1])).toEqual({ salesforce: true, google: true, 'scim-app': true });

    // reconcile.orphans: delete removes bob's accounts and keeps what reconcile.keep names.
    await reload(true, 'delete');
    for (const id of CONNECTORS) {
      const { report } = await reconcile(id);
      const notes = Object.fromEntries((report?.samples.orphans ?? []).map((o) => [o.remoteName?.toLowerCase(), o.note]));
      expect({ id, bob: notes[PEOPLE[1]] }).toEqual({ id, bob: 'being deleted (reconcile.orphans: delete)' });
      if (id !== 'scim-app') expect(notes[id === 'salesforce' ? SF_LOGIN : GOOGLE_ADMIN]).toBe('kept (reconcile.keep)');
    }
    await settleJobs(server, { failOnFailed: true, timeoutMs: 30000 });
    // Salesforce never deletes a user: the most it can do is deactivate.
    expect(remote(PEOPLE[1])).toEqual({ salesforce: false, google: 'gone', 'scim-app': 'gone' });
    for (const email of [PEOPLE[0], PEOPLE[2]]) expect(remote(email)).toEqual({ salesforce: true, google: true, 'scim-app': true });
    expect(salesforce.state.userByUsername(SF_LOGIN)?.['IsActive']).toBe(true);
    expect(google.state.user(GOOGLE_ADMIN)).toBeDefined();
    const jobs = await server.runtime.options.store.listJobs({ status: 'succeeded' });
    expect(
      jobs
        .filter((j) => j.action === 'orphan.delete')
        .map((j) => j.instanceId)
        .sort(),
    ).toEqual([...CONNECTORS].sort());

    // A second reconcile: Google and SCIM have no orphan but their kept admin; Salesforce reports bob's inactive account, sends nothing.
    for (const id of CONNECTORS) {
      const { report } = await reconcile(id);
      const names = (report?.samples.orphans ?? []).map((o) => o.remoteName?.toLowerCase()).sort();
      expect({ id, names }).toEqual({
        id,
        names: id === 'salesforce' ? [PEOPLE[1], SF_LOGIN].sort() : id === 'google' ? [GOOGLE_ADMIN] : [],
      });
    }
    await settleJobs(server, { failOnFailed: true, timeoutMs: 30000 });
  }, 180000);
});
