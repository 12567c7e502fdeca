import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReconcileResult, TargetReport } from '@provisio/admin-contract';
import { loadConfiguration } from '../src/index.js';
import { runCli } from './cli-harness.js';
import { DOMAIN, SECRETS, startEmulatedTargets, type EmulatedTargets } from './faults/emulated-targets.js';
import { settleJobs, startInProcessServer, type InProcessServer } from './in-process-server.js';
import { manifestHead } from './test-manifest.js';
import { startWebhookReceiver } from './notifications/webhook-receiver.js';

const SCIM_TOKEN = 'inbound-scim-token-0123456789';
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const WEBHOOK_SECRET = 'webhook-secret-0123456789abcdef';
const SEEDED = 1000;
const MATCHING = 900;
const CONNECTORS = ['salesforce', 'google', 'scim-app'] as const;

const person = (i: number) => ({ email: `user${i}@${DOMAIN}`, given: `Given${i}`, family: `Family${i}` });
const orphan = (i: number) => ({ email: `left${i}@${DOMAIN}`, given: `Left${i}`, family: `Behind${i}` });

/**
 * Adopting an estate that already exists: each target holds 1,000 accounts before Provisio;
 * 900 of them are people then created in Provisio over SCIM while the connectors are still
 * disabled. `provisio import --apply` links exactly those 900, reports the 100 others as
 * orphans; enabling the connectors and a full sync then creates no account anywhere.
 */
describe('moving an existing estate to Provisio: import, then enable', () => {
  let server: InProcessServer;
  let targets: EmulatedTargets;
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;

  const manifest = (enabled: boolean) => `${manifestHead({ scimToken: SCIM_TOKEN, adminToken: ADMIN_TOKEN })}notifications:
  webhooks: [{ url: "${hooks.url}", secret: "${WEBHOOK_SECRET}", events: [reconcile.drift] }]
connectors:
  - id: salesforce
    type: salesforce
    enabled: ${enabled}
    config:
      apiVersion: v59.0
${targets.salesforceSignInYaml}
    mapping:
      Username: http://wso2.org/claims/emailaddress
      Email: http://wso2.org/claims/emailaddress
      FirstName: name.givenName
      LastName: name.familyName
      EmailEncodingKey: { default: UTF-8 }
      LanguageLocaleKey: { default: en_US }
      LocaleSidKey: { default: en_US }
      TimeZoneSidKey: { default: America/Los_Angeles }
      ProfileId: { default: "${targets.salesforce.state.profileId('Standard User')}" }
  - id: google
    type: google
    enabled: ${enabled}
    config:
${targets.googleSignInYaml}
    mapping:
      primaryEmail: http://wso2.org/claims/emailaddress
      givenName: name.givenName
      familyName: name.familyName
  - id: scim-app
    type: scim2
    enabled: ${enabled}
    config: ${targets.scimConfigYaml}
    mapping:
      userName: userName
      givenName: name.givenName
      familyName: name.familyName
`;

  const admin = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${server.url}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  const accounts = () => ({
    salesforce: targets.salesforce.state.users().length,
    google: targets.google.state.users().length,
    'scim-app': targets.scim.state.users().length,
  });

  beforeAll(async () => {
    hooks = await startWebhookReceiver(WEBHOOK_SECRET);
    targets = await startEmulatedTargets();
    // The estate as it is before Provisio: 900 people who will be in Provisio, 100 who will not.
    const estate = Array.from({ length: SEEDED }, (_, i) => (i < MATCHING ? person(i) : orphan(i)));
    targets.salesforce.state.addUsers(estate.map((p) => ({ Username: p.email, Email: p.email, FirstName: p.given, LastName: p.family })));
    targets.google.state.addUsers(estate.map((p) => ({ primaryEmail: p.email, givenName: p.given, familyName: p.family })));
    for (const p of estate)
      targets.scim.state.seedUser({ userName: p.email, name: { givenName: p.given, familyName: p.family }, active: true });

    server = await startInProcessServer(manifest(false), { files: targets.files, prefix: 'provisio-import-' });
    // The people, created in Provisio over SCIM while no connector is enabled: nothing is provisioned.
    for (let start = 0; start < MATCHING; start += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, MATCHING - start) }, async (_, k) => {
          const p = person(start + k);
          const response = await fetch(`${server.url}/scim/v2/Users`, {
            method: 'POST',
            headers: { authorization: `Bearer ${SCIM_TOKEN}`, 'content-type': 'application/scim+json' },
            body: JSON.stringify({
              schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
              userName: p.email,
              name: { givenName: p.given, familyName: p.family },
              emails: [{ value: p.email, primary: true, type: 'work' }],
            }),
          });
          expect(response.status).toBe(201);
        }),
      );
    }
  }, 120000);

  afterAll(async () => {
    await server?.stop();
    await Promise.all([targets?.close(), hooks?.close()]);
  });

  it('a dry run reports what --apply will link and writes nothing', async () => {
    const before = accounts();
    const { status, body } = await admin<TargetReport>('POST', '/connectors/scim-app/import', {});
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'done', apply: false, read: SEEDED });
    expect(body.counts).toEqual({ linked: MATCHING, alreadyLinked: 0, ambiguous: 0, orphans: SEEDED - MATCHING, unmatchedLocal: 0 });
    expect(accounts()).toEqual(before);
    expect((await server.runtime.options.store.listJobs({})).length).toBe(0);
  }, 60000);

  it('provisio import --apply links exactly the 900 on each target and reports 100 orphans, 0 ambiguous', async () => {
    const before = accounts();
    for (const id of CONNECTORS) {
      const result = await runCli(['import', id, '--apply', '--json', '--server', server.url], {
        cwd: server.dir,
        env: { PROVISIO_ADMIN_TOKEN: ADMIN_TOKEN },
        timeoutMs: 90000,
      });
      expect({ id, code: result.code, stderr: result.stderr }).toEqual({ id, code: 0, stderr: '' });
      const lines = result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.some((line) => line.phase === 'read')).toBe(true);
      const { report } = lines[lines.length - 1] as { report: TargetReport };
      // The targets' own admin accounts (the Salesforce user Provisio signs in as, the Google admin it acts for) are orphans too.
      const orphans = SEEDED - MATCHING + (id === 'scim-app' ? 0 : 1);
      expect({ id, ...report.counts }).toEqual({ id, linked: MATCHING, alreadyLinked: 0, ambiguous: 0, orphans, unmatchedLocal: 0 });
      for (const sample of report.samples.orphans ?? [])
        expect(sample.remoteName).toMatch(/^(left\d+@example\.com|integration@wso2\.com|admin@example\.com)$/i);
    }
    expect(before).toEqual({ salesforce: SEEDED + 1, google: SEEDED + 1, 'scim-app': SEEDED });
    // Each link holds what the target has, in the mapping's field names.
    const store = server.runtime.options.store;
    const ada = (await store.getUserByUserName(person(3).email))!;
    const links = Object.fromEntries((await store.linksOf('user', ada.id)).map((l) => [l.instanceId, l]));
    expect(links.google).toMatchObject({
      status: 'synced',
      syncedAttributes: { primaryEmail: person(3).email, givenName: 'Given3', familyName: 'Family3' },
    });
    expect(links.salesforce?.syncedAttributes).toEqual({
      Username: person(3).email,
      Email: person(3).email,
      FirstName: 'Given3',
      LastName: 'Family3',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      LocaleSidKey: 'en_US',
      TimeZoneSidKey: 'America/Los_Angeles',
      ProfileId: targets.salesforce.state.profileId('Standard User'),
    });
    expect(links['scim-app']?.syncedAttributes).toEqual({ userName: person(3).email, givenName: 'Given3', familyName: 'Family3' });
    // Import only reads the targets.
    expect(accounts()).toEqual(before);
    const listed = await admin<{ reports: TargetReport[] }>('GET', '/connectors/google/imports');
    expect(listed.body.reports.map((r) => r.apply)).toEqual([true]);
  }, 300000);

  it('enabling the connectors and a full sync create no remote account, and send nothing for what already matches', async () => {
    const before = accounts();
    const creates = targets.scim.state.countRequests('POST', '/scim/v2/Users');
    writeFileSync(join(server.dir, 'provisio.config.yaml'), manifest(true));
    const configuration = await loadConfiguration({ manifestPath: join(server.dir, 'provisio.config.yaml'), cwd: server.dir, env: {} });
    expect(await server.reload(configuration)).toMatchObject({ ok: true });
    for (const id of CONNECTORS) {
      const { status, body } = await admin<ReconcileResult>('POST', `/connectors/${id}/reconcile`);
      expect(status).toBe(200);
      // The links hold what each target has, and it is what the mapping wants: nothing to send.
      expect({ id, planned: body.planned }).toEqual({ id, planned: 0 });
      // Read back from the target, every linked account is what the mapping wants: no false drift.
      const orphans = SEEDED - MATCHING + (id === 'scim-app' ? 0 : 1);
      expect({ id, ...body.report?.counts }).toEqual({
        id,
        drift: 0,
        missing: 0,
        orphans,
        unlinked: 0,
        skipped: 0,
        inSync: MATCHING,
        groupDrift: 0,
        groupsMissing: 0,
        groupsInSync: 0,
      });
    }
    await settleJobs(server, { failOnFailed: true, timeoutMs: 60000 });
    expect(accounts()).toEqual(before);
    expect(targets.scim.state.countRequests('POST', '/scim/v2/Users')).toBe(creates);
  }, 120000);

  it('an update of a linked account deleted in the target re-creates it (SCIM and Salesforce), with reconcile.missing: recreate', async () => {
    const p = person(7);
    const scimBefore = targets.scim.state.findUserByUserName(p.email);
    const sfBefore = targets.salesforce.state.userByUsername(p.email);
    expect(targets.scim.state.removeResource(String(scimBefore?.['id']))).toBe(true);
    expect(targets.salesforce.state.removeRecord('User', String(sfBefore?.['Id']))).toBe(true);
    const user = await (
      await fetch(`${server.url}/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${p.email}"`)}`, {
        headers: { authorization: `Bearer ${SCIM_TOKEN}` },
      })
    ).json();
    const id = (user as { Resources: { id: string }[] }).Resources[0].id;
    const patched = await fetch(`${server.url}/scim/v2/Users/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${SCIM_TOKEN}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'name.givenName', value: 'Renamed' }],
      }),
    });
    expect(patched.ok).toBe(true);
    await settleJobs(server, { failOnFailed: true, timeoutMs: 60000 });
    const scimAfter = targets.scim.state.findUserByUserName(p.email);
    const sfAfter = targets.salesforce.state.userByUsername(p.email);
    expect(scimAfter).toMatchObject({ name: { givenName: 'Renamed' } });
    expect(scimAfter?.['id']).not.toBe(scimBefore?.['id']);
    expect(sfAfter).toMatchObject({ FirstName: 'Renamed' });
    expect(sfAfter?.['Id']).not.toBe(sfBefore?.['Id']);
    const links = await server.runtime.options.store.linksOf('user', id);
    expect(links.find((l) => l.instanceId === 'scim-app')).toMatchObject({ status: 'synced', remoteId: scimAfter?.['id'] });
    expect(links.find((l) => l.instanceId === 'salesforce')).toMatchObject({ status: 'synced', remoteId: sfAfter?.['Id'] });
  }, 120000);

  it('reconcile reads each target: a field changed and an account deleted behind Provisio are reported and repaired; a second run finds nothing', async () => {
    const changed = person(11);
    const deleted = person(12);
    // As an admin in each target would: rename one account, delete another.
    const scimChanged = targets.scim.state.findUserByUserName(changed.email)!;
    const patched = await fetch(`${targets.scim.baseUrl2}/Users/${String(scimChanged['id'])}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${SECRETS.scimTargetToken}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'name.givenName', value: 'Drifted' }],
      }),
    });
    expect(patched.ok).toBe(true);
    expect(
      targets.salesforce.state.updateRecord('User', String(targets.salesforce.state.userByUsername(changed.email)?.['Id']), {
        FirstName: 'Drifted',
      }),
    ).toBe(true);
    expect(targets.google.state.updateUserFields(changed.email, { name: { givenName: 'Drifted', familyName: changed.family } })).toBe(true);
    expect(targets.scim.state.removeResource(String(targets.scim.state.findUserByUserName(deleted.email)?.['id']))).toBe(true);
    expect(targets.salesforce.state.removeRecord('User', String(targets.salesforce.state.userByUsername(deleted.email)?.['Id']))).toBe(
      true,
    );
    expect(targets.google.state.removeUser(deleted.email)).toBe(true);

    const givenField = { 'scim-app': 'givenName', salesforce: 'FirstName', google: 'givenName' } as const;
    const hooksBefore = hooks.received.length;
    for (const id of CONNECTORS) {
      const { status, body } = await admin<ReconcileResult>('POST', `/connectors/${id}/reconcile`);
      expect(status).toBe(200);
      expect({ id, drift: body.report?.counts.drift, missing: body.report?.counts.missing }).toEqual({ id, drift: 1, missing: 1 });
      expect(body.report?.samples.drift?.[0]).toMatchObject({
        remoteName: expect.stringMatching(new RegExp(`^${changed.email}$`, 'i')),
        differences: [{ field: givenField[id], remote: 'Drifted', wanted: changed.given }],
      });
      expect(body.report?.samples.missing?.[0]?.remoteName?.toLowerCase()).toBe(deleted.email);
    }
    // Operators are told, once per run that found something: a signed webhook per connector.
    // (The earlier reconciles' messages, orphans only, may still be arriving: this run's are those with drift.)
    const told = () => hooks.received.slice(hooksBefore).filter((h) => Number(h.body.details.drift) > 0);
    for (let i = 0; i < 200 && told().length < CONNECTORS.length; i += 1) await new Promise((r) => setTimeout(r, 25));
    expect(
      told()
        .map((h) => h.body.connectorId)
        .sort(),
    ).toEqual([...CONNECTORS].sort());
    for (const hook of told()) {
      expect(hook).toMatchObject({ kind: 'reconcile.drift', signatureValid: true });
      expect(hook.body.details).toEqual({ drift: 2, orphans: SEEDED - MATCHING + (hook.body.connectorId === 'scim-app' ? 0 : 1) });
    }
    await settleJobs(server, { failOnFailed: true, timeoutMs: 60000 });
    // Repaired in each target: the name is back, the deleted account exists again.
    expect(targets.scim.state.findUserByUserName(changed.email)).toMatchObject({ name: { givenName: changed.given } });
    expect(targets.salesforce.state.userByUsername(changed.email)).toMatchObject({ FirstName: changed.given });
    expect(targets.google.state.user(changed.email)).toMatchObject({ name: { givenName: changed.given } });
    expect(targets.scim.state.findUserByUserName(deleted.email)).toMatchObject({ name: { givenName: deleted.given } });
    expect(targets.salesforce.state.userByUsername(deleted.email)).toMatchObject({ FirstName: deleted.given });
    expect(targets.google.state.user(deleted.email)).toMatchObject({ name: { givenName: deleted.given } });

    for (const id of CONNECTORS) {
      const { body } = await admin<ReconcileResult>('POST', `/connectors/${id}/reconcile`);
      expect({ id, drift: body.report?.counts.drift, missing: body.report?.counts.missing, inSync: body.report?.counts.inSync }).toEqual({
        id,
        drift: 0,
        missing: 0,
        inSync: MATCHING,
      });
    }
    const listed = await admin<{ reports: TargetReport[] }>('GET', '/connectors/google/reconciles');
    expect(listed.body.reports.length).toBeGreaterThanOrEqual(3);
    expect(listed.body.reports.every((r) => r.kind === 'reconcile' && r.status === 'done')).toBe(true);
  }, 180000);
});
