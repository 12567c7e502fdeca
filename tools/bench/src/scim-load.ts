import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';

/**
 * Load generator, run as a child process so it does not share the server's event
 * loop: `concurrency` keep-alive requests in flight for `seconds`, then prints
 * {requests, errors, seconds, p50Ms, p99Ms} as JSON.
 */
export interface LoadSpec {
  url: string;
  /**
   * patch-hot: every PATCH to one user (seed-0); member-hot: every PATCH adds a random user to the group `groupId`;
   * member-add: every PATCH adds a user of `memberPool` to `groupId`, and the same request slot then takes it out again
   * (`members[value eq "…"]`, not counted), so the group keeps its size however long the run.
   */
  kind: 'bare' | 'post' | 'filter' | 'patch' | 'patch-hot' | 'member-hot' | 'member-add';
  groupId?: string;
  /** member-add: the users added are seed-<first> … seed-<first + size - 1>, none of them a member of the group. */
  memberPool?: { first: number; size: number };
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

type Request = { method: string; path: string; body?: string };

/** A PATCH of `groupId`'s members with one operation. */
function membersPatch(operation: Record<string, unknown>): Request {
  return {
    method: 'PATCH',
    path: `/scim/v2/Groups/${spec.groupId}`,
    body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [operation] }),
  };
}

function unprefixed(): Request {
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
    case 'member-add':
      return membersPatch({ op: 'add', path: 'members', value: [{ value: `seed-${n}` }] });
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

function once({ method, path, body }: Request = next()): Promise<{ ok: boolean; ms: number }> {
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

/** member-add: the user slot `slot` adds in round `round` (slots never share one); undefined for the other kinds. */
function memberOf(slot: number, round: number): string | undefined {
  if (spec.kind !== 'member-add') return undefined;
  const pool = spec.memberPool ?? { first: spec.users, size: spec.concurrency };
  if (pool.size < spec.concurrency) throw new Error('member-add needs a memberPool at least as large as the concurrency');
  return `seed-${pool.first + ((slot + round * spec.concurrency) % (pool.size - (pool.size % spec.concurrency)))}`;
}

const latencies: number[] = [];
let errors = 0;
const deadline = performance.now() + spec.seconds * 1000;
const started = performance.now();
await Promise.all(
  Array.from({ length: spec.concurrency }, async (_, slot) => {
    for (let round = 0; performance.now() < deadline; round += 1) {
      const member = memberOf(slot, round);
      const { ok, ms } = await once(
        member === undefined ? undefined : membersPatch({ op: 'add', path: 'members', value: [{ value: member }] }),
      );
      latencies.push(ms);
      if (!ok) errors += 1;
      if (member !== undefined && !(await once(membersPatch({ op: 'remove', path: `members[value eq "${member}"]` }))).ok) errors += 1;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
process.stdout.write(JSON.stringify({ requests: latencies.length, errors, seconds, p50Ms: at(0.5), p99Ms: at(0.99) }));
agent.destroy();
