import { startScimEmulator, type JsonObject, type ScimEmulator } from '../../src/scim/index.js';
import { call } from './scim-http.js';

const CORE = 'urn:scim:schemas:core:1.0';
const ENTERPRISE_1 = 'urn:scim:schemas:extension:enterprise:1.0';
const json = { headers: { 'Content-Type': 'application/json', Accept: 'application/json' } };

describe('SCIM 1.1 dialect', () => {
  let emu: ScimEmulator;
  let users: string;
  let groups: string;

  const createUser = async (userName: string, extra: JsonObject = {}): Promise<JsonObject> => {
    const res = await call('POST', users, { schemas: [CORE], userName, ...extra }, json);
    expect(res.status).toBe(201);
    return res.body;
  };
  const expectV1Error = (res: { status: number; body: JsonObject }, status: number): string => {
    expect(res.status).toBe(status);
    const errors = res.body['Errors'] as JsonObject[];
    expect(errors).toHaveLength(1);
    expect(errors[0]['code']).toBe(String(status));
    expect(typeof errors[0]['description']).toBe('string');
    return errors[0]['description'] as string;
  };

  beforeAll(async () => {
    emu = await startScimEmulator();
    users = `${emu.baseUrl11}/Users`;
    groups = `${emu.baseUrl11}/Groups`;
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.state.reset());

  it('creates a 1.1 user: core 1.0 schema, meta without resourceType, application/json', async () => {
    const res = await call(
      'POST',
      users,
      { schemas: [CORE, ENTERPRISE_1], userName: 'bjensen', name: { givenName: 'Barbara' }, [ENTERPRISE_1]: { department: 'Ops' } },
      json,
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('location')).toBe(`${users}/${String(res.body['id'])}`);
    expect(res.body['schemas']).toEqual([CORE, ENTERPRISE_1]);
    expect(res.body[ENTERPRISE_1]).toEqual({ department: 'Ops' });
    const meta = res.body['meta'] as JsonObject;
    expect(meta['resourceType']).toBeUndefined();
    expect(meta['location']).toBe(`${users}/${String(res.body['id'])}`);
    // The same user is visible through SCIM 2.0 in 2.0 form.
    const v2 = await call('GET', `${emu.baseUrl2}/Users/${String(res.body['id'])}`);
    expect(v2.body['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toEqual({ department: 'Ops' });
  });

  it('translates the 1.1 manager "managerId"', async () => {
    const boss = await createUser('boss', { displayName: 'Boss' });
    const res = await createUser('emp', { schemas: [CORE, ENTERPRISE_1], [ENTERPRISE_1]: { manager: { managerId: boss['id'] } } });
    expect(res[ENTERPRISE_1]).toEqual({ manager: { managerId: boss['id'], displayName: 'Boss' } });
  });

  it('answers errors in the 1.1 shape', async () => {
    expect(expectV1Error(await call('POST', users, { schemas: [CORE] }, json), 400)).toContain('userName');
    await createUser('dupe');
    expectV1Error(await call('POST', users, { schemas: [CORE], userName: 'DUPE' }, json), 409);
    expectV1Error(await call('POST', users, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'v2body' }, json), 400);
    expectV1Error(await call('GET', `${users}/nope`), 404);
    expectV1Error(await call('POST', users, undefined, { ...json, raw: '{bad json' }), 400);
  });

  it('lists with the 1.1 envelope, 1.1 filters and paging', async () => {
    for (const n of ['alice', 'bob', 'carol']) await createUser(n, { title: n === 'bob' ? 'Boss' : 'Staff' });
    const res = await call('GET', `${users}?filter=${encodeURIComponent('title eq "staff" and userName sw "c"')}&startIndex=1&count=10`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['Resources', 'itemsPerPage', 'schemas', 'startIndex', 'totalResults']);
    expect(res.body).toMatchObject({ totalResults: 1, itemsPerPage: 1, startIndex: 1, schemas: [CORE] });
    expect((res.body['Resources'] as JsonObject[])[0]).toMatchObject({ userName: 'carol', schemas: [CORE] });
    const paged = await call('GET', `${users}?sortBy=userName&startIndex=2&count=1`);
    expect((paged.body['Resources'] as JsonObject[]).map((r) => r['userName'])).toEqual(['bob']);
    expect(paged.body['totalResults']).toBe(3);
  });

  it('rejects SCIM 2.0-only filter syntax (ne, ew, not, value paths)', async () => {
    for (const f of ['userName ne "x"', 'userName ew "x"', 'not (userName eq "x")', 'emails[type eq "work"]']) {
      expectV1Error(await call('GET', `${users}?filter=${encodeURIComponent(f)}`), 400);
    }
  });

  it('PATCH deletes a member with "operation":"delete" and adds another', async () => {
    const [a, b, c] = [await createUser('a'), await createUser('b'), await createUser('c')];
    const g = await call('POST', groups, { schemas: [CORE], displayName: 'Team', members: [{ value: a['id'] }, { value: b['id'] }] }, json);
    expect(g.status).toBe(201);
    const res = await call(
      'PATCH',
      `${groups}/${String(g.body['id'])}`,
      { schemas: [CORE], members: [{ value: a['id'], display: 'a', operation: 'delete' }, { value: c['id'] }] },
      json,
    );
    expect(res.status).toBe(200);
    expect((res.body['members'] as JsonObject[]).map((m) => m['value'])).toEqual([b['id'], c['id']]);
    expect((res.body['members'] as JsonObject[])[0]['$ref']).toBeUndefined();
  });

  it('PATCH removes attributes listed in meta.attributes, merges complex and replaces simple ones', async () => {
    const u = await createUser('patchy', {
      name: { givenName: 'P', middleName: 'M', familyName: 'F' },
      title: 'Old',
      emails: [
        { value: 'a@x.org', type: 'work' },
        { value: 'b@x.org', type: 'home' },
      ],
    });
    const res = await call(
      'PATCH',
      `${users}/${String(u['id'])}`,
      {
        schemas: [CORE],
        title: 'New',
        name: { givenName: 'Q' },
        emails: [
          { value: 'b@x.org', type: 'home', operation: 'delete' },
          { value: 'c@x.org', type: 'other' },
        ],
        meta: { attributes: ['name.middleName', 'displayName'] },
      },
      json,
    );
    expect(res.status).toBe(200);
    expect(res.body['title']).toBe('New');
    expect(res.body['name']).toEqual({ givenName: 'Q', familyName: 'F' });
    expect(res.body['emails']).toEqual([
      { value: 'a@x.org', type: 'work' },
      { value: 'c@x.org', type: 'other' },
    ]);
    expectV1Error(await call('PATCH', `${users}/${String(u['id'])}`, { schemas: [CORE], active: 'False' }, json), 400);
    expectV1Error(await call('PATCH', `${users}/${String(u['id'])}`, { schemas: [CORE], meta: { attributes: ['nosuch'] } }, json), 400);
  });

  it('tunnels PATCH through POST with X-HTTP-Method-Override', async () => {
    const u = await createUser('tunnel');
    const res = await call(
      'POST',
      `${users}/${String(u['id'])}`,
      { schemas: [CORE], active: false },
      { headers: { ...json.headers, 'X-HTTP-Method-Override': 'PATCH' } },
    );
    expect(res.status).toBe(200);
    expect(res.body['active']).toBe(false);
  });

  it('replaces with PUT and deletes with 200 OK', async () => {
    const u = await createUser('putter', { title: 'T' });
    const url = `${users}/${String(u['id'])}`;
    const put = await call('PUT', url, { schemas: [CORE], userName: 'putter', displayName: 'P' }, json);
    expect(put.status).toBe(200);
    expect(put.body['title']).toBeUndefined();
    expect(
      (await call('PUT', url, { schemas: [CORE], userName: 'putter' }, { headers: { ...json.headers, 'If-Match': 'W/"old"' } })).status,
    ).toBe(412);
    expect((await call('DELETE', url)).status).toBe(200);
    expectV1Error(await call('GET', url), 404);
  });

  it('publishes ServiceProviderConfigs and refuses Bulk', async () => {
    const spc = await call('GET', `${emu.baseUrl11}/ServiceProviderConfigs`);
    expect(spc.body).toMatchObject({ schemas: [CORE], patch: { supported: true }, filter: { supported: true } });
    expectV1Error(await call('POST', `${emu.baseUrl11}/Bulk`, { schemas: [CORE] }, json), 501);
  });
});
