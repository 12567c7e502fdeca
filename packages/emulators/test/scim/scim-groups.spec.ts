import { startScimEmulator, type JsonObject, type ScimEmulator } from '../../src/scim/index.js';
import { call, expectScimError, group, GROUP_SCHEMA, user } from './scim-http.js';

describe('SCIM 2.0 Groups', () => {
  let emu: ScimEmulator;
  let groups: string;

  const newUser = async (userName: string): Promise<string> =>
    (await call('POST', `${emu.baseUrl2}/Users`, user(userName))).body['id'] as string;

  beforeAll(async () => {
    emu = await startScimEmulator();
    groups = `${emu.baseUrl2}/Groups`;
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.state.reset());

  it('creates a group with members and renders type, display and $ref', async () => {
    const alice = await newUser('alice');
    const res = await call('POST', groups, group('Engineering', { members: [{ value: alice, display: 'ignored' }] }));
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${groups}/${String(res.body['id'])}`);
    expect(res.body).toMatchObject({
      schemas: [GROUP_SCHEMA],
      displayName: 'Engineering',
      members: [{ value: alice, type: 'User', display: 'alice', $ref: `${emu.baseUrl2}/Users/${alice}` }],
      meta: { resourceType: 'Group' },
    });
  });

  it('nests groups and refuses self-membership, unknown members and wrong member types', async () => {
    const inner = await call('POST', groups, group('Inner'));
    const outer = await call('POST', groups, group('Outer', { members: [{ value: inner.body['id'], type: 'Group' }] }));
    expect(outer.status).toBe(201);
    expect((outer.body['members'] as JsonObject[])[0]['type']).toBe('Group');
    expectScimError(
      await call('PUT', `${groups}/${String(inner.body['id'])}`, group('Inner', { members: [{ value: inner.body['id'] }] })),
      400,
      'invalidValue',
    );
    expectScimError(await call('POST', groups, group('Ghosts', { members: [{ value: 'nobody' }] })), 400, 'invalidValue');
    expectScimError(
      await call('POST', groups, group('Typed', { members: [{ value: inner.body['id'], type: 'User' }] })),
      400,
      'invalidValue',
    );
    expectScimError(await call('POST', groups, group('NoValue', { members: [{ display: 'x' }] })), 400, 'invalidValue');
  });

  it('keeps displayName unique (409 uniqueness) and required (400 invalidValue)', async () => {
    expect((await call('POST', groups, group('Sales'))).status).toBe(201);
    expectScimError(await call('POST', groups, group('sales')), 409, 'uniqueness');
    expectScimError(await call('POST', groups, { schemas: [GROUP_SCHEMA] }), 400, 'invalidValue');
    expectScimError(
      await call('POST', groups, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], displayName: 'x' }),
      400,
      'invalidSyntax',
    );
  });

  it('drops a deleted user from every group and shows memberships on users', async () => {
    const [a, b] = [await newUser('a'), await newUser('b')];
    const g = await call('POST', groups, group('Team', { members: [{ value: a }, { value: b }] }));
    const gid = g.body['id'] as string;
    const ua = await call('GET', `${emu.baseUrl2}/Users/${a}`);
    expect(ua.body['groups']).toEqual([{ value: gid, $ref: `${groups}/${gid}`, display: 'Team', type: 'direct' }]);
    expect((await call('DELETE', `${emu.baseUrl2}/Users/${a}`)).status).toBe(204);
    const after = await call('GET', `${groups}/${gid}`);
    expect((after.body['members'] as JsonObject[]).map((m) => m['value'])).toEqual([b]);
    expect(after.headers.get('etag')).not.toBe(g.headers.get('etag'));
  });

  it('lists groups with a filter on members.value', async () => {
    const a = await newUser('filtered');
    await call('POST', groups, group('With', { members: [{ value: a }] }));
    await call('POST', groups, group('Without'));
    const res = await call('GET', `${groups}?filter=${encodeURIComponent(`members[value eq "${a}"]`)}`);
    expect((res.body['Resources'] as JsonObject[]).map((r) => r['displayName'])).toEqual(['With']);
    const excluded = await call('GET', `${groups}?excludedAttributes=members`);
    expect((excluded.body['Resources'] as JsonObject[]).every((r) => r['members'] === undefined)).toBe(true);
  });
});
