import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScimEmulator, type ScimEmulator } from '@provisio/emulators';
import { MIGRATIONS, PostgresStore } from '@provisio/store-postgres';
import { DATABASE_URL, freshSchema, postgresAnswers } from './postgres-test-database.js';

import { runCli, startServe, type ServerProcess } from './cli-harness.js';
import { manifestHead } from './test-manifest.js';

const USERS = 5000;
const SCIM_TOKEN = 'scale-out-inbound-token';
const TARGET_TOKEN = 'scale-out-target-token';
const ADMIN_TOKEN = 'scale-out-admin-token';

// PostgreSQL must answer in CI; locally the suite skips with a loud message.
const describeWithPostgres = (await postgresAnswers('the PostgreSQL scale-out test')) ? describe : describe.skip;

/**
 * Issue #9's promise: two server processes on one database share the work, and
 * when one dies mid-load (SIGKILL), the other finishes its jobs: every user
 * reaches the target exactly once.
 */
describeWithPostgres('two server processes on one PostgreSQL', () => {
  const schema = freshSchema('provisio_e2e');
  let dir: string;
  let scim: ScimEmulator;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    scim = await startScimEmulator({ auth: { type: 'bearer', token: TARGET_TOKEN }, latencyMs: 2 });
    dir = mkdtempSync(join(tmpdir(), 'provisio-scale-out-'));
    writeFileSync(
      join(dir, 'provisio.config.yaml'),
      `${manifestHead({ logLevel: 'warn', scimToken: SCIM_TOKEN, adminToken: ADMIN_TOKEN })}store:
  type: postgres
  url: \${env:DATABASE_URL}
  schema: ${schema}
  pool: { max: 12 }
worker: { leaseSeconds: 5, idlePollMs: 200 }
security: { passwordKey: "\${env:PROVISIO_PASSWORD_KEY}" }
connectors:
  - id: scim-app
    type: scim2
    concurrency: 8
    config: { baseUrl: "${scim.baseUrl2}", auth: { type: bearer, token: "${TARGET_TOKEN}" } }
`,
    );
  });

  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
    await scim?.close();
    await PostgresStore.dropSchemas(DATABASE_URL, schema);
  });

  const env = { DATABASE_URL, PROVISIO_PASSWORD_KEY: randomBytes(32).toString('base64') };

  it('`provisio migrate` creates the schemas, and a second run finds nothing to do', async () => {
    const newest = MIGRATIONS[MIGRATIONS.length - 1].version;
    const first = await runCli(['migrate', '--config', join(dir, 'provisio.config.yaml')], { cwd: dir, env, timeoutMs: 60000 });
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(
      new RegExp(`schema "${schema}" migrated from version 0 to ${newest}; job queue schema "${schema}_queue" at pg-boss version \\d+`),
    );
    const second = await runCli(['migrate', '--config', join(dir, 'provisio.config.yaml')], { cwd: dir, env, timeoutMs: 60000 });
    expect(second.stdout).toContain(`schema "${schema}" is at version ${newest}`);
  }, 90000);

  it('delivers 5,000 SCIM creates exactly once when one of the two processes is killed midway', async () => {
    const start = () => startServe(['--config', join(dir, 'provisio.config.yaml'), '--role', 'all'], { cwd: dir, env, timeoutMs: 60000 });
    // Both start at once: migrations and queue creation must be safe concurrently.
    servers.push(...(await Promise.all([start(), start()])));
    const [victim, survivor] = servers;

    const post = async (url: string, index: number): Promise<number> => {
      const response = await fetch(`${url}/scim/v2/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SCIM_TOKEN}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: `user${index}@example.com`,
          name: { givenName: 'User', familyName: String(index) },
        }),
      });
      await response.arrayBuffer();
      return response.status;
    };

    // Creates alternate between the processes, 16 in flight; the victim dies halfway through.
    const accepted = new Set<number>();
    const refused: number[] = [];
    let next = 0;
    let killed = false;
    const lane = async () => {
      while (next < USERS) {
        const index = next++;
        if (!killed && accepted.size >= USERS / 2) {
          killed = true;
          victim.child.kill('SIGKILL');
        }
        const target = index % 2 === 0 ? victim : survivor;
        try {
          const status = await post(target.url, index);
          if (status === 201) accepted.add(index);
          else refused.push(index);
        } catch {
          refused.push(index);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, lane));
    expect(killed).toBe(true);
    // What the dead process did not answer, a client sends again to the live one; 409 means it was stored before the kill.
    for (const index of refused) {
      const status = await post(survivor.url, index);
      expect([201, 409]).toContain(status);
      accepted.add(index);
    }
    expect(accepted.size).toBe(USERS);

    // The survivor finishes everything, including the jobs the victim had claimed (their lease runs out).
    const jobCounts = async () => {
      const response = await fetch(`${survivor.url}/admin/v1/connectors`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      const body = (await response.json()) as { connectors: { id: string; jobs: Record<string, number> }[] };
      return body.connectors[0].jobs;
    };
    const deadline = Date.now() + 120000;
    let counts = await jobCounts();
    while ((counts.pending > 0 || counts.running > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      counts = await jobCounts();
    }
    expect(counts).toMatchObject({ pending: 0, running: 0, failed: 0 });
    expect(counts.succeeded).toBeGreaterThanOrEqual(USERS);

    const userNames = scim.state.users().map((u) => String(u.userName));
    expect(userNames).toHaveLength(USERS);
    expect(new Set(userNames).size).toBe(USERS);
    // Exactly once on the wire too: a job taken over from the dead process looks the account up before creating it.
    expect(scim.state.countRequests('POST', '/scim/v2/Users')).toBe(USERS);
    expect(victim.child.signalCode).toBe('SIGKILL');
    // The takeover path ran: jobs the victim was running when it died were finished by the survivor; the abandoned attempt does not count.
    const store = await PostgresStore.open({ url: DATABASE_URL, schema, maintenance: false });
    try {
      const jobs = await store.listJobs({ status: 'succeeded', limit: USERS * 2 });
      // Taken over: an attempt abandoned when its process died; retried: one that failed transiently.
      const takenOver = jobs.filter((job) => (job.takeovers ?? 0) > 0);
      const retried = jobs.filter((job) => job.history.some((h) => h.outcome === 'retry'));
      expect(takenOver.length).toBeGreaterThan(0);
      expect(
        takenOver.every(
          (job) =>
            job.history.some((h) => h.outcome === 'abandoned') &&
            job.attempts === job.history.filter((h) => h.outcome !== 'abandoned').length,
        ),
      ).toBe(true);
      console.info(
        `scale-out e2e: ${refused.length} creates resent after the kill, ${takenOver.length} jobs taken over from the killed process, ${retried.length} retried after ${[...new Set(retried.flatMap((j) => j.history.filter((h) => h.outcome === 'retry').map((h) => h.error)))].join('; ')}`,
      );
    } finally {
      await store.close();
    }
  }, 240000);
  it('splits roles: an API process accepts SCIM writes without running jobs, a worker process runs them and serves no SCIM', async () => {
    const start = (role: string) =>
      startServe(['--config', join(dir, 'provisio.config.yaml'), '--role', role], { cwd: dir, env, timeoutMs: 60000 });
    const [api, worker] = await Promise.all([start('api'), start('worker')]);
    servers.push(api, worker);
    expect(api.output()).toContain('(role api) listening');
    const body = JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'split-roles@example.com' });
    const headers = { authorization: `Bearer ${SCIM_TOKEN}`, 'content-type': 'application/scim+json' };
    expect((await fetch(`${worker.url}/scim/v2/Users`, { method: 'POST', headers, body })).status).toBe(404);
    expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${api.url}/scim/v2/Users`, { method: 'POST', headers, body })).status).toBe(201);
    const deadline = Date.now() + 30000;
    while (!scim.state.findUserByUserName('split-roles@example.com') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(scim.state.findUserByUserName('split-roles@example.com')).toBeDefined();

    // A job the target refuses for good is `failed` in the admin API, as with SQLite, and a retry from it goes through.
    scim.faults.refuseAccount('refused@example.com', { status: 400 });
    const refusedBody = JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'refused@example.com' });
    expect((await fetch(`${api.url}/scim/v2/Users`, { method: 'POST', headers, body: refusedBody })).status).toBe(201);
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    type JobView = { id: string; status: string; lastError?: string; attempts: number };
    let failed: JobView[] = [];
    const failDeadline = Date.now() + 30000;
    while (failed.length === 0 && Date.now() < failDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      failed = ((await (await fetch(`${api.url}/admin/v1/jobs?status=failed`, { headers: admin })).json()) as { jobs: JobView[] }).jobs;
    }
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed[0].lastError).toContain('refuses userName');
    scim.faults.clearRefusals();
    const retried = await fetch(`${api.url}/admin/v1/jobs/${failed[0].id}/retry`, { method: 'POST', headers: admin });
    expect(retried.status).toBe(200);
    const retryDeadline = Date.now() + 30000;
    while (!scim.state.findUserByUserName('refused@example.com') && Date.now() < retryDeadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(scim.state.findUserByUserName('refused@example.com')).toBeDefined();
  }, 120000);
});
