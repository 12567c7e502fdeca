import { startScimEmulator, type JsonObject } from '../../src/scim/index.js';
import { call, expectScimError, group, patch, user, USER_SCHEMA, useScimEmulator } from './scim-http.js';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const bulk = (operations: JsonObject[], extra: JsonObject = {}): JsonObject => ({
  schemas: [BULK_REQUEST],
  Operations: operations,
  ...extra,
});

describe('SCIM 2.0 Bulk (RFC 7644 §3.7)', () => {
  const scim = useScimEmulator({ bulk: { supported: true, maxOperations: 5, maxPayloadSize: 4096 } });
  const bulkUrl = () => `${scim.emu.baseUrl2}/Bulk`;
  /** A POST operation of the request, named `bulkId` for the operations that refer to what it creates. */
  const createOp = (path: '/Users' | '/Groups', bulkId: string, data: JsonObject): JsonObject => ({ method: 'POST', path, bulkId, data });

  it('creates users and a group that references them by bulkId, in any order', async () => {
    const res = await call(
      'POST',
      bulkUrl(),
      bulk([
        createOp('/Groups', 'g1', group('Tour Guides', { members: [{ type: 'User', value: 'bulkId:u1' }, { value: 'bulkId:u2' }] })),
        createOp('/Users', 'u1', user('alice')),
        createOp('/Users', 'u2', user('bob')),
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.body['schemas']).toEqual(['urn:ietf:params:scim:api:messages:2.0:BulkResponse']);
    const ops = res.body['Operations'] as JsonObject[];
    expect(ops.map((o) => [o['bulkId'], o['status']])).toEqual([
      ['g1', '201'],
      ['u1', '201'],
      ['u2', '201'],
    ]);
    expect(ops[1]['location']).toMatch(new RegExp(`^${scim.emu.baseUrl2}/Users/`));
    expect(ops[1]['version']).toMatch(/^W\/"/);
    const alice = scim.emu.state.findUserByUserName('alice')!;
    const g = scim.emu.state.findGroupByDisplayName('Tour Guides')!;
    expect((g['members'] as JsonObject[]).map((m) => m['value']).sort()).toEqual(
      [alice['id'], scim.emu.state.findUserByUserName('bob')!['id']].sort(),
    );
  });

  it('runs PUT, PATCH and DELETE with version preconditions and reports per-operation errors', async () => {
    const created = await call('POST', `${scim.emu.baseUrl2}/Users`, user('carol'));
    const path = `/Users/${String(created.body['id'])}`;
    const res = await call(
      'POST',
      bulkUrl(),
      bulk([
        { method: 'PATCH', path, version: created.headers.get('etag')!, data: patch({ op: 'replace', path: 'title', value: 'Boss' }) },
        { method: 'PUT', path, version: 'W/"stale"', data: user('carol') },
        { method: 'POST', path: '/Users', bulkId: 'dup', data: user('CAROL') },
        { method: 'DELETE', path: '/Users/missing' },
      ]),
    );
    const ops = res.body['Operations'] as JsonObject[];
    expect(ops.map((o) => o['status'])).toEqual(['200', '412', '409', '404']);
    expect((ops[2]['response'] as JsonObject)['scimType']).toBe('uniqueness');
    expect(scim.emu.state.findUserByUserName('carol')!['title']).toBe('Boss');
  });

  it('stops after failOnErrors errors', async () => {
    const res = await call(
      'POST',
      bulkUrl(),
      bulk(
        [
          { method: 'POST', path: '/Users', bulkId: 'a', data: { schemas: [USER_SCHEMA] } },
          { method: 'POST', path: '/Users', bulkId: 'b', data: { schemas: [USER_SCHEMA] } },
          { method: 'POST', path: '/Users', bulkId: 'c', data: user('never') },
        ],
        { failOnErrors: 2 },
      ),
    );
    expect((res.body['Operations'] as JsonObject[]).map((o) => o['status'])).toEqual(['400', '400']);
    expect(scim.emu.state.findUserByUserName('never')).toBeUndefined();
  });

  it('answers 409 for circular and unresolvable bulkId references', async () => {
    const res = await call(
      'POST',
      bulkUrl(),
      bulk([
        createOp('/Groups', 'x', group('X', { members: [{ value: 'bulkId:y' }] })),
        createOp('/Groups', 'y', group('Y', { members: [{ value: 'bulkId:x' }] })),
        createOp('/Groups', 'z', group('Z', { members: [{ value: 'bulkId:nowhere' }] })),
      ]),
    );
    expect((res.body['Operations'] as JsonObject[]).map((o) => [o['bulkId'], o['status']]).sort()).toEqual([
      ['x', '409'],
      ['y', '409'],
      ['z', '409'],
    ]);
    expect(scim.emu.state.groups()).toHaveLength(0);
  });

  it('enforces maxOperations and maxPayloadSize with 413', async () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `b${i}`, data: user(`u${i}`) }));
    const tooMany = expectScimError(await call('POST', bulkUrl(), bulk(six)), 413);
    expect(tooMany['detail']).toContain('maxOperations (5)');
    const big = bulk([{ method: 'POST', path: '/Users', bulkId: 'big', data: user('big', { title: 'x'.repeat(5000) }) }]);
    expect(expectScimError(await call('POST', bulkUrl(), big), 413)['detail']).toContain('maxPayloadSize (4096)');
    expect(scim.emu.state.users()).toHaveLength(0);
  });

  it('validates the request envelope', async () => {
    expectScimError(await call('POST', bulkUrl(), { Operations: [] }), 400, 'invalidSyntax');
    expectScimError(
      await call('POST', bulkUrl(), bulk([{ method: 'POST', path: '/Users', data: user('nobulkid') }])),
      400,
      'invalidSyntax',
    );
    expectScimError(await call('POST', bulkUrl(), bulk([{ method: 'GET', path: '/Users' }])), 400, 'invalidSyntax');
    const dup = bulk([
      { method: 'POST', path: '/Users', bulkId: 'same', data: user('p') },
      { method: 'POST', path: '/Users', bulkId: 'same', data: user('q') },
    ]);
    expectScimError(await call('POST', bulkUrl(), dup), 400, 'invalidValue');
  });

  it('answers 501 when bulk is switched off, and ServiceProviderConfig follows the toggle', async () => {
    scim.emu.faults.setBulkSupported(false);
    expectScimError(await call('POST', bulkUrl(), bulk([])), 501);
    expect((await call('GET', `${scim.emu.baseUrl2}/ServiceProviderConfig`)).body['bulk']).toMatchObject({ supported: false });
    scim.emu.faults.setBulkSupported(true);
    expect((await call('POST', bulkUrl(), bulk([]))).status).toBe(200);
  });
});

describe('SCIM 2.0 Bulk disabled by default', () => {
  it('answers 501 Not Implemented', async () => {
    const emu = await startScimEmulator();
    try {
      expectScimError(await call('POST', `${emu.baseUrl2}/Bulk`, bulk([])), 501);
    } finally {
      await emu.close();
    }
  });
});
