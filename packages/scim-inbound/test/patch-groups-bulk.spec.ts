import { ENTERPRISE, PATCH_SCHEMA, startHarness, USER_SCHEMA, type Harness } from './scim-harness.js';

type Json = Record<string, unknown> & { id: string; meta: { version: string } };

describe('PATCH (RFC 7644 §3.5.2) as Entra ID and Okta send it, Groups, Bulk (§3.7)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  const post = async (path: string, body: Record<string, unknown>) =>
    (await (await h.call(path, { method: 'POST', json: body })).json()) as Json;
  const patch = (path: string, Operations: unknown[], query = '') =>
    h.call(`${path}${query}`, { method: 'PATCH', json: { schemas: [PATCH_SCHEMA], Operations } });
  const get = async (path: string) => (await (await h.call(path)).json()) as Json;

  it('Entra ID user PATCH: "Replace"/"Add" in any case, "False" strings, filtered email paths, enterprise manager by id', async () => {
    const user = await post('/v2/Users', {
      schemas: [USER_SCHEMA],
      userName: 'ryan@contoso.com',
      active: true,
      emails: [{ value: 'ryan@contoso.com', type: 'work', primary: true }],
    });
    // Shapes from Microsoft's "Tutorial: Develop and plan provisioning for a SCIM endpoint" request examples.
    const response = await patch(`/v2/Users/${user.id}`, [
      { op: 'Replace', path: 'active', value: 'False' },
      { op: 'Add', path: 'emails[type eq "work"].value', value: 'ryan.new@contoso.com' },
      { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
      { op: 'replace', path: 'name.givenName', value: 'Ryan' },
      { op: 'Add', path: `${ENTERPRISE}:manager`, value: 'manager-id-1' },
      { op: 'Replace', value: { displayName: 'Ryan Lee', [`${ENTERPRISE}:department`]: 'Sales' } },
    ]);
    // A User PATCH answers 200 with the resource (RFC 7644 §3.5.2; Okta reads it).
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: user.id, active: false, displayName: 'Ryan Lee', name: { givenName: 'Ryan' } });
    const after = await get(`/v2/Users/${user.id}`);
    expect(after).toMatchObject({
      active: false,
      displayName: 'Ryan Lee',
      name: { givenName: 'Ryan' },
      emails: [{ value: 'ryan.new@contoso.com', type: 'work', primary: true }],
      phoneNumbers: [{ type: 'mobile', value: '+1 555 0100' }],
      [ENTERPRISE]: { manager: { value: 'manager-id-1' }, department: 'Sales' },
    });
    expect(after.meta.version).toBe('W/"2"');
  });

  it('Okta user PATCH: replace without path (active:false) answers the resource when attributes are asked for; remove by path', async () => {
    const user = await post('/v2/Users', {
      userName: 'okta@example.com',
      title: 'Dev',
      emails: [
        { value: 'a@x.com', type: 'work' },
        { value: 'b@x.com', type: 'home' },
      ],
    });
    const response = await patch(
      `/v2/Users/${user.id}`,
      [{ op: 'replace', value: { active: false, password: 'N3w-pass' } }],
      '?attributes=active,userName',
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: user.id, active: false, userName: 'okta@example.com' });
    expect((await h.store.getUser(user.id))?.passwordHash).toMatch(/^scrypt/);
    expect(
      (
        await patch(`/v2/Users/${user.id}`, [
          { op: 'remove', path: 'emails[type eq "home"]' },
          { op: 'remove', path: 'title' },
        ])
      ).status,
    ).toBe(200);
    const after = await get(`/v2/Users/${user.id}`);
    expect(after.emails).toEqual([{ value: 'a@x.com', type: 'work' }]);
    expect(after.title).toBeUndefined();
  });

  it('PATCH errors: invalidPath, noTarget, mutability, invalidValue, invalidSyntax — and the resource unchanged', async () => {
    const user = await post('/v2/Users', { userName: 'err@example.com' });
    const cases: [unknown[], string][] = [
      [[{ op: 'replace', path: 'nosuch', value: 1 }], 'invalidPath'],
      [[{ op: 'replace', path: 'emails[type eq', value: 1 }], 'invalidPath'],
      [[{ op: 'remove' }], 'noTarget'],
      [[{ op: 'replace', path: 'emails[type eq "x" or type eq "y"].value', value: 'v' }], 'noTarget'],
      [[{ op: 'replace', path: 'id', value: 'x' }], 'mutability'],
      [[{ op: 'replace', path: 'groups', value: [] }], 'mutability'],
      [[{ op: 'replace', path: 'active', value: 'maybe' }], 'invalidValue'],
      [[{ op: 'jump', path: 'active', value: true }], 'invalidSyntax'],
    ];
    for (const [operations, scimType] of cases) {
      const response = await patch(`/v2/Users/${user.id}`, operations);
      expect([response.status, ((await response.json()) as Json).scimType]).toEqual([400, scimType]);
    }
    expect((await get(`/v2/Users/${user.id}`)).meta.version).toBe('W/"1"');
  });

  it('a User PATCH answers 200 with the resource; attributes=userName limits it, excludedAttributes drops', async () => {
    const user = await post('/v2/Users', { userName: 'limit@example.com', title: 'Engineer', emails: [{ value: 'limit@example.com' }] });
    const limited = await patch(`/v2/Users/${user.id}`, [{ op: 'replace', path: 'title', value: 'Lead' }], '?attributes=userName');
    expect(limited.status).toBe(200);
    const body = (await limited.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['id', 'schemas', 'userName']);
    expect(body).toMatchObject({ id: user.id, userName: 'limit@example.com' });
    expect(limited.headers.get('etag')).toBe('W/"2"');
    const without = await patch(`/v2/Users/${user.id}`, [{ op: 'replace', path: 'title', value: 'Head' }], '?excludedAttributes=emails');
    const rest = (await without.json()) as Record<string, unknown>;
    expect(rest).toMatchObject({ title: 'Head', meta: { version: 'W/"3"' } });
    expect(rest.emails).toBeUndefined();
  });

  it('a membership-only Group PATCH answers 204; a rename answers 200 with the group', async () => {
    const member = await post('/v2/Users', { userName: 'member@example.com' });
    const group = await post('/v2/Groups', { displayName: 'Ops' });
    const added = await patch(`/v2/Groups/${group.id}`, [{ op: 'add', path: 'members', value: [{ value: member.id }] }]);
    expect(added.status).toBe(204);
    expect(await added.text()).toBe('');
    const byValue = await patch(`/v2/Groups/${group.id}`, [{ op: 'add', value: { members: [{ value: member.id }] } }]);
    expect(byValue.status).toBe(204);
    const renamed = await patch(`/v2/Groups/${group.id}`, [{ op: 'replace', path: 'displayName', value: 'Ops EMEA' }]);
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ id: group.id, displayName: 'Ops EMEA' });
  });

  it('a members-only Group PATCH is a delta: If-Match, operations folded in order, values matched ignoring case, the same errors', async () => {
    const [a, b, c] = await Promise.all(['da', 'db', 'dc'].map((userName) => post('/v2/Users', { userName })));
    const group = await post('/v2/Groups', { displayName: 'Delta', members: [{ value: a.id }, { value: b.id }] });
    const members = async () => ((await get(`/v2/Groups/${group.id}`)).members as { value: string }[]).map((m) => m.value);
    const patchIf = (ifMatch: string, Operations: unknown[]) =>
      h.call(`/v2/Groups/${group.id}`, {
        method: 'PATCH',
        headers: { 'if-match': ifMatch },
        json: { schemas: [PATCH_SCHEMA], Operations },
      });
    expect((await patchIf('W/"7"', [{ op: 'add', path: 'members', value: [{ value: c.id }] }])).status).toBe(412);
    const added = await patchIf('W/"1"', [{ op: 'add', path: 'members', value: [{ value: c.id }] }]);
    expect([added.status, added.headers.get('etag')]).toEqual([204, 'W/"2"']);
    expect(await members()).toEqual([a.id, b.id, c.id]);
    // The last operation of a value decides: c out and back in stays, b in and then out goes, a's filter in another case matches.
    const folded = await patch(`/v2/Groups/${group.id}`, [
      { op: 'remove', path: 'members', value: [{ value: c.id }] },
      { op: 'add', path: 'members', value: [{ value: c.id }] },
      { op: 'add', value: { members: [{ value: b.id }] } },
      { op: 'remove', path: `members[value eq "${b.id}"]` },
      { op: 'Remove', path: `members[value eq "${a.id.toUpperCase()}"]` },
    ]);
    expect(folded.status).toBe(204);
    expect(await members()).toEqual([c.id]);
    const unknownByDelta = await patch(`/v2/Groups/${group.id}`, [{ op: 'add', path: 'members', value: [{ value: 'no-such-user' }] }]);
    const unknownWhole = await patch(`/v2/Groups/${group.id}`, [
      { op: 'add', path: 'members', value: [{ value: 'no-such-user' }] },
      { op: 'replace', path: 'displayName', value: 'Delta' },
    ]);
    expect(unknownByDelta.status).toBe(400);
    expect(await unknownByDelta.json()).toEqual(await unknownWhole.json());
    expect((await get(`/v2/Groups/${group.id}`)).meta.version).toBe('W/"3"');
  });

  it('PATCH without If-Match retries a concurrent change instead of answering 412', async () => {
    const user = await post('/v2/Users', { userName: 'race@example.com' });
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        patch(`/v2/Users/${user.id}`, [{ op: 'add', path: 'emails', value: [{ value: `e${i}@x.com` }] }]),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(((await get(`/v2/Users/${user.id}`)).emails as unknown[]).length).toBe(8);
  });

  it('Groups: members added and removed as Entra ID and Okta send them; group displayName unique; deleting a user leaves its groups', async () => {
    const a = await post('/v2/Users', { userName: 'a' });
    const b = await post('/v2/Users', { userName: 'b' });
    const group = await post('/v2/Groups', { displayName: 'Sales', members: [{ value: a.id }] });
    expect(group.members).toEqual([expect.objectContaining({ value: a.id, type: 'User' })]);
    expect((await h.call('/v2/Groups', { method: 'POST', json: { displayName: 'Sales' } })).status).toBe(409);
    // Entra ID: add with a value array, remove with a value array.
    expect((await patch(`/v2/Groups/${group.id}`, [{ op: 'Add', path: 'members', value: [{ value: b.id }] }])).status).toBe(204);
    expect(((await get(`/v2/Groups/${group.id}`)).members as unknown[]).length).toBe(2);
    expect((await patch(`/v2/Groups/${group.id}`, [{ op: 'Remove', path: 'members', value: [{ value: a.id }] }])).status).toBe(204);
    // Okta: remove by value filter, rename by replace without path.
    expect(
      (
        await patch(`/v2/Groups/${group.id}`, [
          { op: 'remove', path: `members[value eq "${b.id}"]` },
          { op: 'replace', value: { id: group.id, displayName: 'Sales EMEA' } },
        ])
      ).status,
    ).toBe(200); // not membership-only (a rename): the group is answered
    const after = await get(`/v2/Groups/${group.id}?excludedAttributes=members`);
    expect(after).toMatchObject({ displayName: 'Sales EMEA' });
    expect(after.members).toBeUndefined();
    expect((await patch(`/v2/Groups/${group.id}`, [{ op: 'add', path: 'members', value: [{ value: 'no-such-user' }] }])).status).toBe(400);
    await patch(`/v2/Groups/${group.id}`, [{ op: 'add', path: 'members', value: [{ value: a.id }] }]);
    const userView = await get(`/v2/Users/${a.id}`);
    expect(userView.groups).toEqual([expect.objectContaining({ value: group.id, display: 'Sales EMEA' })]);
    const byMember = (await (await h.call(`/v2/Groups?filter=${encodeURIComponent(`members[value eq "${a.id}"]`)}`)).json()) as {
      totalResults: number;
    };
    expect(byMember.totalResults).toBe(1);
    expect((await h.call(`/v2/Users/${a.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await get(`/v2/Groups/${group.id}`)).members).toEqual([]);
  });

  it('Bulk: bulkId references (also forward ones), failOnErrors, maxOperations enforced (413)', async () => {
    const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}) =>
      h.call('/v2/Bulk', {
        method: 'POST',
        json: { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations, ...extra },
      });
    const response = await bulk([
      { method: 'POST', path: '/Groups', bulkId: 'g', data: { displayName: 'Bulk group', members: [{ value: 'bulkId:u1' }] } },
      { method: 'POST', path: '/Users', bulkId: 'u1', data: { userName: 'bulk1' } },
      { method: 'PATCH', path: '/Users/bulkId:u1', data: { Operations: [{ op: 'replace', path: 'title', value: 'Lead' }] } },
      { method: 'POST', path: '/Users', bulkId: 'dup', data: { userName: 'BULK1' } },
    ]);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      Operations: { status: string; bulkId?: string; location?: string; response?: { scimType?: string } }[];
    };
    expect(body.Operations.map((o) => o.status)).toEqual(['201', '201', '200', '409']);
    const groupId = body.Operations.find((o) => o.bulkId === 'g')
      ?.location?.split('/')
      .pop() as string;
    const group = await get(`/v2/Groups/${groupId}`);
    expect((group.members as { value: string }[])[0].value).toBe(
      body.Operations.find((o) => o.bulkId === 'u1')
        ?.location?.split('/')
        .pop(),
    );
    const stopped = (await (
      await bulk(
        [
          { method: 'POST', path: '/Users', bulkId: 'x', data: {} },
          { method: 'POST', path: '/Users', bulkId: 'y', data: { userName: 'never' } },
        ],
        { failOnErrors: 1 },
      )
    ).json()) as { Operations: unknown[] };
    expect(stopped.Operations).toHaveLength(1);
    expect(
      ((await h.call('/v2/Users?filter=userName%20eq%20%22never%22').then((r) => r.json())) as { totalResults: number }).totalResults,
    ).toBe(0);
    const tooMany = await bulk(Array.from({ length: 1001 }, (_, i) => ({ method: 'DELETE', path: `/Users/${i}` })));
    expect(tooMany.status).toBe(413);
  });

  it('SCIM 1.1: the reference docs’ curl creates a user (plain-string emails, entitlements kept); 1.1 errors and lists', async () => {
    // The curl of the reference docs (WSO2 outbound provisioning guide), posted as is.
    const curl = {
      schemas: ['urn:scim:schemas:core:1.0'],
      userName: 'kim@wso2.com',
      password: 'test123',
      name: { familyName: 'paul' },
      emails: ['kim@wso2.com'],
      entitlements: [{ value: '00e2x000001AT3y', display: 'ChatterFreeUser' }],
    };
    const created = await h.call('/v1/Users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(curl),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as Json;
    expect(body).toMatchObject({
      schemas: ['urn:scim:schemas:core:1.0'],
      userName: 'kim@wso2.com',
      emails: [{ value: 'kim@wso2.com' }],
      entitlements: [{ value: '00e2x000001AT3y', display: 'ChatterFreeUser' }],
    });
    expect(JSON.stringify(body)).not.toContain('test123');
    const v2 = await get(`/v2/Users/${body.id}`);
    expect(v2.entitlements).toEqual([{ value: '00e2x000001AT3y', display: 'ChatterFreeUser' }]);
    const clash = await h.call('/v1/Users', { method: 'POST', json: curl });
    expect([clash.status, await clash.json()]).toEqual([
      409,
      { Errors: [{ description: expect.stringContaining('kim@wso2.com'), code: '409' }] },
    ]);
    const list = (await (await h.call('/v1/Users?filter=userName%20eq%20%22kim@wso2.com%22')).json()) as Record<string, unknown>;
    expect(list).toMatchObject({ schemas: ['urn:scim:schemas:core:1.0'], totalResults: 1 });
    const patched = await h.call(`/v1/Users/${body.id}`, {
      method: 'PATCH',
      json: {
        schemas: ['urn:scim:schemas:core:1.0'],
        emails: [{ value: 'kim@wso2.com', operation: 'delete' }, { value: 'kim2@wso2.com' }],
        meta: { attributes: ['entitlements'] },
      },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ emails: [{ value: 'kim2@wso2.com' }] });
    expect((await get(`/v2/Users/${body.id}`)).entitlements).toBeUndefined();
    const group = await h.call('/v1/Groups', {
      method: 'POST',
      json: { schemas: ['urn:scim:schemas:core:1.0'], displayName: 'Eng', members: [{ value: body.id }] },
    });
    expect(group.status).toBe(201);
    expect((await h.call(`/v1/Users/${body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await (await h.call('/v1/Users/nope')).json()).toEqual({ Errors: [{ description: 'User nope not found', code: '404' }] });
  });
});
