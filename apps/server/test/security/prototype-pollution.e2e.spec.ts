import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settleJobs, startInProcessServer, type InProcessServer } from '../in-process-server.js';
import { journal, scim, type ScimAnswer } from '../faults/fault-kit.js';

const SCIM_TOKEN = 'pollution-scim-token-6e0d2a';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const bomb = { polluted: 'yes', isAdmin: true };

/** JSON texts, not objects: `{ __proto__: ... }` in a literal would set the prototype instead of a key. */
const postBodies: [string, string][] = [
  ['top-level __proto__', `{"schemas":["${USER}"],"userName":"p-proto@example.com","__proto__":${JSON.stringify(bomb)}}`],
  [
    'top-level constructor.prototype',
    `{"schemas":["${USER}"],"userName":"p-ctor@example.com","constructor":{"prototype":${JSON.stringify(bomb)}}}`,
  ],
  ['top-level prototype', `{"schemas":["${USER}"],"userName":"p-prototype@example.com","prototype":${JSON.stringify(bomb)}}`],
  [
    '__proto__ inside name',
    `{"schemas":["${USER}"],"userName":"p-name@example.com","name":{"familyName":"X","__proto__":${JSON.stringify(bomb)}}}`,
  ],
  [
    '__proto__ inside an email',
    `{"schemas":["${USER}"],"userName":"p-email@example.com","emails":[{"value":"p@example.com","__proto__":${JSON.stringify(bomb)}}]}`,
  ],
  [
    '__proto__ inside the enterprise extension',
    `{"schemas":["${USER}","${ENTERPRISE}"],"userName":"p-ent@example.com","${ENTERPRISE}":{"__proto__":${JSON.stringify(bomb)},"department":"R&D"}}`,
  ],
  ['__proto__ as a schema URN key', `{"schemas":["${USER}","__proto__"],"userName":"p-urn@example.com","__proto__":{"polluted":"yes"}}`],
];

const patchOperations: [string, unknown][] = [
  ['path __proto__.polluted', { op: 'add', path: '__proto__.polluted', value: 'yes' }],
  ['path constructor.prototype.polluted', { op: 'replace', path: 'constructor.prototype.polluted', value: 'yes' }],
  ['path prototype', { op: 'add', path: 'prototype', value: bomb }],
  ['path name.__proto__', { op: 'add', path: 'name.__proto__', value: bomb }],
  ['path emails[...].__proto__', { op: 'add', path: 'emails[type eq "work"].__proto__', value: bomb }],
  ['path with the extension URN and __proto__', { op: 'add', path: `${ENTERPRISE}:__proto__`, value: bomb }],
  ['remove __proto__', { op: 'remove', path: '__proto__' }],
];
const pathlessPatches: [string, string][] = [
  ['a value object with __proto__', `{"op":"add","value":{"__proto__":${JSON.stringify(bomb)}}}`],
  ['a value object with constructor.prototype', `{"op":"replace","value":{"constructor":{"prototype":${JSON.stringify(bomb)}}}}`],
];

const filters = [
  '__proto__ eq "x"',
  'constructor.prototype.polluted pr',
  'name.__proto__ pr',
  'emails[__proto__ eq "x"]',
  '__proto__.polluted eq "yes"',
  'prototype pr',
];

/**
 * `__proto__`, `constructor` and `prototype` as SCIM attribute names — in POST
 * bodies, PATCH paths and values, filters, sortBy and attributes — never cause a
 * 5xx and never reach Object.prototype: a user created afterwards gains nothing,
 * in the SCIM answer or at the target.
 */
describe('prototype pollution through SCIM attribute names', () => {
  let server: InProcessServer;
  let targetJournal: string;
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  beforeAll(async () => {
    targetJournal = join(mkdtempSync(join(tmpdir(), 'provisio-pollution-target-')), 'target.jsonl');
    server = await startInProcessServer(
      `server: { port: 0 }
inbound: { scim: { auth: { bearer: [{ name: hr, token: "${SCIM_TOKEN}" }] } } }
connectors:
  - id: mem
    type: memory
    config: { journal: ${JSON.stringify(targetJournal)} }
    mapping: { userName: userName, title: title, department: ${ENTERPRISE}:department }
`,
      { prefix: 'provisio-pollution-' },
    );
  });

  afterAll(async () => {
    await server?.stop();
  });

  const expectNotPolluted = () => {
    const probe: Record<string, unknown> = {};
    expect(probe['polluted']).toBeUndefined();
    expect(probe['isAdmin']).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
  };

  /** Not a server error, no polluted attribute in the answer, and Object.prototype untouched. */
  const expectHarmless = (answer: ScimAnswer) => {
    expect(answer.status).toBeLessThan(500);
    expect(answer.text).not.toContain('"polluted"');
    expectNotPolluted();
  };

  /** A new user (a unique name starting with `prefix`) for a PATCH to work on; returns its id. */
  const createdUserId = async (prefix: string, extra: Record<string, unknown> = {}) => {
    const created = await scim(server.url, SCIM_TOKEN, 'POST', '/Users', {
      schemas: [USER],
      userName: `${prefix}-${Math.random().toString(36).slice(2)}@example.com`,
      ...extra,
    });
    expect(created.status).toBe(201);
    return String(created.body.id);
  };

  it.each(postBodies)('POST with %s: no 5xx, nothing polluted', async (_what, body) => {
    expectHarmless(await scim(server.url, SCIM_TOKEN, 'POST', '/Users', body));
  });

  it.each(patchOperations)('PATCH with %s: no 5xx, nothing polluted', async (_what, operation) => {
    const id = await createdUserId('patch', { emails: [{ value: 'w@example.com', type: 'work' }] });
    expectHarmless(await scim(server.url, SCIM_TOKEN, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [operation] }));
  });

  it.each(pathlessPatches)('PATCH without a path and %s: no 5xx, nothing polluted', async (_what, operation) => {
    const id = await createdUserId('pathless');
    expectHarmless(await scim(server.url, SCIM_TOKEN, 'PATCH', `/Users/${id}`, `{"schemas":["${PATCH_OP}"],"Operations":[${operation}]}`));
  });

  it.each(filters)('filter %s: no 5xx', async (filter) => {
    for (const path of [`/Users?filter=${encodeURIComponent(filter)}`, `/Groups?filter=${encodeURIComponent(filter)}`]) {
      const answer = await scim(server.url, SCIM_TOKEN, 'GET', path);
      expect(answer.status).toBeLessThan(500);
    }
    const search = await scim(server.url, SCIM_TOKEN, 'POST', '/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter,
    });
    expect(search.status).toBeLessThan(500);
    expectNotPolluted();
  });

  it('sortBy and attributes named __proto__ / constructor: no 5xx', async () => {
    for (const query of [
      'sortBy=__proto__',
      'sortBy=constructor.prototype',
      'attributes=__proto__,constructor',
      'excludedAttributes=__proto__',
      'attributes=name.__proto__',
    ]) {
      const answer = await scim(server.url, SCIM_TOKEN, 'GET', `/Users?${query}`);
      expect(answer.status).toBeLessThan(500);
      expect(answer.text).not.toContain('"polluted"');
    }
    expectNotPolluted();
  });

  it('Bulk with __proto__ bulkIds and paths: no 5xx', async () => {
    const answer = await scim(
      server.url,
      SCIM_TOKEN,
      'POST',
      '/Bulk',
      `{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{"method":"POST","path":"/Users","bulkId":"__proto__","data":{"schemas":["${USER}"],"userName":"bulk-proto@example.com","__proto__":${JSON.stringify(bomb)}}},{"method":"PATCH","path":"/Users/bulkId:__proto__","data":{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"__proto__.polluted","value":"yes"}]}}]}`,
    );
    expect(answer.status).toBeLessThan(500);
    expectNotPolluted();
  });

  it('a user created afterwards gains no attribute, in SCIM or at the target', async () => {
    const created = await scim(server.url, SCIM_TOKEN, 'POST', '/Users', {
      schemas: [USER],
      userName: 'fresh@example.com',
      title: 'Engineer',
    });
    expect(created.status).toBe(201);
    const read = await scim(server.url, SCIM_TOKEN, 'GET', `/Users/${String(created.body.id)}`);
    expect(Object.keys(read.body).sort()).toEqual(['active', 'id', 'meta', 'schemas', 'title', 'userName']);
    const listed = await scim(server.url, SCIM_TOKEN, 'GET', '/Users?count=500');
    expect(listed.text).not.toContain('"polluted"');
    expect(listed.text).not.toContain('"isAdmin"');
    await settleJobs(server, { timeoutMs: 10000 });
    const fresh = (journal(targetJournal, 'createUser') as { attributes?: Record<string, unknown> }[]).find(
      (l) => l.attributes?.userName === 'fresh@example.com',
    );
    expect(fresh?.attributes).toEqual({ userName: 'fresh@example.com', title: 'Engineer' });
    expect(JSON.stringify(journal(targetJournal))).not.toContain('"polluted"');
    expectNotPolluted();
  });
});
