import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSalesforceEmulator, startScimEmulator, type SalesforceEmulator, type ScimEmulator } from '@provisio/emulators';
import { PostgresStore } from '@provisio/store-postgres';
import { DATABASE_URL, freshSchema, postgresStoreYaml } from './postgres-test-database.js';
import { runCli, startServe, type ServerProcess } from './cli-harness.js';
import { manifestHead } from './test-manifest.js';
import { adminOk, scim, userBody, waitFor } from './faults/fault-kit.js';

const SCIM_TOKEN = 'guard-scim-inbound-token-4b1e0c';
const ADMIN_TOKEN = 'guard-admin-token-98aa13f0c2';
const TARGET_TOKEN = 'guard-scim-target-token-2c7d51';
const SF = { clientSecret: 'guard-sf-client-secret-e01f', password: 'guard-sf-password-77c1', securityToken: 'guardSfTok5512' };
const SF_USER = 'integration@wso2.com';

// GUARD_USERS shrinks the run for a quick local check (the threshold follows: 10 %); GUARD_TRACE=1 prints the phases' times.
const USERS = Number(process.env.GUARD_USERS ?? 2000);
const LEAVING = (USERS * 3) / 4;
// The default guard: the smaller of 500 and 10 % of the 2,000 linked accounts, per hour.
const THRESHOLD = Math.min(500, USERS / 10);
const T0 = Date.now();
const mark = (what: string) =>
  process.env.GUARD_TRACE && process.stderr.write(`[guard-e2e ${((Date.now() - T0) / 1000).toFixed(1)}s] ${what}\n`);

interface Fixture {
  dir: string;
  manifestPath: string;
  scimTarget: ScimEmulator;
  salesforce: SalesforceEmulator;
  server?: ServerProcess;
}

function manifest(f: Fixture, store: string, scope?: string): string {
  const profileId = f.salesforce.state.profileId('Standard User');
  const scoped = scope ? `    scope: ${JSON.stringify(scope)}\n` : '';
  return `${manifestHead({ logLevel: 'warn', scimToken: SCIM_TOKEN, adminToken: ADMIN_TOKEN })}${store}
worker: { leaseSeconds: 5, idlePollMs: 100 }
connectors:
  - id: scim-app
    type: scim2
    concurrency: 8
    config: { baseUrl: "${f.scimTarget.baseUrl2}", auth: { type: bearer, token: "${TARGET_TOKEN}" } }
${scoped}  - id: salesforce
    type: salesforce
    concurrency: 4
    config:
      apiVersion: v59.0
      tokenEndpoint: ${f.salesforce.url}/services/oauth2/token
      auth: { flow: password, clientId: sf-client, clientSecret: ${SF.clientSecret}, username: ${SF_USER}, password: ${SF.password}, securityToken: ${SF.securityToken} }
    mapping:
      Username: http://wso2.org/claims/emailaddress
      Email: http://wso2.org/claims/emailaddress
      LastName: { from: http://wso2.org/claims/lastname, default: Unknown }
      Alias: { from: userName, transform: truncate(8) }
      IsActive: { from: active, transform: boolean }
      EmailEncodingKey: { default: UTF-8 }
      LanguageLocaleKey: { default: en_US }
      LocaleSidKey: { default: en_US }
      TimeZoneSidKey: { default: America/Los_Angeles }
      ProfileId: { default: "${profileId}" }
${scoped}`;
}

const admin = <T>(server: ServerProcess, method: string, path: string) => adminOk<T>(server.url, ADMIN_TOKEN, method, path);

const cli = (f: Fixture, args: string[]) =>
  runCli([...args, '--server', f.server!.url, '--token', ADMIN_TOKEN], { cwd: f.dir, timeoutMs: 300000 });

interface Guard {
  tripped: boolean;
  held: number;
  sample: { userName: string | null; action: string; reason: string }[];
}

/** Creates the users, `parallel` requests at a time; returns their ids by userName. */
async function createUsers(server: ServerProcess, names: string[], extra: (i: number) => Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  const parallel = 16;
  for (let start = 0; start < names.length; start += parallel) {
    const answers = await Promise.all(
      names
        .slice(start, start + parallel)
        .map((name, k) => scim(server.url, SCIM_TOKEN, 'POST', '/Users', userBody(name, extra(start + k)))),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(201);
      ids.push(String(answer.body.id));
    }
  }
  return ids;
}

const scimHeld = (f: Fixture) => f.scimTarget.state.users().length;
const sfInactive = (f: Fixture) => f.salesforce.state.users().filter((u) => u['IsActive'] === false).length;
const sfOurs = (f: Fixture) => f.salesforce.state.users().filter((u) => String(u['Username']).startsWith('guard')).length;

async function startFixture(): Promise<Fixture> {
  const scimTarget = await startScimEmulator({ auth: { type: 'bearer', token: TARGET_TOKEN }, latencyMs: 0 });
  const salesforce = await startSalesforceEmulator({
    latencyMs: 0,
    clients: [{ clientId: 'sf-client', clientSecret: SF.clientSecret }],
    credentials: [{ username: SF_USER, password: SF.password, securityToken: SF.securityToken }],
  });
  const dir = mkdtempSync(join(tmpdir(), 'provisio-guard-'));
  return { dir, manifestPath: join(dir, 'provisio.config.yaml'), scimTarget, salesforce };
}

async function stopFixture(f: Fixture | undefined): Promise<void> {
  if (!f) return;
  await f.server?.stop();
  await Promise.all([f.scimTarget.close(), f.salesforce.close()]);
}

/** Waits until nothing changes at the targets for `quietMs` (the guard holds the rest). */
async function settled(f: Fixture, quietMs = 1500): Promise<void> {
  let last = '';
  let since = Date.now();
  await waitFor(
    'the targets to settle',
    () => {
      const now = `${scimHeld(f)}/${sfInactive(f)}/${sfOurs(f)}`;
      if (now !== last) {
        last = now;
        since = Date.now();
      }
      return Date.now() - since >= quietMs;
    },
    300000,
    100,
  );
}

const STORES = {
  sqlite: () => 'store: { type: sqlite, path: data/provisio.db }',
  postgres: postgresStoreYaml,
};

describe.each(['sqlite', 'postgres'] as const)('the accidental-deletion guard (%s)', (kind) => {
  const schema = freshSchema('provisio_guard');
  const store = kind === 'sqlite' ? STORES.sqlite() : STORES.postgres(schema);
  let f: Fixture | undefined;

  afterAll(async () => {
    await stopFixture(f);
    if (kind === 'postgres') await PostgresStore.dropSchemas(DATABASE_URL, schema);
  });

  it('a scope change (SIGHUP) that puts 1,500 of 2,000 users out of scope sends at most the threshold; the rest are held across a SIGKILL until released or discarded', async () => {
    f = await startFixture();
    const fx = f;
    writeFileSync(fx.manifestPath, manifest(fx, store));
    fx.server = await startServe(['--config', fx.manifestPath], { cwd: fx.dir, timeoutMs: 60000 });
    const names = Array.from({ length: USERS }, (_, i) => `guard${String(i).padStart(4, '0')}@example.com`);
    await createUsers(fx.server, names, (i) => ({ title: i < LEAVING ? 'Contractor' : 'Employee' }));
    mark('created');
    await waitFor('every user at both targets', () => scimHeld(fx) === USERS && sfOurs(fx) === USERS, 300000, 100);
    mark('provisioned');

    // One manifest change: only employees stay in scope. Reconcile plans the deprovisioning.
    writeFileSync(fx.manifestPath, manifest(fx, store, 'title eq "Employee"'));
    fx.server.child.kill('SIGHUP');
    await waitFor(
      'the reloaded scope',
      async () => (await admin<{ settings: { scope?: string } }>(fx.server!, 'GET', '/connectors/salesforce')).settings.scope !== undefined,
      20000,
      100,
    );
    for (const id of ['scim-app', 'salesforce']) {
      const reconciled = await cli(fx, ['reconcile', id]);
      expect(reconciled.stdout).toContain(`${LEAVING} jobs planned`);
    }
    mark('reconciled');
    await settled(fx);
    mark('settled');
    expect(scimHeld(fx)).toBe(USERS - THRESHOLD);
    expect(sfInactive(fx)).toBe(THRESHOLD);
    for (const id of ['scim-app', 'salesforce']) {
      const guard = await admin<Guard>(fx.server, 'GET', `/connectors/${id}/guard`);
      expect(guard).toMatchObject({ tripped: true, held: LEAVING - THRESHOLD });
      expect(guard.sample[0]).toMatchObject({ action: 'delete', reason: 'left scope "title eq \\"Employee\\"" (reconcile)' });
      expect(guard.sample[0].userName).toMatch(/^guard\d{4}@example\.com$/);
    }
    // What the console's overview reads: held counts and the tripped flag per connector.
    const { connectors } = await admin<{ connectors: { id: string; guardTripped: boolean; jobs: { held: number } }[] }>(
      fx.server,
      'GET',
      '/connectors',
    );
    expect(connectors.map((c) => [c.id, c.guardTripped, c.jobs.held])).toEqual([
      ['scim-app', true, LEAVING - THRESHOLD],
      ['salesforce', true, LEAVING - THRESHOLD],
    ]);
    const shown = await cli(fx, ['guard', 'scim-app']);
    expect(shown.stdout).toContain(`${LEAVING - THRESHOLD} held`);
    expect(shown.stdout).toContain('TRIPPED');
    const listed = await cli(fx, ['jobs', '--status', 'held', '--connector', 'salesforce', '--limit', '5']);
    expect(listed.stdout.split('\n').filter((l) => l.includes('\theld\t'))).toHaveLength(5);

    mark('checked');
    // SIGKILL: the guard and its held jobs are in the store.
    fx.server.child.kill('SIGKILL');
    await new Promise((resolve) => fx.server!.child.once('exit', resolve));
    fx.server = await startServe(['--config', fx.manifestPath], { cwd: fx.dir, timeoutMs: 60000 });
    for (const id of ['scim-app', 'salesforce'])
      expect(await admin<Guard>(fx.server, 'GET', `/connectors/${id}/guard`)).toMatchObject({ tripped: true, held: LEAVING - THRESHOLD });
    await settled(fx, 1000);
    expect(scimHeld(fx)).toBe(USERS - THRESHOLD);
    expect(sfInactive(fx)).toBe(THRESHOLD);

    mark('restarted');
    // Release sends exactly the held ones, once; discard sends none.
    const deletesBefore = fx.scimTarget.state.countRequests('DELETE', '/scim/v2/Users');
    const released = await cli(fx, ['guard', 'scim-app', 'release']);
    expect(released.stdout).toContain(`${LEAVING - THRESHOLD} held jobs released`);
    await waitFor('the released deletes', () => scimHeld(fx) === USERS - LEAVING, 300000, 100);
    expect(await admin<{ jobs: number }>(fx.server, 'POST', '/connectors/salesforce/guard/discard')).toMatchObject({
      jobs: LEAVING - THRESHOLD,
    });
    await settled(fx);
    expect(fx.scimTarget.state.countRequests('DELETE', '/scim/v2/Users') - deletesBefore).toBe(LEAVING - THRESHOLD);
    expect(sfInactive(fx)).toBe(THRESHOLD);
    expect(await admin<Guard>(fx.server, 'GET', '/connectors/scim-app/guard')).toMatchObject({ tripped: false, held: 0 });
    const audit = await admin<{ entries: { action: string; actor: string }[] }>(fx.server, 'GET', '/audit?limit=20');
    expect(audit.entries.filter((e) => e.action.startsWith('connector.guard.')).map((e) => [e.action, e.actor])).toEqual([
      ['connector.guard.discard', 'admin:ops'],
      ['connector.guard.release', 'admin:ops'],
    ]);
  }, 900000);
});

describe('the accidental-deletion guard and active: false over SCIM (sqlite)', () => {
  let f: Fixture | undefined;
  afterAll(() => stopFixture(f));

  it('a PATCH active: false on 1,500 of 2,000 users deactivates at most the threshold; release sends the rest once', async () => {
    f = await startFixture();
    const fx = f;
    writeFileSync(fx.manifestPath, manifest(fx, STORES.sqlite()));
    fx.server = await startServe(['--config', fx.manifestPath], { cwd: fx.dir, timeoutMs: 60000 });
    const names = Array.from({ length: USERS }, (_, i) => `guard${String(i).padStart(4, '0')}@example.com`);
    const ids = await createUsers(fx.server, names, () => ({}));
    await waitFor('every user at both targets', () => scimHeld(fx) === USERS && sfOurs(fx) === USERS, 300000, 100);

    const patch = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    };
    for (let start = 0; start < LEAVING; start += 16) {
      const answers = await Promise.all(
        ids.slice(start, Math.min(start + 16, LEAVING)).map((id) => scim(fx.server!.url, SCIM_TOKEN, 'PATCH', `/Users/${id}`, patch)),
      );
      for (const answer of answers) expect([200, 204]).toContain(answer.status);
    }
    const scimInactive = () => fx.scimTarget.state.users().filter((u) => u['active'] === false).length;
    await settled(fx);
    await waitFor('the allowed deactivations', () => scimInactive() === THRESHOLD && sfInactive(fx) === THRESHOLD, 30000, 100);
    const guard = await admin<Guard>(fx.server, 'GET', '/connectors/salesforce/guard');
    expect(guard).toMatchObject({ tripped: true, held: LEAVING - THRESHOLD });
    expect(guard.sample[0]).toMatchObject({ action: 'sync', reason: 'updated: active set to false' });

    await cli(fx, ['guard', 'salesforce', 'release']);
    await waitFor('the released deactivations', () => sfInactive(fx) === LEAVING, 300000, 100);
    await cli(fx, ['guard', 'scim-app', 'discard']);
    await settled(fx);
    expect(sfInactive(fx)).toBe(LEAVING);
    expect(scimInactive()).toBe(THRESHOLD);
  }, 900000);
});
