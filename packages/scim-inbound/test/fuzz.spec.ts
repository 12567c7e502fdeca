import { startHarness, type Harness } from './scim-harness.js';

/**
 * Thousands of malformed bodies, filters, paths and PATCH operations at every
 * endpoint: never a 5xx (501 for /Me is the documented answer), always a SCIM
 * error body, the process alive, and the store exactly as it was.
 */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(20260101);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const FILTER_TOKENS = [
  'userName',
  'emails',
  '[',
  ']',
  '(',
  ')',
  'type',
  'value',
  'eq',
  'ne',
  'co',
  'sw',
  'pr',
  'gt',
  'and',
  'or',
  'not',
  '"x"',
  '"',
  'true',
  'null',
  '12',
  '.',
  'urn:x:y',
  'meta.lastModified',
  '\\',
  '%',
  '\u0000',
  'émails',
  '"2026-01-01T00:00:00Z"',
];
const filterText = () => Array.from({ length: 1 + Math.floor(random() * 9) }, () => pick(FILTER_TOKENS)).join(pick([' ', '', '  ']));
const JUNK_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  '',
  'x',
  [],
  {},
  [null],
  { '': 1 },
  { value: {} },
  'False',
  [[[]]],
  { Operations: 'x' },
];
const junk = () => pick(JUNK_VALUES);

function malformedBody(): string {
  switch (Math.floor(random() * 7)) {
    case 0:
      return pick(['{', '{"userName":', '[1,', '{"a":tre}', 'null', '"str"', '12', '{}}', '\u0000', '']);
    case 1:
      return JSON.stringify({ userName: [1], displayName: {}, title: junk() });
    case 2:
      return JSON.stringify({ schemas: junk(), emails: pick([{ value: [] }, 'a', [{ primary: 'maybe' }]]), active: pick(['yes', 2, {}]) });
    case 3:
      return JSON.stringify({ Operations: [{ op: pick(['jump', '', 1, null]), path: filterText(), value: junk() }] });
    case 4:
      return JSON.stringify({
        Operations: [
          {
            op: pick(['add', 'replace', 'remove']),
            path: pick(['emails[', 'id', 'meta.version', 'groups', 'x.y.z', ']', 'members[value eq']),
            value: junk(),
          },
        ],
      });
    case 5:
      return JSON.stringify({
        Operations: Array.from({ length: 2 }, () => ({ op: 'replace', path: 'active', value: pick(['maybe', {}, [1]]) })),
      });
    default:
      return JSON.stringify({ Operations: junk(), failOnErrors: junk() });
  }
}

describe('SCIM fuzz', () => {
  let h: Harness;
  const ids: string[] = [];
  beforeAll(async () => {
    h = await startHarness({ bodyLimit: '16kb' });
    for (const userName of ['fuzz-a', 'fuzz-b']) {
      const response = await h.call('/v2/Users', {
        method: 'POST',
        json: { userName, emails: [{ value: `${userName}@x.com`, type: 'work' }] },
      });
      ids.push(((await response.json()) as { id: string }).id);
    }
    const group = await h.call('/v2/Groups', { method: 'POST', json: { displayName: 'fuzz', members: [{ value: ids[0] }] } });
    ids.push(((await group.json()) as { id: string }).id);
  });
  afterAll(async () => h.close());

  const snapshot = async () => JSON.stringify([await h.store.queryUsers({}), await h.store.queryGroups({})]);

  it('answers 3,000 malformed requests without a 5xx and leaves the store unchanged', async () => {
    const before = await snapshot();
    const endpoints = [
      '/v2/Users',
      '/v2/Groups',
      '/v2/Bulk',
      '/v2/.search',
      '/v2/Users/.search',
      '/v1/Users',
      '/v1/Groups',
      '/v2/Schemas',
      '/v2/ResourceTypes/x',
      '/v2/Nope',
      '/v3',
      '/v2/Users/%E0%A4%A',
      '/v2/Users/..%2f..%2fetc',
    ];
    const request = async () => {
      const method = pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
      // Bodies are always invalid; a DELETE is not, so it only ever meets ids that do not exist.
      const id = pick([...(method === 'DELETE' ? [] : ids), 'missing', '%00', '..', 'a'.repeat(300)]);
      const base = pick(endpoints);
      const path = method === 'POST' || random() < 0.3 ? base : `${base.replace(/\/\.search$/, '')}/${id}`;
      const query =
        random() < 0.5
          ? `?filter=${encodeURIComponent(filterText())}&sortBy=${encodeURIComponent(pick(['', 'emails[', 'userName', '%']))}&startIndex=${pick(['-5', 'x', '1e99', '2'])}&count=${pick(['-1', 'NaN', '99999999999999999999'])}&attributes=${encodeURIComponent(pick(['', ',', 'emails[type eq', 'urn:x:']))}`
          : '';
      const body = method === 'GET' || method === 'DELETE' ? undefined : malformedBody();
      const headers: Record<string, string> = {
        'content-type': pick(['application/scim+json', 'application/json', 'text/plain', 'application/json; charset=utf-8']),
      };
      if (random() < 0.2) headers['if-match'] = pick(['W/"999"', 'garbage', '*', '"1"']);
      const response = await h.call(`${path}${query}`, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await response.text();
      return { status: response.status, text, what: `${method} ${path}${query} ${body ?? ''}` };
    };
    const failures: string[] = [];
    for (let batch = 0; batch < 150; batch += 1) {
      const results = await Promise.all(Array.from({ length: 20 }, request));
      for (const r of results) {
        if (r.status >= 500 && r.status !== 501) failures.push(`${r.status} ${r.what} → ${r.text.slice(0, 200)}`);
        if (r.status >= 400 && !/urn:ietf:params:scim:api:messages:2\.0:Error|"Errors"/.test(r.text))
          failures.push(`non-SCIM error ${r.status} ${r.what}`);
        if (/\bat \w+ \(|node:internal|\.ts:\d+/.test(r.text)) failures.push(`stack trace leaked: ${r.what}`);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(await snapshot()).toBe(before);
    expect((await h.call('/v2/Users')).status).toBe(200);
  }, 60000);
});
