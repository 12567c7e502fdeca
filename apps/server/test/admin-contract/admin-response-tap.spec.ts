import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drainProblems } from './admin-response-tap.js';
import { documentedJob } from './documented-job.js';

// The jest setup (validate-admin-responses.ts) installed the tap; these tests
// take its findings themselves, so the deliberate mismatches do not fail them.
// A job that lacks createdAt, updatedAt, lastErrorKind and the lease fields.
const {
  createdAt: _createdAt,
  updatedAt: _updatedAt,
  lastErrorKind: _kind,
  claimedBy: _claimedBy,
  leaseUntil: _leaseUntil,
  ...driftedJob
} = documentedJob;

let server: Server;
let base: string;

beforeAll(async () => {
  // A stand-in admin API whose job has drifted from the document.
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/admin/v1/jobs/j1') res.end(JSON.stringify(driftedJob));
    else if (req.url === '/admin/v1/session')
      res.end(JSON.stringify({ name: 'ops', readOnly: false, tenant: 'carbon.super', superAdmin: true }));
    else res.writeHead(500).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** A plain node:http GET, as another client (the CLI child, Chromium) would ask: only the server-side tap sees it. */
const plainGet = (path: string) =>
  new Promise<void>((resolve, reject) => {
    request(`${base}${path}`, (res) => {
      res.resume();
      res.on('end', resolve);
    })
      .on('error', reject)
      .end();
  });

describe('the admin response tap', () => {
  it('reports a fetched admin answer that drifted from the document, naming the missing fields', async () => {
    await (await fetch(`${base}/admin/v1/jobs/j1`)).json();
    const { problems, checked } = await drainProblems();
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/GET \/admin\/v1\/jobs\/j1 → 200: .*createdAt/);
  });

  it('sees answers of servers in this process whatever the client, and passes matching ones', async () => {
    await plainGet('/admin/v1/jobs/j1');
    await plainGet('/admin/v1/session');
    const { problems, checked } = await drainProblems();
    expect(checked).toBe(2);
    expect(problems).toEqual([expect.stringContaining('/admin/v1/jobs/j1')]);
  });

  it('reports undocumented statuses', async () => {
    await plainGet('/admin/v1/session?x=1');
    expect((await drainProblems()).problems).toEqual([expect.stringContaining('status 500 is not documented')]);
  });
});
