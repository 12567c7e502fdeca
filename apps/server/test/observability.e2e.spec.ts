import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli-harness.js';
import { settleJobs, startInProcessServer, type InProcessServer } from './in-process-server.js';
import { parsePrometheusText, sampleValue, type Sample } from './prometheus-text.js';

const SCIM_TOKEN = 'scim-token-for-observability-0123456789';
const ADMIN_TOKEN = 'admin-token-for-observability-0123456789';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

const MANIFEST = `server: { port: 0 }
store: { type: sqlite, path: data/provisio.db }
admin: { auth: { bearer: [{ name: ops, token: "${ADMIN_TOKEN}" }] } }
inbound: { scim: { auth: { bearer: [{ name: hr, token: "${SCIM_TOKEN}" }] } } }
connectors:
  - id: mem
    type: memory
    mapping: { userName: userName }
`;

const timeout = () => AbortSignal.timeout(10000);

/**
 * Issue 17 item 4: /metrics (Prometheus text, moving with SCIM calls and jobs),
 * /readyz (per component, 503 when the SQLite file cannot be written), request ids
 * (echoed, in log lines, in SCIM errors, on the jobs a request caused) and one
 * access log line per request without credentials.
 */
describe('observability: metrics, readiness, request ids, access log', () => {
  let server: InProcessServer;
  const logs: string[] = [];
  const logLines = () => logs.map((line) => JSON.parse(line) as Record<string, unknown>);

  const scim = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/scim/v2${path}`, {
      ...init,
      headers: { authorization: `Bearer ${SCIM_TOKEN}`, 'content-type': 'application/scim+json', ...init.headers },
      signal: timeout(),
    });
  const createUser = (userName: string, headers: Record<string, string> = {}) =>
    scim('/Users', { method: 'POST', headers, body: JSON.stringify({ schemas: [USER_SCHEMA], userName }) });

  const scrape = async (): Promise<Sample[]> => {
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: timeout() });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return parsePrometheusText(await response.text());
  };

  beforeAll(async () => {
    server = await startInProcessServer(MANIFEST, { prefix: 'provisio-obs-', logLines: logs });
  });
  afterAll(async () => {
    const db = join(server.dir, 'data', 'provisio.db');
    for (const file of [db, `${db}-wal`]) if (existsSync(file)) execFileSync('chattr', ['-i', file]);
    await server?.stop();
  });

  it('serves /metrics only with the admin credentials', async () => {
    expect((await fetch(`${server.url}/metrics`, { signal: timeout() })).status).toBe(401);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${SCIM_TOKEN}` }, signal: timeout() });
    expect(wrong.status).toBe(401);
  });

  it('/metrics parses strictly and its counters move with SCIM calls and jobs', async () => {
    const before = await scrape();
    const created = { method: 'POST', route: '/scim/v2/Users', status: '201' };
    const remote = { connector: 'mem', operation: 'createUser', outcome: 'ok' };
    const succeededBefore = sampleValue(before, 'provisio_jobs', { connector: 'mem', status: 'succeeded' });

    expect((await createUser('metrics-ada')).status).toBe(201);
    expect((await createUser('metrics-grace')).status).toBe(201);
    await settleJobs(server, { failOnFailed: true });

    let after = await scrape();
    expect(sampleValue(after, 'provisio_http_requests_total', created) - sampleValue(before, 'provisio_http_requests_total', created)).toBe(
      2,
    );
    expect(sampleValue(after, 'provisio_http_request_duration_seconds_count', created)).toBeGreaterThanOrEqual(2);
    expect(sampleValue(after, 'provisio_remote_calls_total', remote) - sampleValue(before, 'provisio_remote_calls_total', remote)).toBe(2);
    expect(sampleValue(after, 'provisio_remote_call_duration_seconds_count', remote)).toBeGreaterThanOrEqual(2);
    expect(sampleValue(after, 'provisio_job_outcomes_total', { connector: 'mem', outcome: 'succeeded' })).toBeGreaterThanOrEqual(2);
    expect(sampleValue(after, 'provisio_job_delivery_seconds_count', { connector: 'mem' })).toBeGreaterThanOrEqual(2);
    expect(sampleValue(after, 'provisio_store_bytes')).toBeGreaterThan(0);
    expect(sampleValue(after, 'provisio_process_resident_memory_bytes')).toBeGreaterThan(0);
    // The job gauge is read from the store and cached for 5 s: wait (bounded) for the next read.
    const deadline = Date.now() + 15000;
    while (sampleValue(after, 'provisio_jobs', { connector: 'mem', status: 'succeeded' }) < succeededBefore + 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await scrape();
    }
    expect(sampleValue(after, 'provisio_jobs', { connector: 'mem', status: 'succeeded' })).toBe(succeededBefore + 2);
    expect(sampleValue(after, 'provisio_jobs', { connector: 'mem', status: 'failed' })).toBe(0);
    // Route templates, never raw paths: no user id in any label.
    const routes = new Set(after.filter((s) => s.name === 'provisio_http_requests_total').map((s) => s.labels.route));
    expect([...routes].every((route) => !/[0-9a-f]{8}-[0-9a-f]{4}/.test(route))).toBe(true);
  });

  it('echoes a well-formed X-Request-Id, puts it on the log lines of the request and its jobs, and in SCIM error details', async () => {
    const response = await createUser('request-id-alan', { 'x-request-id': 'abc-123' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe('abc-123');
    await settleJobs(server, { failOnFailed: true });

    const job = (await server.runtime.options.store.listJobs({ instanceId: 'mem', limit: 10 })).find((j) => j.requestId === 'abc-123');
    expect(job).toBeDefined();
    const lines = logLines().filter((line) => line.requestId === 'abc-123');
    expect(lines.some((line) => line.msg === 'request' && line.route === '/scim/v2/Users')).toBe(true);
    expect(lines.some((line) => line.msg === 'job succeeded' && line.jobId === job?.id)).toBe(true);

    const missing = await scim('/Users/00000000-0000-4000-8000-000000000000', { headers: { 'x-request-id': 'abc-123' } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { detail: string }).detail).toMatch(/\(request id abc-123\)$/);
  });

  it('replaces a malformed or oversized X-Request-Id with a generated one', async () => {
    for (const given of ['has spaces', 'semi;colon', 'x'.repeat(129), '']) {
      const response = await scim('/ServiceProviderConfig', { headers: { 'x-request-id': given } });
      expect(response.status).toBe(200);
      const echoed = response.headers.get('x-request-id');
      expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
      expect(echoed).not.toBe(given);
    }
  });

  it('writes one access log line per request with method, route, status, duration, request id and address; no credentials or query', async () => {
    const response = await scim('/Users?filter=userName%20eq%20%22secret-filter-value%22', { headers: { 'x-request-id': 'access-1' } });
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the line is written on the response's finish event
    const lines = logLines().filter((line) => line.requestId === 'access-1' && line.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      method: 'GET',
      route: '/scim/v2/Users',
      status: 200,
      remoteAddress: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(typeof lines[0].durationMs).toBe('number');
    const everything = logs.join('\n');
    expect(everything).not.toContain(SCIM_TOKEN);
    expect(everything).not.toContain(ADMIN_TOKEN);
    expect(everything.toLowerCase()).not.toContain('authorization');
    expect(everything).not.toContain('secret-filter-value');
  });

  it('/readyz reports each component, turns 503 when the SQLite file cannot be written and 200 when it can again', async () => {
    const ready = await fetch(`${server.url}/readyz`, { signal: timeout() });
    expect(ready.status).toBe(200);
    const report = (await ready.json()) as { status: string; components: Record<string, Record<string, unknown>> };
    expect(report.status).toBe('ready');
    expect(report.components.store).toMatchObject({ ok: true, writable: true });
    expect(report.components.worker).toMatchObject({ ok: true, running: true });
    expect(report.components.connectors.mem).toMatchObject({ ok: true });

    // Tests run as root, where file modes do not stop writes; the immutable attribute does (even through open descriptors).
    const db = join(server.dir, 'data', 'provisio.db');
    const files = [db, `${db}-wal`].filter((file) => existsSync(file));
    execFileSync('chattr', ['+i', ...files]);
    try {
      const unwritable = await fetch(`${server.url}/readyz`, { signal: timeout() });
      expect(unwritable.status).toBe(503);
      const down = (await unwritable.json()) as { status: string; components: { store: { ok: boolean; error: string } } };
      expect(down.status).toBe('not ready');
      expect(down.components.store.ok).toBe(false);
      expect(down.components.store.error).toMatch(/cannot be written/);
      // /healthz stays a liveness check.
      expect((await fetch(`${server.url}/healthz`, { signal: timeout() })).status).toBe(200);
    } finally {
      execFileSync('chattr', ['-i', ...files]);
    }
    const recovered = await fetch(`${server.url}/readyz`, { signal: timeout() });
    expect(recovered.status).toBe(200);
    expect((await createUser('after-recovery')).status).toBe(201);
  });
});

describe('the test helper parsePrometheusText is strict', () => {
  it('reads HELP/TYPE comments, blank lines and samples with escaped labels', () => {
    const samples = parsePrometheusText('# HELP a_total A.\n# TYPE a_total counter\na_total{x="q\\"uote",y="b"} 3\n\n# any comment\n');
    expect(samples).toEqual([{ name: 'a_total', labels: { x: 'q"uote', y: 'b' }, value: 3 }]);
  });

  it.each([
    ['a sample without TYPE', 'b 1\n'],
    ['a bare word', '# TYPE a gauge\ngarbage\n'],
    ['an unquoted label', '# TYPE a gauge\na{x=1} 1\n'],
    ['a value that is not a number', '# TYPE a gauge\na one\n'],
    ['a missing final newline', '# TYPE a gauge\na 1'],
    ['a histogram sample without its suffix', '# TYPE h histogram\nh 1\n'],
    ['the same series twice', '# TYPE a gauge\na 1\na 2\n'],
  ])('refuses %s', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});

describe('server.metricsPort: /metrics on a loopback port of its own, without credentials', () => {
  let server: InProcessServer;
  beforeAll(async () => {
    server = await startInProcessServer(MANIFEST.replace('server: { port: 0 }', 'server: { port: 0, metricsPort: 0 }'), {
      prefix: 'provisio-obs-port-',
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves the exposition there (loopback by default), and no longer on the main port', async () => {
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.metricsUrl).not.toBe(server.url);
    const response = await fetch(`${server.metricsUrl}/metrics`, { signal: timeout() });
    expect(response.status).toBe(200);
    const samples = parsePrometheusText(await response.text());
    expect(samples.some((s) => s.name === 'provisio_process_cpu_seconds_total')).toBe(true);
    expect((await fetch(`${server.metricsUrl}/scim/v2/Users`, { signal: timeout() })).status).toBe(404);
    const main = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: timeout() });
    expect(main.status).toBe(404);
  });
});

describe('provisio validate and server.metricsHost', () => {
  it('warns when the credential-free metrics port listens beyond loopback, and not on loopback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provisio-obs-validate-'));
    const validate = async (name: string, server: string) => {
      writeFileSync(join(dir, name), `server: ${server}\n`);
      return runCli(['validate', '--config', join(dir, name)], { cwd: dir });
    };
    const open = await validate('open.yaml', '{ metricsPort: 9464, metricsHost: 0.0.0.0 }');
    expect(open.code).toBe(0);
    expect(open.stderr).toContain('warning: server.metricsHost is 0.0.0.0: GET /metrics on server.metricsPort answers without credentials');
    expect((await validate('loopback.yaml', '{ metricsPort: 9464, metricsHost: "::1" }')).stderr).toBe('');
    expect((await validate('default.yaml', '{ metricsPort: 9464 }')).stderr).toBe('');
  });
});
