import { settleJobs as settle, startInProcessServer, type InProcessServer } from './in-process-server.js';
import { runCli } from './cli-harness.js';
import { manifestHead } from './test-manifest.js';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const READER_TOKEN = 'reader-token-for-tests-0123456789';
const actor = { actor: 'test' };

describe('admin API', () => {
  let server: InProcessServer;
  let dir: string;
  const api = (path: string, init: RequestInit & { token?: string | null } = {}) =>
    fetch(`${server.url}/admin/v1${path}`, {
      ...init,
      headers: { ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? ADMIN_TOKEN}` }), ...(init.headers ?? {}) },
    });

  beforeAll(async () => {
    server = await startInProcessServer(
      `${manifestHead({ adminToken: '${env:TEST_ADMIN_TOKEN}', readerToken: READER_TOKEN })}connectors:
  - id: good
    type: memory
    mapping: { userName: userName, email: "emails[primary eq true].value" }
  - id: flaky
    type: memory
    config: { failTransiently: 1 }
    retry: { maxAttempts: 1 }
    mapping: { userName: userName }
`,
      { env: { TEST_ADMIN_TOKEN: ADMIN_TOKEN }, prefix: 'provisio-admin-' },
    );
    dir = server.dir;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('rejects missing and wrong credentials with 401 and a challenge, and read-only tokens on writes with 403', async () => {
    const missing = await api('/connectors', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expect((await api('/connectors', { token: 'wrong-token-0123456789' })).status).toBe(401);
    expect((await api('/connectors', { token: READER_TOKEN })).status).toBe(200);
    expect((await api('/connectors/good/retry-failed', { method: 'POST', token: READER_TOKEN })).status).toBe(403);
  });

  it('serves its OpenAPI description without credentials', async () => {
    const response = await fetch(`${server.url}/admin/v1/openapi.json`);
    expect(response.status).toBe(200);
    const spec = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/connectors',
        '/connectors/{id}/check',
        '/connectors/{id}/reconcile',
        '/jobs',
        '/jobs/{id}/retry',
        '/users/{id}/links',
      ]),
    );
  });

  it('shows a failed job with its remote message, through the API and `provisio jobs --status failed`, and retries it', async () => {
    const { resource } = await server.runtime.identities.createUser(
      { userName: 'ada', emails: [{ value: 'ada@example.com', primary: true }] },
      actor,
    );
    const userId = resource.id as string;
    await settle(server);

    const failed = (await (await api('/jobs?status=failed')).json()) as {
      jobs: { id: string; connector: string; localId: string; lastError: string; attempts: number }[];
    };
    expect(failed.jobs).toEqual([
      expect.objectContaining({
        connector: 'flaky',
        localId: userId,
        attempts: 1,
        lastError: 'memory target is told to fail transiently (gave up after 1 attempts)',
      }),
    ]);

    const cli = await runCli(['jobs', '--status', 'failed'], {
      cwd: dir,
      env: { PROVISIO_URL: server.url, PROVISIO_ADMIN_TOKEN: ADMIN_TOKEN },
    });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`flaky\tuser:${userId}\tsync\tfailed\t1/1`);
    expect(cli.stdout).toContain('memory target is told to fail transiently');

    const links = (await (await api(`/users/${userId}/links`)).json()) as {
      connector: string;
      status: string;
      remoteId: string | null;
      lastError: string | null;
      lastSyncedAt: string | null;
    }[];
    expect(links).toEqual([
      expect.objectContaining({
        connector: 'flaky',
        status: 'failed',
        remoteId: null,
        lastError: expect.stringContaining('fail transiently'),
      }),
      expect.objectContaining({
        connector: 'good',
        status: 'synced',
        remoteId: expect.any(String),
        lastError: null,
        lastSyncedAt: expect.any(String),
      }),
    ]);

    const retry = await runCli(['retry', failed.jobs[0].id], {
      cwd: dir,
      env: { PROVISIO_URL: server.url, PROVISIO_ADMIN_TOKEN: ADMIN_TOKEN },
    });
    expect(retry.stdout).toBe(`job ${failed.jobs[0].id} is pending again\n`);
    await settle(server);
    const job = (await (await api(`/jobs/${failed.jobs[0].id}`)).json()) as { status: string; history: { outcome: string }[] };
    expect(job.status).toBe('succeeded');
    expect(job.history.map((h) => h.outcome)).toEqual(['failed', 'succeeded']);
    expect((await api(`/jobs/${failed.jobs[0].id}/retry`, { method: 'POST' })).status).toBe(409);
  });

  it('lists connectors with job counts and checks them', async () => {
    const { connectors } = (await (await api('/connectors')).json()) as {
      connectors: { id: string; type: string; jobs: Record<string, number> }[];
    };
    expect(connectors.map((c) => [c.id, c.type])).toEqual([
      ['good', 'memory'],
      ['flaky', 'memory'],
    ]);
    expect(connectors[0].jobs.succeeded).toBeGreaterThanOrEqual(1);
    const check = await runCli(['check', 'good'], { cwd: dir, env: { PROVISIO_URL: server.url, PROVISIO_ADMIN_TOKEN: ADMIN_TOKEN } });
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^good: ok - memory target: \d+ users/);
    expect((await api('/connectors/nope/check')).status).toBe(404);
  });

  it('reconciles an instance from the CLI', async () => {
    await server.runtime.identities.createUser({ userName: 'bob' }, actor);
    await settle(server);
    const result = await runCli(['reconcile', 'good'], { cwd: dir, env: { PROVISIO_URL: server.url, PROVISIO_ADMIN_TOKEN: ADMIN_TOKEN } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^reconciled good: 2 identities scanned, 0 jobs planned$/m);
  });

  it('shows a running job’s lease holder and expiry, through the API and the LEASE column of `provisio jobs`', async () => {
    // A job of an instance this server does not run, claimed by a worker that never finishes it: what a stuck job looks like.
    const store = server.runtime.options.store;
    const now = Date.now();
    await store.commit({
      jobs: [
        { instanceId: 'elsewhere', entityType: 'user', localId: 'u-stuck', action: 'sync', reason: 'test', maxAttempts: 3, runAt: now },
      ],
    });
    const [claimed] = await store.claimJobs({ workerId: 'worker-stuck', now, leaseMs: 3600000, slots: { elsewhere: 1 } });
    try {
      const { jobs } = (await (await api('/jobs?connector=elsewhere')).json()) as {
        jobs: { id: string; status: string; claimedBy: string | null; leaseUntil: string | null }[];
      };
      expect(jobs).toEqual([
        expect.objectContaining({
          id: claimed.id,
          status: 'running',
          claimedBy: 'worker-stuck',
          leaseUntil: new Date(now + 3600000).toISOString(),
        }),
      ]);
      const cli = await runCli(['jobs', '--connector', 'elsewhere'], {
        cwd: dir,
        env: { PROVISIO_URL: server.url, PROVISIO_ADMIN_TOKEN: ADMIN_TOKEN },
      });
      expect(cli.code).toBe(0);
      expect(cli.stdout.split('\n')[0].split('\t')).toContain('LEASE');
      expect(cli.stdout).toMatch(/\trunning\t\d\/3\t/);
      expect(cli.stdout).toContain(`\tworker-stuck until ${new Date(now + 3600000).toISOString()}\t`);
    } finally {
      await store.completeJob({ jobId: claimed.id, claimToken: claimed.claimToken, now: Date.now() });
    }
    // Finished, the job shows no lease.
    expect((await (await api(`/jobs/${claimed.id}`)).json()) as { claimedBy: unknown; leaseUntil: unknown }).toMatchObject({
      claimedBy: null,
      leaseUntil: null,
    });
  });

  it('answers a query, body or path value that fails the contract with a 400 naming the field', async () => {
    const message = async (response: Response) => ({
      status: response.status,
      message: ((await response.json()) as { error: { message: string } }).error.message,
    });
    expect(await message(await api('/jobs?limit=5000'))).toEqual({
      status: 400,
      message: expect.stringMatching(/^query parameter limit: .*1000/),
    });
    expect(await message(await api('/audit?before=yesterday'))).toEqual({
      status: 400,
      message: expect.stringMatching(/^query parameter before: /),
    });
    expect(await message(await api('/users?limit=0'))).toEqual({ status: 400, message: expect.stringMatching(/^query parameter limit: /) });
    expect(await message(await api('/connectors/good/preview'))).toEqual({
      status: 400,
      message: expect.stringMatching(/^query parameter user: /),
    });
    const noUser = await api('/connectors/good/provision', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 42 }),
    });
    expect(await message(noUser)).toEqual({ status: 400, message: expect.stringMatching(/^body field user: .*string/) });
    // Empty values mean "no filter", as the console and the CLI send them.
    expect((await api('/jobs?status=&connector=')).status).toBe(200);
  });

  it('answers bad filters and unknown ids with clear errors', async () => {
    const bad = await api('/jobs?status=broken');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/query parameter status: .*pending/);
    expect((await api('/users/nope/links')).status).toBe(404);
    expect((await api('/nowhere')).status).toBe(404);
  });

  it('says clearly when the CLI cannot reach a server or is not allowed in', async () => {
    const unreachable = await runCli(['jobs'], {
      cwd: dir,
      env: { PROVISIO_URL: 'http://127.0.0.1:9', PROVISIO_ADMIN_TOKEN: ADMIN_TOKEN },
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^provisio: cannot reach the Provisio server at http:\/\/127\.0\.0\.1:9/);
    const denied = await runCli(['jobs'], { cwd: dir, env: { PROVISIO_URL: server.url, PROVISIO_ADMIN_TOKEN: 'nope-nope-nope-nope' } });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('401 missing or invalid credentials (set PROVISIO_ADMIN_TOKEN or --token)');
  });
});
