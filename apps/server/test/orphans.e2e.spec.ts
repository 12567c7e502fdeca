import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReconcileResult } from '@provisio/admin-contract';
import { loadConfiguration } from '../src/index.js';
import { DOMAIN, GOOGLE_ADMIN, SF_USER, startEmulatedTargets, type EmulatedTargets } from './faults/emulated-targets.js';
import { adminOk } from './faults/fault-kit.js';
import { settleJobs, startInProcessServer, type InProcessServer } from './in-process-server.js';
import { manifestHead } from './test-manifest.js';

const SCIM_TOKEN = 'inbound-scim-token-0123456789';
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
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
  let targets: EmulatedTargets;

  const manifest = (
    enabled: boolean,
    orphans: 'report' | 'delete',
  ) => `${manifestHead({ scimToken: SCIM_TOKEN, adminToken: ADMIN_TOKEN })}connectors:
${targets.connectorsYaml(`    enabled: ${enabled}\n    reconcile: { orphans: ${orphans}, keep: ["${SF_USER}", "${GOOGLE_ADMIN}"] }`)}`;

  const reload = async (enabled: boolean, orphans: 'report' | 'delete') => {
    const path = join(server.dir, 'provisio.config.yaml');
    writeFileSync(path, manifest(enabled, orphans));
    expect(await server.reload(await loadConfiguration({ manifestPath: path, cwd: server.dir, env: {} }))).toMatchObject({ ok: true });
  };

  const reconcile = (id: string) => adminOk<ReconcileResult>(server.url, ADMIN_TOKEN, 'POST', `/connectors/${id}/reconcile`);

  /** Whether each target still holds an account for `email`, and whether it is active. */
  const remote = (email: string) => {
    const { scim, salesforce, google } = targets;
    return {
      salesforce: salesforce.state.userByUsername(email)?.['IsActive'] ?? 'gone',
      google: google.state.user(email) ? !google.state.user(email)?.suspended : 'gone',
      'scim-app': scim.state.findUserByUserName(email) ? scim.state.findUserByUserName(email)?.['active'] !== false : 'gone',
    };
  };

  beforeAll(async () => {
    targets = await startEmulatedTargets();
    server = await startInProcessServer(manifest(true, 'report'), { files: targets.files, prefix: 'provisio-orphans-' });
  }, 60000);

  afterAll(async () => {
    await server?.stop();
    await targets?.close();
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
          emails: [{ value: email, primary: true }],
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
    // Each target is busy for its next request (503, Retry-After 1): the reading retries that page.
    await reload(true, 'report');
    targets.scim.faults.failNext(1, 503, { retryAfterSec: 1 });
    targets.salesforce.faults.failNext(1, 503, { retryAfterSec: 1 });
    targets.google.faults.failNext(1, 503, { retryAfterSec: 1 });
    for (const id of CONNECTORS) {
      const { report } = await reconcile(id);
      const orphans = report?.samples.orphans ?? [];
      expect({ id, names: orphans.map((o) => o.remoteName?.toLowerCase()).sort() }).toEqual({
        id,
        names: [PEOPLE[1], ...(id === 'salesforce' ? [SF_USER] : id === 'google' ? [GOOGLE_ADMIN] : [])].sort(),
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
      if (id !== 'scim-app') expect(notes[id === 'salesforce' ? SF_USER : GOOGLE_ADMIN]).toBe('kept (reconcile.keep)');
    }
    await settleJobs(server, { failOnFailed: true, timeoutMs: 30000 });
    // Salesforce never deletes a user: the most it can do is deactivate.
    expect(remote(PEOPLE[1])).toEqual({ salesforce: false, google: 'gone', 'scim-app': 'gone' });
    for (const email of [PEOPLE[0], PEOPLE[2]]) expect(remote(email)).toEqual({ salesforce: true, google: true, 'scim-app': true });
    expect(targets.salesforce.state.userByUsername(SF_USER)?.['IsActive']).toBe(true);
    expect(targets.google.state.user(GOOGLE_ADMIN)).toBeDefined();
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
        names: id === 'salesforce' ? [PEOPLE[1], SF_USER].sort() : id === 'google' ? [GOOGLE_ADMIN] : [],
      });
    }
    await settleJobs(server, { failOnFailed: true, timeoutMs: 30000 });
  }, 180000);
});
