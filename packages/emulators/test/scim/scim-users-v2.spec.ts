import { startScimEmulator, type JsonObject, type ScimEmulator } from '../../src/scim/index.js';
import { call, ENTERPRISE, expectScimError, user, USER_SCHEMA } from './scim-http.js';

describe('SCIM 2.0 Users', () => {
  let emu: ScimEmulator;
  let users: string;

  beforeAll(async () => {
    emu = await startScimEmulator({ immutableUserAttributes: ['externalId'] });
    users = `${emu.baseUrl2}/Users`;
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.state.reset());

  it('creates a user: 201, Location, ETag, meta, scim+json, password never returned', async () => {
    const res = await call('POST', users, user('bjensen', { name: { givenName: 'Barbara' }, password: 'S3cret!', active: true }));
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/scim+json');
    const id = res.body['id'] as string;
    expect(res.headers.get('location')).toBe(`${users}/${id}`);
    const meta = res.body['meta'] as JsonObject;
    expect(meta).toMatchObject({ resourceType: 'User', location: `${users}/${id}` });
    expect(meta['version']).toMatch(/^W\/".+"$/);
    expect(res.headers.get('etag')).toBe(meta['version']);
    expect(res.body['password']).toBeUndefined();
    expect(res.body['schemas']).toEqual([USER_SCHEMA]);
    expect(emu.state.passwordOf('BJENSEN')).toBe('S3cret!');
    const got = await call('GET', `${users}/${id}`);
    expect(got.status).toBe(200);
    expect(got.body['name']).toEqual({ givenName: 'Barbara' });
  });

  it('canonicalizes attribute names case-insensitively and ignores readOnly id/meta', async () => {
    const res = await call('POST', users, {
      schemas: [USER_SCHEMA],
      UserName: 'casey',
      NAME: { GivenName: 'C' },
      id: 'mine',
      meta: { version: 'x' },
    });
    expect(res.status).toBe(201);
    expect(res.body['userName']).toBe('casey');
    expect(res.body['name']).toEqual({ givenName: 'C' });
    expect(res.body['id']).not.toBe('mine');
  });

  it('enforces userName uniqueness case-insensitively with 409 uniqueness', async () => {
    expect((await call('POST', users, user('alice'))).status).toBe(201);
    expectScimError(await call('POST', users, user('ALICE')), 409, 'uniqueness');
  });

  it('rejects invalid bodies with the right scimType and never 500', async () => {
    expectScimError(await call('POST', users, { schemas: [USER_SCHEMA], displayName: 'no username' }), 400, 'invalidValue');
    expectScimError(await call('POST', users, undefined, { raw: '{"schemas": [' }), 400, 'invalidSyntax');
    expectScimError(await call('POST', users, { userName: 'noschemas' }), 400, 'invalidSyntax');
    expectScimError(await call('POST', users, user('x', { favouriteColour: 'blue' })), 400, 'invalidSyntax');
    expectScimError(await call('POST', users, user('x', { active: 'true' })), 400, 'invalidValue');
    expectScimError(await call('POST', users, user('x', { emails: { value: 'a@b.c' } })), 400, 'invalidValue');
    expectScimError(
      await call(
        'POST',
        users,
        user('x', {
          emails: [
            { value: 'a@b.c', primary: true },
            { value: 'd@e.f', primary: true },
          ],
        }),
      ),
      400,
      'invalidValue',
    );
    expectScimError(await call('POST', users, ['not', 'an', 'object']), 400, 'invalidSyntax');
    expectScimError(await call('POST', users, user('x', { [ENTERPRISE]: { department: 'R&D' } })), 400, 'invalidSyntax');
    expect(emu.state.users()).toHaveLength(0);
  });

  it('accepts application/json and refuses other media types with 415', async () => {
    const json = await call('POST', users, user('jsonclient'), { headers: { 'Content-Type': 'application/json' } });
    expect(json.status).toBe(201);
    const text = await call('POST', users, undefined, {
      raw: JSON.stringify(user('textclient')),
      headers: { 'Content-Type': 'text/plain' },
    });
    expectScimError(text, 415);
  });

  it('stores and returns the enterprise extension', async () => {
    const mgr = await call('POST', users, user('boss', { displayName: 'The Boss' }));
    const res = await call('POST', users, {
      schemas: [USER_SCHEMA, ENTERPRISE],
      userName: 'worker',
      [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: mgr.body['id'] } },
    });
    expect(res.status).toBe(201);
    expect(res.body['schemas']).toEqual([USER_SCHEMA, ENTERPRISE]);
    expect(res.body[ENTERPRISE]).toEqual({
      employeeNumber: '701984',
      department: 'Tour Operations',
      manager: { value: mgr.body['id'], $ref: `${users}/${String(mgr.body['id'])}`, displayName: 'The Boss' },
    });
  });

  it('answers 404 with an error body for an unknown id', async () => {
    expectScimError(await call('GET', `${users}/does-not-exist`), 404);
    expectScimError(await call('DELETE', `${users}/does-not-exist`), 404);
    expectScimError(await call('GET', `${emu.baseUrl2}/Nope`), 404);
  });

  it('replaces with PUT: readOnly ignored, password kept, omitted attributes cleared', async () => {
    const created = await call('POST', users, user('putme', { title: 'Dev', password: 'pw1' }));
    const id = created.body['id'] as string;
    const put = await call(
      'PUT',
      `${users}/${id}`,
      user('putme', { id: 'other', displayName: 'Put Me', meta: { created: '2000-01-01T00:00:00Z' } }),
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id, displayName: 'Put Me' });
    expect(put.body['title']).toBeUndefined();
    expect((put.body['meta'] as JsonObject)['created']).toBe((created.body['meta'] as JsonObject)['created']);
    expect(emu.state.passwordOf('putme')).toBe('pw1');
    expectScimError(await call('PUT', `${users}/${id}`, { schemas: [USER_SCHEMA], displayName: 'x' }), 400, 'invalidValue');
  });

  it('honours immutable attributes on PUT (option immutableUserAttributes)', async () => {
    const created = await call('POST', users, user('imm', { externalId: 'ext-1' }));
    const url = `${users}/${String(created.body['id'])}`;
    expectScimError(await call('PUT', url, user('imm', { externalId: 'ext-2' })), 400, 'mutability');
    expect((await call('PUT', url, user('imm', { externalId: 'ext-1', title: 'ok' }))).status).toBe(200);
  });

  it('uses ETags: If-Match mismatch → 412, match → 200, If-None-Match → 304, version changes on write', async () => {
    const created = await call('POST', users, user('etag'));
    const url = `${users}/${String(created.body['id'])}`;
    const v1 = created.headers.get('etag')!;
    expectScimError(await call('PUT', url, user('etag', { title: 'x' }), { headers: { 'If-Match': 'W/"stale"' } }), 412);
    const ok = await call('PUT', url, user('etag', { title: 'x' }), { headers: { 'If-Match': v1 } });
    expect(ok.status).toBe(200);
    const v2 = ok.headers.get('etag')!;
    expect(v2).not.toBe(v1);
    expect((await call('GET', url, undefined, { headers: { 'If-None-Match': v2 } })).status).toBe(304);
    expect((await call('GET', url, undefined, { headers: { 'If-None-Match': v1 } })).status).toBe(200);
    expectScimError(await call('DELETE', url, undefined, { headers: { 'If-Match': v1 } }), 412);
    expect((await call('PUT', url, user('etag', { title: 'x' }), { headers: { 'If-Match': v2 } })).headers.get('etag')).toBe(v2);
  });

  it('deletes with 204 and the user is gone', async () => {
    const created = await call('POST', users, user('gone'));
    const url = `${users}/${String(created.body['id'])}`;
    const del = await call('DELETE', url);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expectScimError(await call('GET', url), 404);
  });

  it('projects with attributes and excludedAttributes (id and schemas always returned)', async () => {
    const created = await call(
      'POST',
      users,
      user('proj', { name: { givenName: 'P', familyName: 'Q' }, emails: [{ value: 'p@x.org', type: 'work' }], title: 'T' }),
    );
    const url = `${users}/${String(created.body['id'])}`;
    const only = await call('GET', `${url}?attributes=name.familyName,emails.value`);
    expect(only.body).toEqual({
      schemas: [USER_SCHEMA],
      id: created.body['id'],
      name: { familyName: 'Q' },
      emails: [{ value: 'p@x.org' }],
    });
    const without = await call('GET', `${url}?excludedAttributes=title,meta,id`);
    expect(without.body['title']).toBeUndefined();
    expect(without.body['meta']).toBeUndefined();
    expect(without.body['id']).toBe(created.body['id']);
    const listed = await call('GET', `${users}?attributes=userName`);
    expect(listed.body['Resources']).toEqual([{ schemas: [USER_SCHEMA], id: created.body['id'], userName: 'proj' }]);
  });

  it('answers 405 for methods an endpoint does not support', async () => {
    expectScimError(await call('DELETE', users), 405);
  });
});

describe('SCIM 2.0 discovery', () => {
  let emu: ScimEmulator;
  beforeAll(async () => {
    emu = await startScimEmulator({ bulk: { supported: true, maxOperations: 7, maxPayloadSize: 5000 }, patch: false, maxResults: 50 });
  });
  afterAll(() => emu.close());

  it('ServiceProviderConfig advertises what the options say', async () => {
    const spc = await call('GET', `${emu.baseUrl2}/ServiceProviderConfig`);
    expect(spc.status).toBe(200);
    expect(spc.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: false },
      bulk: { supported: true, maxOperations: 7, maxPayloadSize: 5000 },
      filter: { supported: true, maxResults: 50 },
      sort: { supported: true },
      etag: { supported: true },
      changePassword: { supported: false },
    });
  });

  it('lists ResourceTypes and Schemas and fetches them by id', async () => {
    const types = await call('GET', `${emu.baseUrl2}/ResourceTypes`);
    expect((types.body['Resources'] as JsonObject[]).map((r) => r['id'])).toEqual(['User', 'Group']);
    const userType = await call('GET', `${emu.baseUrl2}/ResourceTypes/User`);
    expect(userType.body).toMatchObject({
      endpoint: '/Users',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE, required: false }],
    });
    const schemas = await call('GET', `${emu.baseUrl2}/Schemas`);
    expect(schemas.body['totalResults']).toBe(3);
    const userSchema = await call('GET', `${emu.baseUrl2}/Schemas/${USER_SCHEMA}`);
    const userName = (userSchema.body['attributes'] as JsonObject[]).find((a) => a['name'] === 'userName');
    expect(userName).toMatchObject({ required: true, caseExact: false, uniqueness: 'server' });
    expectScimError(await call('GET', `${emu.baseUrl2}/Schemas/urn:nope`), 404);
  });
});
