import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';

/**
 * Load generator, run as a child process so it does not share the server's event
 * loop: `concurrency` keep-alive requests in flight for `seconds`, then prints
 * {requests, errors, seconds, p50Ms, p99Ms} as JSON.
 */
export interface LoadSpec {
  url: string;
  /** patch-hot: every PATCH to one user (seed-0); member-hot: every PATCH adds a random user to the group `groupId`. */
  kind: 'bare' | 'post' | 'filter' | 'patch' | 'patch-hot' | 'member-hot';
  groupId?: string;
  /** Each request goes to one of these tenants, at random: /t/<domain>/scim/v2/... (else /scim/v2/...). */
  tenants?: string[];
  /** post: new userNames and emails in no order (as a directory's names arrive), not `load-<pid>-<sequence>`, whose order packs one store's index writes. */
  unorderedNames?: boolean;
  token: string;
  users: number;
  seconds: number;
  concurrency: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
const target = new URL(spec.url);
let sequence = 0;

function next(): { method: string; path: string; body?: string } {
  const request = unprefixed();
  const tenants = spec.tenants ?? [];
  if (tenants.length === 0) return request;
  return { ...request, path: `/t/${tenants[Math.floor(Math.random() * tenants.length)]}${request.path}` };
}

function unprefixed(): { method: string; path: string; body?: string } {
  const n = Math.floor(Math.random() * spec.users);
  sequence += 1;
  switch (spec.kind) {
    case 'bare':
      return { method: 'GET', path: '/' };
    case 'post': {
      const name = spec.unorderedNames ? `${randomBytes(6).toString('hex')}-${sequence}` : `load-${process.pid}-${sequence}`;
      return {
        method: 'POST',
        path: '/scim/v2/Users',
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: `${name}@example.com`,
          name: { familyName: 'Load' },
          emails: [{ value: spec.unorderedNames ? `${name}@example.com` : `load-${sequence}@example.com`, type: 'work', primary: true }],
        }),
      };
    }
    case 'filter':
      return { method: 'GET', path: `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "user${n}@example.com"`)}` };
    case 'member-hot':
      return {
        method: 'PATCH',
        path: `/scim/v2/Groups/${spec.groupId}`,
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'add', path: 'members', value: [{ value: `seed-${n}` }] }],
        }),
      };
    case 'patch':
    case 'patch-hot':
      return {
        method: 'PATCH',
        path: `/scim/v2/Users/seed-${spec.kind === 'patch-hot' ? 0 : n}`,
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'replace', path: 'title', value: `t${sequence}` }],
        }),
      };
  }
}

function once(): Promise<{ ok: boolean; ms: number }> {
  const { method, path, body } = next();
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method,
        path,
        agent,
        headers: {
          authorization: `Bearer ${spec.token}`,
          ...(body ? { 'content-type': 'application/scim+json', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ ok: (res.statusCode ?? 500) < 300, ms: performance.now() - started }));
      },
    );
    req.on('error', () => resolve({ ok: false, ms: performance.now() - started }));
    req.end(body);
  });
}

const latencies: number[] = [];
let errors = 0;
const deadline = performance.now() + spec.seconds * 1000;
const started = performance.now();
await Promise.all(
  Array.from({ length: spec.concurrency }, async () => {
    while (performance.now() < deadline) {
      const { ok, ms } = await once();
      latencies.push(ms);
      if (!ok) errors += 1;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
process.stdout.write(JSON.stringify({ requests: latencies.length, errors, seconds, p50Ms: at(0.5), p99Ms: at(0.99) }));
agent.destroy();
