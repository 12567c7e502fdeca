import { startScimEmulator, type JsonObject, type JsonValue, type ScimEmulator } from '../../src/scim/index.js';
import { call, ENTERPRISE, expectScimError, GROUP_SCHEMA, patch, user, USER_SCHEMA } from './scim-http.js';

/** Deterministic pseudo-random source so a failure reproduces. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const ATOMS: JsonValue[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  '',
  'x',
  'False',
  [],
  {},
  [1, 'a'],
  { value: 'v' },
  [{ value: 'v', primary: true }],
];
const PATHS = [
  'userName',
  'name.givenName',
  'emails',
  'emails[type eq "work"]',
  'emails[type eq "work"].value',
  'members',
  'members[value eq "x"]',
  'active',
  'id',
  'meta',
  'groups',
  `${ENTERPRISE}:manager.value`,
  ENTERPRISE,
  'nosuch',
  'emails[',
  'a.b.c',
  '',
  'emails[type eq "work"].nosuch',
];
const FILTER_TOKENS = [
  'userName',
  'eq',
  'ne',
  'co',
  'pr',
  'and',
  'or',
  'not',
  '(',
  ')',
  '[',
  ']',
  '"x"',
  'true',
  '12',
  'emails',
  'type',
  'name.givenName',
  'meta.created',
  'gt',
  '"2020-01-01T00:00:00Z"',
  'null',
];

describe('SCIM emulator never fails with 5xx on bad input', () => {
  let emu: ScimEmulator;
  beforeAll(async () => {
    emu = await startScimEmulator({ bulk: { supported: true }, maxFilterMatches: 2 });
  });
  afterAll(() => emu.close());

  it('survives randomised bodies, PATCH operations and filters', async () => {
    const rnd = lcg(7);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
    const created = await call('POST', `${emu.baseUrl2}/Users`, user('target', { emails: [{ value: 'a@b.c', type: 'work' }] }));
    const group = await call('POST', `${emu.baseUrl2}/Groups`, {
      schemas: [GROUP_SCHEMA],
      displayName: 'G',
      members: [{ value: created.body['id'] }],
    });
    const targets = [`${emu.baseUrl2}/Users/${String(created.body['id'])}`, `${emu.baseUrl2}/Groups/${String(group.body['id'])}`];
    const statuses = new Set<number>();
    for (let i = 0; i < 250; i++) {
      const kind = i % 4;
      let res;
      if (kind === 0) {
        const body: JsonObject = { schemas: pick([[USER_SCHEMA], [USER_SCHEMA, ENTERPRISE], 'x', []]), userName: pick(ATOMS) };
        body[pick(['name', 'emails', 'active', ENTERPRISE, 'groups', 'members', 'displayName'])] = pick(ATOMS);
        res = await call(pick(['POST', 'PUT']), pick([`${emu.baseUrl2}/Users`, targets[0], `${emu.baseUrl11}/Users`]), body);
      } else if (kind === 1) {
        const op: JsonObject = { op: pick(['add', 'replace', 'remove', 'Add', 'bogus', 5]), path: pick(PATHS), value: pick(ATOMS) };
        if (rnd() < 0.2) delete op['path'];
        res = await call('PATCH', pick(targets), patch(op));
      } else if (kind === 2) {
        const filter = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => pick(FILTER_TOKENS)).join(' ');
        res = await call(
          'GET',
          `${pick([`${emu.baseUrl2}/Users`, `${emu.baseUrl2}/Groups`, `${emu.baseUrl11}/Users`])}?filter=${encodeURIComponent(filter)}&sortBy=${pick(PATHS)}`,
        );
      } else {
        const ops = [
          {
            method: pick(['POST', 'PUT', 'PATCH', 'DELETE', 'GET']),
            path: pick(['/Users', '/Groups', '/Users/bulkId:a', '/Bulk', 'Users']),
            bulkId: pick(['a', 'b', 1]),
            data: pick(ATOMS),
          },
        ];
        res = await call('POST', `${emu.baseUrl2}/Bulk`, {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
          Operations: ops,
        });
      }
      statuses.add(res.status);
      expect(res.status).toBeLessThan(500);
    }
    expect(statuses.has(400)).toBe(true);
  });

  it('refuses absurdly nested JSON with 400 invalidSyntax', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    expectScimError(await call('POST', `${emu.baseUrl2}/Users`, undefined, { raw: deep }), 400, 'invalidSyntax');
  });

  it('answers 400 tooMany when a filter matches more than maxFilterMatches', async () => {
    emu.state.reset();
    for (const n of ['t1', 't2', 't3']) emu.state.seedUser({ userName: n });
    expectScimError(await call('GET', `${emu.baseUrl2}/Users?filter=${encodeURIComponent('userName pr')}`), 400, 'tooMany');
    expect((await call('GET', `${emu.baseUrl2}/Users?filter=${encodeURIComponent('userName eq "t1"')}`)).status).toBe(200);
  });

  it('answers /Me with 501 and unknown paths outside the bases with 404', async () => {
    expectScimError(await call('GET', `${emu.baseUrl2}/Me`), 501);
    expect((await call('GET', `${emu.url}/scim/v3/Users`)).status).toBe(404);
  });
});
