import { ACME_USER_EXTENSION, startScimEmulator, type JsonObject, type ScimEmulator } from '../../src/scim/index.js';
import { call, expectScimError, group, patch, user, USER_SCHEMA, useScimEmulator } from './scim-http.js';

const acme = ACME_USER_EXTENSION;
const ACME = acme.id;
const ACME_1 = acme.v1Id as string;
const CORE_1 = 'urn:scim:schemas:core:1.0';
const json = { headers: { 'Content-Type': 'application/json', Accept: 'application/json' } };

// What a target holds beyond the basics: every multi-valued attribute of RFC 7643 §4.1.2 and a declared extension.
const fullUser = (userName: string): JsonObject =>
  user(userName, {
    schemas: [USER_SCHEMA, ACME],
    roles: [{ value: 'admin' }],
    entitlements: [{ value: 'sales-cloud', type: 'license' }],
    addresses: [{ type: 'work', locality: 'Leeds', country: 'GB' }],
    phoneNumbers: [{ type: 'mobile', value: '+44 7700 900123' }],
    x509Certificates: [{ value: 'TUlJQ0lqQU5CZ2txaGtpRzl3MEJBUUVG' }],
    [ACME]: { costCenter: 'CC-7', badgeNumber: 42, licenses: [{ value: 'L1', type: 'crm' }] },
  });

describe('SCIM emulator: the full User attribute set and declared extensions', () => {
  let emu: ScimEmulator;

  beforeAll(async () => {
    emu = await startScimEmulator({ userExtensions: [acme] });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.state.reset());

  const create = async (body: JsonObject): Promise<string> => {
    const res = await call('POST', `${emu.baseUrl2}/Users`, body);
    expect(res.status).toBe(201);
    return `${emu.baseUrl2}/Users/${String(res.body['id'])}`;
  };

  it('declares the extension in /Schemas and in the User resource type', async () => {
    const schema = await call('GET', `${emu.baseUrl2}/Schemas/${ACME}`);
    expect(schema.status).toBe(200);
    expect((schema.body['attributes'] as JsonObject[]).map((a) => [a['name'], a['type'], a['multiValued']])).toEqual([
      ['costCenter', 'string', false],
      ['badgeNumber', 'integer', false],
      ['licenses', 'complex', true],
    ]);
    const all = await call('GET', `${emu.baseUrl2}/Schemas`);
    expect((all.body['Resources'] as JsonObject[]).map((s) => s['id'])).toContain(ACME);
    const type = await call('GET', `${emu.baseUrl2}/ResourceTypes/User`);
    expect(type.body['schemaExtensions']).toEqual([
      { schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false },
      { schema: ACME, required: false },
    ]);
  });

  it('stores and returns roles, entitlements, addresses, phone numbers, certificates and extension attributes; filters on them', async () => {
    const url = await create(fullUser('full@example.com'));
    const read = await call('GET', url);
    expect(read.body).toMatchObject({ ...fullUser('full@example.com'), schemas: [USER_SCHEMA, ACME] });
    const byCostCenter = await call('GET', `${emu.baseUrl2}/Users?filter=${encodeURIComponent(`${ACME}:costCenter eq "CC-7"`)}`);
    expect(byCostCenter.body['totalResults']).toBe(1);
    const byCity = await call(
      'GET',
      `${emu.baseUrl2}/Users?filter=${encodeURIComponent('addresses[type eq "work" and locality eq "Leeds"]')}`,
    );
    expect(byCity.body['totalResults']).toBe(1);
  });

  it('refuses what a real service refuses: a wrong type, an unknown extension attribute, an extension missing from schemas', async () => {
    expectScimError(
      await call('POST', `${emu.baseUrl2}/Users`, user('t', { schemas: [USER_SCHEMA, ACME], [ACME]: { badgeNumber: 'x' } })),
      400,
      'invalidValue',
    );
    expectScimError(
      await call('POST', `${emu.baseUrl2}/Users`, user('u', { schemas: [USER_SCHEMA, ACME], [ACME]: { shoeSize: 9 } })),
      400,
      'invalidSyntax',
    );
    expectScimError(await call('POST', `${emu.baseUrl2}/Users`, user('v', { [ACME]: { costCenter: 'x' } })), 400, 'invalidSyntax');
    const other = 'urn:ietf:params:scim:schemas:extension:other:2.0:User';
    expectScimError(
      await call('POST', `${emu.baseUrl2}/Users`, user('w', { schemas: [USER_SCHEMA, other], [other]: { a: 'b' } })),
      400,
      'invalidSyntax',
    );
  });

  it('applies value-filtered PATCH paths (RFC 7644 §3.5.2): add creates the element, replace sets it, remove clears it', async () => {
    const url = await create(user('p@example.com', { addresses: [{ type: 'home', locality: 'York' }] }));
    const step = async (...ops: JsonObject[]) => {
      const res = await call('PATCH', url, patch(...ops));
      expect(res.status).toBe(200);
      return res.body;
    };
    expect((await step({ op: 'add', path: 'addresses[type eq "work"].locality', value: 'Leeds' }))['addresses']).toEqual([
      { type: 'home', locality: 'York' },
      { type: 'work', locality: 'Leeds' },
    ]);
    expect((await step({ op: 'replace', path: 'addresses[type eq "work"].locality', value: 'Hull' }))['addresses']).toEqual([
      { type: 'home', locality: 'York' },
      { type: 'work', locality: 'Hull' },
    ]);
    expect((await step({ op: 'remove', path: 'addresses[type eq "home"]' }))['addresses']).toEqual([{ type: 'work', locality: 'Hull' }]);
    const ext = await step(
      { op: 'add', path: `${ACME}:licenses[type eq "crm"].value`, value: 'L9' },
      { op: 'replace', path: `${ACME}:costCenter`, value: 'CC-8' },
    );
    expect(ext['schemas']).toEqual([USER_SCHEMA, ACME]);
    expect(ext[ACME]).toEqual({ costCenter: 'CC-8', licenses: [{ type: 'crm', value: 'L9' }] });
    expect((await step({ op: 'remove', path: `${ACME}:costCenter` }, { op: 'remove', path: `${ACME}:licenses` }))[ACME]).toBeUndefined();
  });

  it('refuses a value filter on an attribute that is not multi-valued, or a filter it cannot parse, with 400 invalidPath', async () => {
    const url = await create(fullUser('bad@example.com'));
    for (const path of [
      'name[givenName eq "Ada"].familyName',
      `${ACME}:costCenter[value eq "CC-7"]`,
      'addresses[type eq].locality',
      'addresses[type eq "work"].nosuch',
    ]) {
      expectScimError(await call('PATCH', url, patch({ op: 'replace', path, value: 'x' })), 400, 'invalidPath');
    }
    const unchanged = await call('GET', url);
    expect(unchanged.body['addresses']).toEqual([{ type: 'work', locality: 'Leeds', country: 'GB' }]);
  });

  it('lets tests read what it received, passwords masked', async () => {
    await create(user('seen@example.com', { password: 'Secret-123', roles: [{ value: 'admin' }] }));
    const [received] = emu.state.received('POST', '/scim/v2/Users');
    expect(received).toEqual({
      method: 'POST',
      path: '/scim/v2/Users',
      status: 201,
      body: user('seen@example.com', { password: '********', roles: [{ value: 'admin' }] }),
    });
    expect(emu.state.passwordOf('seen@example.com')).toBe('Secret-123');
  });

  it('serves the extension on the SCIM 1.1 endpoint under its 1.1 URN, and clears it with meta.attributes', async () => {
    const users = `${emu.baseUrl11}/Users`;
    const created = await call(
      'POST',
      users,
      { schemas: [CORE_1, ACME_1], userName: 'legacy@example.com', roles: [{ value: 'admin' }], [ACME_1]: { costCenter: 'CC-1' } },
      json,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ schemas: [CORE_1, ACME_1], roles: [{ value: 'admin' }], [ACME_1]: { costCenter: 'CC-1' } });
    expect(emu.state.findUserByUserName('legacy@example.com')?.[ACME]).toEqual({ costCenter: 'CC-1' });
    const url = `${users}/${String(created.body['id'])}`;
    const patched = await call('PATCH', url, { schemas: [CORE_1], meta: { attributes: [`${ACME_1}:costCenter`, 'roles'] } }, json);
    expect(patched.status).toBe(200);
    expect(patched.body[ACME_1]).toBeUndefined();
    expect(patched.body['roles']).toBeUndefined();
  });

  it('clears the 1.1 manager by its 1.1 path "…enterprise:1.0:manager.managerId", leaving no empty manager', async () => {
    const users = `${emu.baseUrl11}/Users`;
    const boss = await call('POST', users, { schemas: [CORE_1], userName: 'boss@example.com' }, json);
    const enterprise = 'urn:scim:schemas:extension:enterprise:1.0';
    const body = { schemas: [CORE_1, enterprise], userName: 'emp@example.com', [enterprise]: { manager: { managerId: boss.body['id'] } } };
    const created = await call('POST', users, body, json);
    const url = `${users}/${String(created.body['id'])}`;
    const patched = await call('PATCH', url, { schemas: [CORE_1], meta: { attributes: [`${enterprise}:manager.managerId`] } }, json);
    expect(patched.status).toBe(200);
    expect(patched.body[enterprise]).toBeUndefined();
  });

  it('has no SCIM 1.1 schema discovery unless asked (like WSO2 IS), and offers it in the 1.1 shape when asked', async () => {
    expect((await call('GET', `${emu.baseUrl11}/Schemas/Users`, undefined, json)).status).toBe(404);
    const v1 = await startScimEmulator({ userExtensions: [acme], v1Schemas: true });
    try {
      const res = await call('GET', `${v1.baseUrl11}/Schemas/Users`, undefined, json);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: `${CORE_1}:User`, name: 'User', schema: CORE_1, endpoint: '/Users' });
      const attributes = res.body['attributes'] as JsonObject[];
      expect(attributes.find((a) => a['name'] === 'addresses')).toMatchObject({ type: 'complex', multiValued: true, schema: CORE_1 });
      expect(attributes.find((a) => a['name'] === 'costCenter' && a['schema'] === ACME_1)).toMatchObject({ type: 'string' });
      const manager = attributes.find((a) => a['name'] === 'manager');
      expect((manager?.['subAttributes'] as JsonObject[]).map((s) => s['name'])).toEqual(['managerId', 'displayName']);
    } finally {
      await v1.close();
    }
  });
});

describe('SCIM emulator without value-filtered PATCH paths on Users (userPatchFilters: false)', () => {
  const scim = useScimEmulator({ userPatchFilters: false });

  it('answers a filtered User path 400 invalidPath, takes the full-value replace, and still filters Group members', async () => {
    const created = await call(
      'POST',
      `${scim.emu.baseUrl2}/Users`,
      user('nf@example.com', { addresses: [{ type: 'work', locality: 'Leeds' }] }),
    );
    const url = `${scim.emu.baseUrl2}/Users/${String(created.body['id'])}`;
    expectScimError(
      await call('PATCH', url, patch({ op: 'add', path: 'addresses[type eq "work"].locality', value: 'Hull' })),
      400,
      'invalidPath',
    );
    const replaced = await call('PATCH', url, patch({ op: 'replace', path: 'addresses', value: [{ type: 'work', locality: 'Hull' }] }));
    expect(replaced.body['addresses']).toEqual([{ type: 'work', locality: 'Hull' }]);
    const g = await call('POST', `${scim.emu.baseUrl2}/Groups`, group('G', { members: [{ value: String(created.body['id']) }] }));
    const removed = await call(
      'PATCH',
      `${scim.emu.baseUrl2}/Groups/${String(g.body['id'])}`,
      patch({ op: 'remove', path: `members[value eq "${String(created.body['id'])}"]` }),
    );
    expect(removed.status).toBe(200);
  });

  it('refuses extension declarations that are not valid schemas', async () => {
    await expect(startScimEmulator({ userExtensions: [{ id: 'acme', attributes: [] }] })).rejects.toThrow(/not a URN/);
    await expect(startScimEmulator({ userExtensions: [{ id: ACME, attributes: [{ name: 'bad name', type: 'string' }] }] })).rejects.toThrow(
      /not a valid attribute name/,
    );
    await expect(
      startScimEmulator({ userExtensions: [{ id: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', attributes: [] }] }),
    ).rejects.toThrow(/already a schema/);
  });
});
