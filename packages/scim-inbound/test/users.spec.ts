import { ENTERPRISE, ERROR_SCHEMA, startHarness, USER_SCHEMA, READER, type Harness } from './scim-harness.js';

type Json = Record<string, unknown> & { id: string; meta: { version: string; location: string } };

describe('SCIM 2.0 Users over HTTP (RFC 7644 §3.3, §3.4.1, §3.5.1, §3.6, §3.14)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  const create = async (body: Record<string, unknown>) => {
    const response = await h.call('/v2/Users', { method: 'POST', json: { schemas: [USER_SCHEMA], ...body } });
    return { response, body: (await response.json()) as Json };
  };

  it('§3.3 creates with 201, Location, ETag, meta; never returns the password; Entra "True" strings coerced', async () => {
    const { response, body } = await create({
      userName: 'Ada@Example.com',
      password: 's3cret!',
      active: 'True',
      emails: [{ Value: 'ada@example.com', Primary: 'true', type: 'work' }],
      [ENTERPRISE]: { department: 'R&D' },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toContain('application/scim+json');
    expect(response.headers.get('location')).toBe(body.meta.location);
    expect(body.meta.location).toMatch(new RegExp(`/scim/v2/Users/${body.id}$`));
    expect(response.headers.get('etag')).toBe('W/"1"');
    expect(body).toMatchObject({
      userName: 'Ada@Example.com',
      active: true,
      emails: [{ value: 'ada@example.com', primary: true, type: 'work' }],
      [ENTERPRISE]: { department: 'R&D' },
      schemas: [USER_SCHEMA, ENTERPRISE],
    });
    expect(JSON.stringify(body)).not.toContain('s3cret');
    expect(JSON.stringify(await (await h.call(`/v2/Users/${body.id}`)).json())).not.toContain('password');
    expect((await h.store.getUser(body.id))?.passwordHash).toMatch(/^scrypt\$/);
  });

  it('§3.3 answers 409 uniqueness for a userName taken in another case, 400 invalidValue without userName', async () => {
    await create({ userName: 'bob' });
    const clash = await create({ userName: 'BOB' });
    expect(clash.response.status).toBe(409);
    expect(clash.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '409', scimType: 'uniqueness' });
    const missing = await create({ displayName: 'x' });
    expect(missing.response.status).toBe(400);
    expect(missing.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
  });

  it('§3.12 malformed JSON is 400 invalidSyntax, a wrong content type 415, an oversized body 413, an unknown id 404', async () => {
    const bad = await h.call('/v2/Users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userName": tre' });
    expect([bad.status, ((await bad.json()) as Json).scimType]).toEqual([400, 'invalidSyntax']);
    expect((await h.call('/v2/Users', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    const big = await h.call('/v2/Users', { method: 'POST', json: { userName: 'x', title: 'y'.repeat(100_000) } });
    expect(big.status).toBe(413);
    expect(((await big.json()) as Json).schemas).toEqual([ERROR_SCHEMA]);
    const missing = await h.call('/v2/Users/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ schemas: [ERROR_SCHEMA], status: '404' });
  });

  it('§3.14 ETags: If-None-Match → 304, stale If-Match → 412 on PUT, PATCH and DELETE', async () => {
    const { body } = await create({ userName: 'carol' });
    expect((await h.call(`/v2/Users/${body.id}`, { headers: { 'if-none-match': 'W/"1"' } })).status).toBe(304);
    const put = await h.call(`/v2/Users/${body.id}`, {
      method: 'PUT',
      headers: { 'if-match': 'W/"1"' },
      json: { userName: 'carol', title: 'Boss' },
    });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toBe('W/"2"');
    const stale = await h.call(`/v2/Users/${body.id}`, { method: 'PUT', headers: { 'if-match': 'W/"1"' }, json: { userName: 'carol' } });
    expect(stale.status).toBe(412);
    expect(
      (
        await h.call(`/v2/Users/${body.id}`, {
          method: 'PATCH',
          headers: { 'if-match': 'W/"1"' },
          json: { Operations: [{ op: 'replace', path: 'title', value: 'x' }] },
        })
      ).status,
    ).toBe(412);
    expect((await h.call(`/v2/Users/${body.id}`, { method: 'DELETE', headers: { 'if-match': 'W/"7"' } })).status).toBe(412);
    expect((await h.call(`/v2/Users/${body.id}`, { method: 'DELETE', headers: { 'if-match': 'W/"2"' } })).status).toBe(204);
    expect((await h.call(`/v2/Users/${body.id}`)).status).toBe(404);
  });

  it('§3.4.2 filters, sorts and pages in the store with correct totalResults; attributes and excludedAttributes', async () => {
    for (const [i, name] of ['dora', 'ed', 'fay', 'gus', 'hal'].entries())
      await create({
        userName: name,
        displayName: `Person ${i}`,
        active: i % 2 === 0,
        emails: [{ value: `${name}@example.com`, type: i < 2 ? 'work' : 'home' }],
      });
    const list = async (query: string) =>
      (await (await h.call(`/v2/Users?${query}`)).json()) as {
        totalResults: number;
        itemsPerPage: number;
        startIndex: number;
        Resources: Json[];
      };
    expect((await list(`filter=${encodeURIComponent('userName eq "FAY"')}`)).Resources.map((r) => r.userName)).toEqual(['fay']);
    expect(
      (await list(`filter=${encodeURIComponent('emails[type eq "work"] or (active eq true and not (userName sw "h"))')}`)).Resources.map(
        (r) => r.userName,
      ),
    ).toEqual(['dora', 'ed', 'fay']);
    const page = await list('sortBy=userName&sortOrder=descending&startIndex=2&count=2');
    expect(page).toMatchObject({ totalResults: 5, itemsPerPage: 2, startIndex: 2 });
    expect(page.Resources.map((r) => r.userName)).toEqual(['gus', 'fay']);
    const projected = await list('attributes=userName&count=1');
    expect(Object.keys(projected.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
    const excluded = await list('excludedAttributes=emails,meta&count=1');
    expect(excluded.Resources[0].emails).toBeUndefined();
    expect(excluded.Resources[0].userName).toBe('dora');
    const bad = await h.call(`/v2/Users?filter=${encodeURIComponent('userName eq')}`);
    expect([bad.status, ((await bad.json()) as Json).scimType]).toEqual([400, 'invalidFilter']);
    const search = await h.call('/v2/Users/.search', {
      method: 'POST',
      json: { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'displayName co "3"', attributes: ['userName'] },
    });
    expect(((await search.json()) as { Resources: Json[] }).Resources).toEqual([expect.objectContaining({ userName: 'gus' })]);
    const root = await h.call('/v2/.search', {
      method: 'POST',
      json: { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName sw "e"' },
    });
    expect(((await root.json()) as { totalResults: number }).totalResults).toBe(1);
  });

  it('auth: 401 with WWW-Authenticate, read-only tokens may GET and search but not write (403)', async () => {
    const anonymous = await h.call('/v2/Users', { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
    expect(await anonymous.json()).toMatchObject({ schemas: [ERROR_SCHEMA], status: '401' });
    expect((await h.call('/v2/Users', { token: READER })).status).toBe(200);
    expect((await h.call('/v2/Users/.search', { method: 'POST', token: READER, json: {} })).status).toBe(200);
    expect((await h.call('/v2/Users', { method: 'POST', token: READER, json: { userName: 'x' } })).status).toBe(403);
  });

  it('§4 discovery: ServiceProviderConfig, ResourceTypes and Schemas; /Me is 501', async () => {
    const spc = (await (await h.call('/v2/ServiceProviderConfig')).json()) as Record<
      string,
      { supported: boolean; maxOperations?: number }
    >;
    expect([
      spc.patch.supported,
      spc.filter.supported,
      spc.etag.supported,
      spc.sort.supported,
      spc.bulk.supported,
      spc.bulk.maxOperations,
    ]).toEqual([true, true, true, true, true, 1000]);
    const types = (await (await h.call('/v2/ResourceTypes')).json()) as { Resources: { endpoint: string }[] };
    expect(types.Resources.map((t) => t.endpoint)).toEqual(['/Users', '/Groups']);
    const schemas = await (await h.call('/v2/Schemas')).text();
    expect(schemas).toContain('User Account');
    expect(schemas).toContain(ENTERPRISE);
    expect((await h.call(`/v2/Schemas/${USER_SCHEMA}`)).status).toBe(200);
    expect((await h.call('/v2/Me')).status).toBe(501);
  });
});
