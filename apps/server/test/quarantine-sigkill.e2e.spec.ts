import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorList } from '@provisio/admin-contract';
import { PostgresStore } from '@provisio/store-postgres';
import { runCli, startServe, type ServerProcess } from './cli-harness.js';
import { DATABASE_URL, requirePostgres } from './chaos/postgres-required.js';
import { DOMAIN, startEmulatedTargets, type EmulatedTargets } from './faults/emulated-targets.js';
import { deliveryReport, EXACTLY_ONCE, scim, userBody, waitFor } from './faults/fault-kit.js';

const SCIM_TOKEN = 'qkill-inbound-token-5a0e91';
const ADMIN_TOKEN = 'qkill-admin-token-c4d27b';
const USERS = 30;

const stores = {
  sqlite: { yaml: () => 'store: { type: sqlite, path: data/provisio.db }', cleanup: async () => undefined },
  postgres: (() => {
    const schema = `provisio_qkill_${randomBytes(4).toString('hex')}`;
    return {
      yaml: () => `store: { type: postgres, url: "\${env:DATABASE_URL}", schema: ${schema} }
security: { passwordKey: "\${env:PROVISIO_PASSWORD_KEY}" }`,
      cleanup: () => PostgresStore.dropSchemas(DATABASE_URL, schema),
    };
  })(),
};

/**
 * A quarantined instance stays quarantined across a SIGKILL of the server: the
 * restarted process reads since, reason and the probe schedule back from the
 * store, sends nothing to the target, and `provisio quarantine release` ends it.
 */
describe.each(Object.keys(stores) as (keyof typeof stores)[])('quarantine survives a SIGKILL (%s)', (kind) => {
  let targets: EmulatedTargets;
  let server: ServerProcess | undefined;
  const env = { DATABASE_URL, PROVISIO_PASSWORD_KEY: randomBytes(32).toString('base64'), PROVISIO_ADMIN_TOKEN: ADMIN_TOKEN };

  beforeAll(async () => {
    if (kind === 'postgres') await requirePostgres();
  });

  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await targets?.close();
    await stores[kind].cleanup();
  });

  it('keeps the state, probes nothing early, and is released by the CLI', async () => {
    targets = await startEmulatedTargets({ latencyMs: 10 });
    const dir = mkdtempSync(join(tmpdir(), `provisio-qkill-${kind}-`));
    for (const [name, content] of Object.entries(targets.files)) writeFileSync(join(dir, name), content);
    const manifestPath = join(dir, 'provisio.config.yaml');
    writeFileSync(
      manifestPath,
      `server: { port: 0, logLevel: warn }
${stores[kind].yaml()}
# A short lease: jobs a killed process held are taken over seconds, not a minute, after the restart.
worker: { leaseSeconds: 10 }
inbound: { scim: { auth: { bearer: [{ name: hr, token: "${SCIM_TOKEN}" }] } } }
admin: { auth: { bearer: [{ name: ops, token: "${ADMIN_TOKEN}" }] } }
connectors:
${targets.connectorsYaml('    batch: { enabled: false }\n    retry: { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 500 }\n    quarantine: { minCalls: 10, probe: { first: 10m } }')}`,
    );
    const connectors = async (url: string) => {
      const response = await fetch(`${url}/admin/v1/connectors`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      return ((await response.json()) as ConnectorList).connectors;
    };
    const googleOf = async (url: string) => (await connectors(url)).find((c) => c.id === 'google');

    const first = await startServe(['--config', manifestPath], { cwd: dir, env, timeoutMs: 60_000 });
    server = first;
    targets.google.faults.revokeServiceAccountKeys();
    const accepted: string[] = [];
    for (let i = 0; i < USERS; i += 1) {
      const userName = `qkill${i}@${DOMAIN}`;
      expect((await scim(first.url, SCIM_TOKEN, 'POST', '/Users', userBody(userName), 30_000)).status).toBe(201);
      accepted.push(userName);
    }
    const before = await waitFor('quarantine', async () => (await googleOf(first.url))?.quarantine, 30_000, 100);
    first.child.kill('SIGKILL');
    await new Promise((resolve) =>
      first.child.exitCode !== null || first.child.signalCode !== null ? resolve(undefined) : first.child.once('exit', resolve),
    );
    expect(first.child.signalCode).toBe('SIGKILL');

    const second = await startServe(['--config', manifestPath], { cwd: dir, env, timeoutMs: 60_000 });
    server = second;
    const calls = targets.google.state.callCount + targets.google.state.tokenRequestCount;
    const after = await googleOf(second.url);
    expect(after?.quarantine).toEqual(before);
    // The restarted worker claims none of the waiting jobs; the first probe is ten minutes out.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(targets.google.state.callCount + targets.google.state.tokenRequestCount).toBe(calls);
    expect((await googleOf(second.url))?.jobs.failed).toBe(0);

    const listed = await runCli(['quarantine', '--server', second.url], { cwd: dir, env });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^google\t\S+\t\S+\t0\t\d+\tauthentication refused: /m);

    targets.google.faults.restoreServiceAccountKeys();
    const released = await runCli(['quarantine', 'release', 'google', '--server', second.url], { cwd: dir, env });
    expect(released).toMatchObject({ code: 0 });
    expect(released.stdout).toContain('google left quarantine');
    const settled = await waitFor(
      'every job done',
      async () => {
        const list = await connectors(second.url);
        return list.every((c) => c.jobs.pending === 0 && c.jobs.running === 0) ? list : undefined;
      },
      // Several suites share the machine's two cores in CI: the drain after the release gets room.
      120_000,
      200,
    );
    expect(settled.map((c) => [c.id, c.jobs.failed, c.quarantine])).toEqual([
      ['scim-app', 0, undefined],
      ['salesforce', 0, undefined],
      ['google', 0, undefined],
    ]);
    expect(deliveryReport(accepted, targets.holdings().google)).toEqual(EXACTLY_ONCE);
    await second.stop();
  }, 300_000);
});
