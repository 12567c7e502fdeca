// The full SCIM attribute set outbound (issue 18): what the SCIM emulator receives from the connectors
// for roles, entitlements, a value-filtered address, certificates and an extension attribute, and the
// PATCH diff when they change, through the connector's public API.
import {
  compileMapping,
  isPermanentError,
  type MappedAttributes,
  type MappingRuleSpec,
  type ScimUser,
  type UserUpdate,
} from '@provisio/core';
import { ACME_USER_EXTENSION, type JsonObject } from '@provisio/emulators';
import { sampleUser, scimFixture, userById, type FixtureOptions, type ScimFixture, type ScimType } from './scim-test-support.js';

const acme = ACME_USER_EXTENSION;
const ACME = acme.id;
const ACME_1 = acme.v1Id as string;
const ENTERPRISE_1 = 'urn:scim:schemas:extension:enterprise:1.0';
const ENTERPRISE_2 = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CERT = 'TUlJQ0lqQU5CZ2txaGtpRzl3MEJBUUVG';

let fixture: ScimFixture | undefined;
afterEach(async () => {
  await fixture?.connector.close();
  await fixture?.teardown();
  fixture = undefined;
});
const start = async (options: FixtureOptions) => (fixture = await scimFixture(options));

/** The bodies the emulator received for requests to this path, in order. */
const received = (f: ScimFixture, method: string, path: string): JsonObject[] =>
  f.emulator.state
    .received(method)
    .filter((r) => r.path === path)
    .map((r) => r.body as JsonObject);

describe.each([
  ['scim2', ACME, '/scim/v2'],
  ['scim11', ACME_1, '/scim/v1'],
] as const)('%s: the full attribute set outbound', (type: ScimType, extension, base) => {
  const work = 'addresses[type eq "work"]';
  const mapped = (n: number): MappedAttributes => ({
    ...sampleUser(n).attributes,
    roles: 'admin',
    entitlements: 'sales-cloud',
    [`${work}.locality`]: 'Leeds',
    [`${work}.country`]: 'GB',
    'phoneNumbers[type eq "mobile"].value': '+44 7700 900123',
    x509Certificates: CERT,
    [`${extension}:costCenter`]: 'CC-7',
    [`${extension}:badgeNumber`]: '42',
  });
  // SCIM 1.1 services publish their schema only when they have discovery: this one does.
  const options: FixtureOptions = { type, emulator: { userExtensions: [acme], v1Schemas: true } };

  it('sends roles, entitlements, the work address, certificates and the extension nested in the POST, and reads them back', async () => {
    const f = await start(options);
    const payload = { ...sampleUser(1), attributes: mapped(1) };
    const ref = await f.connector.createUser(payload);
    const [post] = received(f, 'POST', `${base}/Users`);
    expect(post).toMatchObject({
      schemas: [type === 'scim2' ? 'urn:ietf:params:scim:schemas:core:2.0:User' : 'urn:scim:schemas:core:1.0', extension],
      roles: [{ value: 'admin' }],
      entitlements: [{ value: 'sales-cloud' }],
      addresses: [{ type: 'work', locality: 'Leeds', country: 'GB' }],
      phoneNumbers: [{ type: 'mobile', value: '+44 7700 900123' }],
      x509Certificates: [{ value: CERT }],
      [extension]: { costCenter: 'CC-7', badgeNumber: 42 },
    });
    expect(userById(f.emulator, ref.remoteId)).toMatchObject({
      roles: [{ value: 'admin' }],
      addresses: [{ type: 'work', locality: 'Leeds', country: 'GB' }],
      [ACME]: { costCenter: 'CC-7', badgeNumber: 42 },
    });
    // The read side (import, reconcile) maps the same paths back: nothing drifts.
    const read = await f.connector.getUser(ref.remoteId, { attributes: Object.keys(payload.attributes) });
    expect(read?.attributes).toEqual({ ...payload.attributes, [`${extension}:badgeNumber`]: 42 });
  });

  it('sends a PATCH diff when they change, and the target then holds the new values', async () => {
    const f = await start(options);
    const payload = { ...sampleUser(2), attributes: mapped(2) };
    const ref = await f.connector.createUser(payload);
    const changed = { [`${work}.locality`]: 'Hull', [`${extension}:costCenter`]: 'CC-8', roles: null };
    const { roles: _roles, ...attributes } = { ...payload.attributes, ...changed };
    // No accountName: the update renames nothing, so only the diff goes out.
    await f.connector.updateUser({ ...payload, accountName: undefined, remoteId: ref.remoteId, attributes, changed });
    const [patch] = received(f, 'PATCH', `${base}/Users/${ref.remoteId}`);
    if (type === 'scim2') {
      expect(patch).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          { op: 'replace', path: `${work}.locality`, value: 'Hull' },
          { op: 'replace', path: `${ACME}:costCenter`, value: 'CC-8' },
          { op: 'remove', path: 'roles' },
        ],
      });
    } else {
      // SCIM 1.1: a partial resource; the multi-valued attributes cleared by meta.attributes and the address sent whole.
      expect(patch).toEqual({
        schemas: ['urn:scim:schemas:core:1.0', ACME_1],
        addresses: [{ type: 'work', locality: 'Hull', country: 'GB' }],
        [ACME_1]: { costCenter: 'CC-8' },
        meta: { attributes: ['addresses', 'roles'] },
      });
    }
    const stored = userById(f.emulator, ref.remoteId);
    expect(stored).toMatchObject({ addresses: [{ type: 'work', locality: 'Hull', country: 'GB' }], [ACME]: { costCenter: 'CC-8' } });
    expect(stored?.['roles']).toBeUndefined();
    const read = await f.connector.getUser(ref.remoteId, { attributes: Object.keys(attributes) });
    expect(read?.attributes).toEqual({ ...attributes, [`${extension}:badgeNumber`]: 42 });
  });

  it('adds the value a replace missed (400 noTarget: someone removed it on the target), in a second PATCH', async () => {
    const f = await start(options);
    const payload = { ...sampleUser(7), accountName: undefined, attributes: mapped(7) };
    const ref = await f.connector.createUser(payload);
    // Someone else removes the work address on the target.
    const url = `${type === 'scim2' ? f.emulator.baseUrl2 : f.emulator.baseUrl11}/Users/${ref.remoteId}`;
    const removal =
      type === 'scim2'
        ? { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'remove', path: 'addresses' }] }
        : { schemas: ['urn:scim:schemas:core:1.0'], meta: { attributes: ['addresses'] } };
    const headers = { 'Content-Type': 'application/json' };
    expect((await fetch(url, { method: 'PATCH', headers, body: JSON.stringify(removal) })).status).toBe(200);
    const changed = { [`${work}.locality`]: 'Hull' };
    await f.connector.updateUser({ ...payload, remoteId: ref.remoteId, attributes: { ...payload.attributes, ...changed }, changed });
    const statuses = f.emulator.state.received('PATCH', `${base}/Users/${ref.remoteId}`).map((p) => p.status);
    // SCIM 1.1 sends the whole attribute, which needs no second try.
    expect(statuses).toEqual(type === 'scim2' ? [200, 400, 200] : [200, 200]);
    expect(userById(f.emulator, ref.remoteId)?.['addresses']).toEqual(
      type === 'scim2' ? [{ type: 'work', locality: 'Hull' }] : [{ type: 'work', locality: 'Hull', country: 'GB' }],
    );
  });

  it('refuses a mapping key the target schema does not have, naming the connector and the key, and sends nothing', async () => {
    const f = await start(options);
    const payload = { ...sampleUser(3), attributes: { ...sampleUser(3).attributes, [`${work}.localty`]: 'Leeds' } };
    const failure: unknown = await f.connector.createUser(payload).catch((error: unknown) => error);
    expect(isPermanentError(failure)).toBe(true);
    expect((failure as Error).message).toContain(
      `connector "scim-test" (${type}): mapping.${work}.localty: "addresses" has no sub-attribute "localty"; did you mean "locality"?`,
    );
    expect(f.emulator.state.countRequests('POST', `${base}/Users`)).toBe(0);
  });
});

describe('reading the target schema', () => {
  it('only when a mapping key is an attribute path, once; a failed read is retried by the next operation', async () => {
    const f = await start({ type: 'scim2', emulator: { userExtensions: [acme] } });
    await f.connector.createUser(sampleUser(20));
    expect(f.emulator.state.countRequests('GET', '/scim/v2/Schemas')).toBe(0);
    f.emulator.faults.failNext(1, 503);
    const withPath = (n: number) => ({ ...sampleUser(n), attributes: { ...sampleUser(n).attributes, roles: 'admin' } });
    await expect(f.connector.createUser(withPath(21))).rejects.toMatchObject({ kind: 'transient' });
    await f.connector.createUser(withPath(21));
    await f.connector.createUser(withPath(22));
    expect(f.emulator.state.requests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /scim/v2/Users 201',
      'GET /scim/v2/Schemas 503',
      'GET /scim/v2/Schemas 200',
      'POST /scim/v2/Users 201',
      'POST /scim/v2/Users 201',
    ]);
  });

  it('check() names the schema and extensions attribute paths are checked against', async () => {
    const f = await start({ type: 'scim2', emulator: { userExtensions: [acme] } });
    expect((await f.connector.check()).message).toContain(
      `attribute paths in the mapping are checked against the service's /Schemas (extensions: urn:ietf:params:scim:schemas:extension:enterprise:2.0:User, ${ACME})`,
    );
    await f.connector.close();
    await f.teardown();
    const v1 = await start({ type: 'scim11' });
    expect((await v1.connector.check()).message).toContain(
      'checked against the SCIM 1.1 core schema (the service publishes no /Schemas/Users) (extensions: urn:scim:schemas:extension:enterprise:1.0)',
    );
  });
});

describe("the README's example mapping", () => {
  // As the README gives it (packages/connector-scim/README.md, "Mapping").
  const mapping: Record<string, MappingRuleSpec> = {
    userName: 'userName',
    givenName: 'name.givenName',
    familyName: 'name.familyName',
    email: 'emails[primary eq true].value',
    'phoneNumbers[type eq "mobile"].value': 'phoneNumbers[type eq "mobile"].value',
    'addresses[type eq "work"].locality': 'addresses[type eq "work"].locality',
    'addresses[type eq "work"].country': 'addresses[type eq "work"].country',
    roles: 'roles.value',
    entitlements: { from: 'entitlements.value', default: 'standard' },
    x509Certificates: 'x509Certificates.value',
    [`${ENTERPRISE_2}:costCenter`]: `${ENTERPRISE_2}:costCenter`,
    [`${ACME}:badgeNumber`]: { from: `${ENTERPRISE_2}:employeeNumber` },
  };

  it('compiles, and a local user reaches the emulator with every one of them', async () => {
    const f = await start({ type: 'scim2', emulator: { userExtensions: [acme] } });
    const user: ScimUser = {
      userName: 'kim@example.com',
      name: { givenName: 'Kim', familyName: 'Paul' },
      emails: [{ value: 'kim@example.com', primary: true }],
      phoneNumbers: [{ value: '+44 7700 900123', type: 'mobile' }],
      addresses: [{ type: 'work', locality: 'Leeds', country: 'GB' }],
      roles: [{ value: 'admin' }],
      x509Certificates: [{ value: CERT }],
      [ENTERPRISE_2]: { costCenter: 'CC-7', employeeNumber: '4711' },
    };
    const attributes = compileMapping(mapping).apply(user);
    const ref = await f.connector.createUser({ localId: 'kim', user, attributes });
    expect(userById(f.emulator, ref.remoteId)).toMatchObject({
      userName: 'kim@example.com',
      name: { givenName: 'Kim', familyName: 'Paul' },
      emails: [{ type: 'work', value: 'kim@example.com', primary: true }],
      phoneNumbers: [{ type: 'mobile', value: '+44 7700 900123' }],
      addresses: [{ type: 'work', locality: 'Leeds', country: 'GB' }],
      roles: [{ value: 'admin' }],
      entitlements: [{ value: 'standard' }],
      x509Certificates: [{ value: CERT }],
      [ENTERPRISE_2]: { costCenter: 'CC-7' },
      [ACME]: { badgeNumber: 4711 },
    });
  });
});

describe('scim2 against a service without value-filtered PATCH paths', () => {
  const work = 'addresses[type eq "work"]';
  const update = (remoteId: string, locality: string): UserUpdate => {
    const payload = sampleUser(4);
    const attributes = { ...payload.attributes, [`${work}.locality`]: locality, 'addresses[type eq "home"].locality': 'York' };
    return { ...payload, accountName: undefined, remoteId, attributes, changed: { [`${work}.locality`]: locality } };
  };
  const create = (f: ScimFixture) => f.connector.createUser({ ...sampleUser(4), attributes: { ...update('', 'Leeds').attributes } });
  /** The addresses after an update of the work locality; the home address stays in York. */
  const addresses = (workLocality: string) => [
    { type: 'work', locality: workLocality },
    { type: 'home', locality: 'York' },
  ];
  /** The whole-attribute PATCH a service without filtered paths gets. */
  const replaceAddresses = (workLocality: string) => ({ op: 'replace', path: 'addresses', value: addresses(workLocality) });

  it('answers 400 invalidPath once; the connector replaces the whole attribute then and from then on', async () => {
    const f = await start({ type: 'scim2', emulator: { userPatchFilters: false } });
    const ref = await create(f);
    await f.connector.updateUser(update(ref.remoteId, 'Hull'));
    await f.connector.updateUser(update(ref.remoteId, 'Leeds'));
    const patches = f.emulator.state.received('PATCH', `/scim/v2/Users/${ref.remoteId}`);
    expect(patches.map((p) => [p.status, (p.body as JsonObject)['Operations']])).toEqual([
      [400, [{ op: 'add', path: `${work}.locality`, value: 'Hull' }]],
      [200, [replaceAddresses('Hull')]],
      [200, [replaceAddresses('Leeds')]],
    ]);
    expect(userById(f.emulator, ref.remoteId)?.['addresses']).toEqual(addresses('Leeds'));
  });

  it('with patchFilters: "never", replaces the whole attribute from the first PATCH', async () => {
    const f = await start({ type: 'scim2', config: { patchFilters: 'never' } });
    const ref = await create(f);
    await f.connector.updateUser(update(ref.remoteId, 'Hull'));
    const [patch] = f.emulator.state.received('PATCH', `/scim/v2/Users/${ref.remoteId}`);
    expect((patch.body as JsonObject)['Operations']).toEqual([replaceAddresses('Hull')]);
  });

  it('in a /Bulk request too: the refused operation is sent again on its own, with the whole attribute', async () => {
    const f = await start({ type: 'scim2', emulator: { userPatchFilters: false, bulk: { supported: true } } });
    const ref = await create(f);
    const [outcome] = await f.connector.provisionBatch([{ kind: 'updateUser', jobId: 'j1', payload: update(ref.remoteId, 'Hull') }]);
    expect(outcome).toMatchObject({ jobId: 'j1', ok: true });
    expect(f.emulator.state.countRequests('POST', '/scim/v2/Bulk')).toBe(1);
    expect(f.emulator.state.received('PATCH', `/scim/v2/Users/${ref.remoteId}`).map((p) => p.status)).toEqual([200]);
    expect(userById(f.emulator, ref.remoteId)?.['addresses']).toEqual(addresses('Hull'));
  });
});

describe('scim2 /Bulk with a replaced filtered value the target no longer has', () => {
  it('sends that operation again on its own, where the add creates the value', async () => {
    const f = await start({ type: 'scim2', emulator: { bulk: { supported: true } } });
    const work = 'addresses[type eq "work"]';
    const attributes = { ...sampleUser(8).attributes, [`${work}.locality`]: 'Leeds', [`${work}.country`]: 'GB' };
    const payload = { ...sampleUser(8), accountName: undefined, attributes };
    const ref = await f.connector.createUser(payload);
    const removal = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'remove', path: 'addresses' }] };
    const url = `${f.emulator.baseUrl2}/Users/${ref.remoteId}`;
    await fetch(url, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(removal) });
    const changed = { [`${work}.locality`]: 'Hull' };
    const update = { ...payload, remoteId: ref.remoteId, attributes: { ...attributes, ...changed }, changed };
    const [outcome] = await f.connector.provisionBatch([{ kind: 'updateUser', jobId: 'j', payload: update }]);
    expect(outcome).toMatchObject({ jobId: 'j', ok: true });
    expect(f.emulator.state.countRequests('POST', '/scim/v2/Bulk')).toBe(1);
    expect(f.emulator.state.received('PATCH', `/scim/v2/Users/${ref.remoteId}`).map((p) => p.status)).toEqual([200, 400, 200]);
    expect(userById(f.emulator, ref.remoteId)?.['addresses']).toEqual([{ type: 'work', locality: 'Hull' }]);
  });
});

describe('scim11 against a service without schema discovery (WSO2 IS /wso2/scim)', () => {
  it('checks mapping keys against the SCIM 1.1 core and enterprise schemas: the enterprise extension works, an undeclared one is refused', async () => {
    const f = await start({ type: 'scim11', emulator: { userExtensions: [acme] } });
    const payload = sampleUser(5);
    const ref = await f.connector.createUser({
      ...payload,
      attributes: { ...payload.attributes, roles: 'admin', [`${ENTERPRISE_1}:costCenter`]: 'CC-1' },
    });
    expect(userById(f.emulator, ref.remoteId)).toMatchObject({
      roles: [{ value: 'admin' }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { costCenter: 'CC-1' },
    });
    await expect(
      f.connector.createUser({ ...sampleUser(6), attributes: { ...sampleUser(6).attributes, [`${ACME_1}:costCenter`]: 'CC-2' } }),
    ).rejects.toThrow(/the target has no schema "urn:scim:schemas:extension:acme:1\.0".*the SCIM 1\.1 core schema/);
  });
});
