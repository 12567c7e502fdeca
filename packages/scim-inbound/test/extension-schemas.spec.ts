import { scimSchemasSchema } from '@provisio/core/engine';
import { ERROR_SCHEMA, PATCH_SCHEMA, startHarness, USER_SCHEMA, type Harness } from './scim-harness.js';

const HR = 'urn:example:params:scim:schemas:extension:hr:2.0:User';
const UNDECLARED = 'urn:example:params:scim:schemas:extension:other:2.0:User';

// The compact YAML form, as a manifest would carry it (parsed by the manifest schema, defaults applied).
const hrSchemas = (extra: Record<string, unknown> = {}) =>
  scimSchemasSchema.parse({
    extensions: [
      {
        id: HR,
        name: 'HR',
        required: true,
        attributes: [
          { name: 'costCenter', required: true },
          { name: 'employeeNumber', type: 'integer', uniqueness: 'server' },
          { name: 'badge', mutability: 'immutable' },
          { name: 'grade', canonicalValues: ['junior', 'senior'] },
          {
            name: 'assignments',
            type: 'complex',
            multiValued: true,
            subAttributes: [{ name: 'value' }, { name: 'type' }, { name: 'primary', type: 'boolean' }],
          },
        ],
      },
    ],
    ...extra,
  });

type Json = Record<string, unknown> & { id: string; schemas: string[]; detail?: string; scimType?: string };

describe('custom extension schemas (inbound.scim.schemas)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ schemas: hrSchemas() });
  });
  afterEach(async () => h.close());

  const post = async (userName: string, hr: unknown, more: Record<string, unknown> = {}) => {
    const response = await h.call('/v2/Users', { method: 'POST', json: { schemas: [USER_SCHEMA, HR], userName, [HR]: hr, ...more } });
    return { status: response.status, body: (await response.json()) as Json };
  };

  it('stores, coerces and returns a declared extension, with its URN in schemas', async () => {
    const { status, body } = await post('ada', {
      CostCenter: 'CC-1',
      employeeNumber: '42',
      assignments: [{ value: 'p1', type: 'project', primary: 'True' }],
    });
    expect(status).toBe(201);
    expect(body.schemas).toEqual([USER_SCHEMA, HR]);
    expect(body[HR]).toEqual({ costCenter: 'CC-1', employeeNumber: 42, assignments: [{ value: 'p1', type: 'project', primary: true }] });
    const read = (await (await h.call(`/v2/Users/${body.id}`)).json()) as Json;
    expect(read[HR]).toEqual(body[HR]);
  });

  it('refuses an undeclared extension, an unknown attribute, a missing required attribute or extension, a wrong type', async () => {
    const cases: Array<[unknown, Record<string, unknown>, RegExp]> = [
      [{ costCenter: 'x' }, { [UNDECLARED]: { a: 1 } }, new RegExp(UNDECLARED)],
      [{ costCenter: 'x', shoeSize: 9 }, {}, /shoeSize/],
      [{ employeeNumber: 1 }, {}, /costCenter is required/],
      [undefined, {}, /extension is required/],
      [{ costCenter: 'x', employeeNumber: 'many' }, {}, /employeeNumber must be a number/],
      [{ costCenter: 'x', grade: 'CEO' }, {}, /grade must be one of junior, senior/],
      [{ costCenter: 'x', assignments: [{ value: 'p', colour: 'red' }] }, {}, /assignments\.colour/],
    ];
    for (const [hr, more, detail] of cases) {
      const { status, body } = await post('bob', hr, more);
      expect({ status, scimType: body.scimType, schemas: body.schemas }).toEqual({
        status: 400,
        scimType: 'invalidValue',
        schemas: [ERROR_SCHEMA],
      });
      expect(body.detail).toMatch(detail);
    }
    expect((await h.store.queryUsers({})).totalResults).toBe(0);
  });

  it('enforces uniqueness: server with 409 uniqueness, on POST, PUT and PATCH', async () => {
    const ada = await post('ada', { costCenter: 'a', employeeNumber: 7 });
    const bob = await post('bob', { costCenter: 'b', employeeNumber: 8 });
    const clash = await post('cyd', { costCenter: 'c', employeeNumber: 7 });
    expect([ada.status, bob.status, clash.status, clash.body.scimType]).toEqual([201, 201, 409, 'uniqueness']);
    const put = await h.call(`/v2/Users/${bob.body.id}`, {
      method: 'PUT',
      json: { userName: 'bob', [HR]: { costCenter: 'b', employeeNumber: 7 } },
    });
    expect(put.status).toBe(409);
    const patch = await h.call(`/v2/Users/${bob.body.id}`, {
      method: 'PATCH',
      json: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: `${HR}:employeeNumber`, value: 7 }] },
    });
    expect(patch.status).toBe(409);
    // Its own value again is no clash.
    const same = await h.call(`/v2/Users/${ada.body.id}`, {
      method: 'PUT',
      json: { userName: 'ada', [HR]: { costCenter: 'z', employeeNumber: 7 } },
    });
    expect(same.status).toBe(200);
  });

  it('patches by extension path and by a filter on the multi-valued complex attribute; immutable values cannot change', async () => {
    const { body } = await post('ada', {
      costCenter: 'a',
      badge: 'B1',
      assignments: [
        { value: 'p1', type: 'project' },
        { value: 'd1', type: 'duty' },
      ],
    });
    const patch = (Operations: unknown[]) =>
      h.call(`/v2/Users/${body.id}`, { method: 'PATCH', json: { schemas: [PATCH_SCHEMA], Operations } });
    const patched = await patch([
      { op: 'replace', path: `${HR}:costCenter`, value: 'CC-9' },
      { op: 'replace', path: `${HR}:assignments[type eq "duty"].value`, value: 'd2' },
      { op: 'add', value: { [HR]: { grade: 'senior' } } },
    ]);
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as Json)[HR]).toEqual({
      costCenter: 'CC-9',
      badge: 'B1',
      grade: 'senior',
      assignments: [
        { value: 'p1', type: 'project' },
        { value: 'd2', type: 'duty' },
      ],
    });
    const immutable = await patch([{ op: 'replace', path: `${HR}:badge`, value: 'B2' }]);
    expect([immutable.status, ((await immutable.json()) as Json).scimType]).toEqual([400, 'mutability']);
    const undeclared = await patch([{ op: 'add', path: `${UNDECLARED}:x`, value: 'y' }]);
    expect([undeclared.status, ((await undeclared.json()) as Json).scimType]).toEqual([400, 'invalidValue']);
    const whole = await patch([{ op: 'add', path: HR, value: { grade: 'junior' } }]);
    expect(((await whole.json()) as Json)[HR]).toMatchObject({ costCenter: 'CC-9', grade: 'junior' });
    const unknown = await patch([{ op: 'add', path: `${HR}:shoeSize`, value: 9 }]);
    expect([unknown.status, ((await unknown.json()) as Json).scimType]).toEqual([400, 'invalidPath']);
  });

  it('filters and sorts on an extension attribute', async () => {
    for (const [name, cc, n] of [
      ['ada', 'x', 3],
      ['bob', 'y', 1],
      ['cyd', 'x', 2],
    ] as const)
      expect((await post(name, { costCenter: cc, employeeNumber: n })).status).toBe(201);
    const list = async (query: string) =>
      ((await (await h.call(`/v2/Users?${query}`)).json()) as { Resources: Json[] }).Resources.map((r) => r.userName);
    expect(
      await list(`filter=${encodeURIComponent(`${HR}:costCenter eq "x"`)}&sortBy=${encodeURIComponent(`${HR}:employeeNumber`)}`),
    ).toEqual(['cyd', 'ada']);
    expect(await list(`sortBy=${encodeURIComponent(`${HR}:employeeNumber`)}&sortOrder=descending`)).toEqual(['ada', 'cyd', 'bob']);
  });

  it('serves the extension in /Schemas and in the User resource type (required)', async () => {
    const schema = (await (await h.call(`/v2/Schemas/${HR}`)).json()) as Json & { attributes: Array<Record<string, unknown>> };
    expect(schema.id).toBe(HR);
    expect(schema.attributes.map((a) => a.name)).toEqual(['costCenter', 'employeeNumber', 'badge', 'grade', 'assignments']);
    expect(schema.attributes[1]).toMatchObject({ type: 'integer', uniqueness: 'server', required: false });
    const user = (await (await h.call('/v2/ResourceTypes/User')).json()) as { schemaExtensions: unknown[] };
    expect(user.schemaExtensions).toEqual([
      { schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false },
      { schema: HR, required: true },
    ]);
  });

  it('never returns a returned: never or writeOnly attribute, but stores it', async () => {
    const secretive = scimSchemasSchema.parse({
      extensions: [
        {
          id: HR,
          attributes: [{ name: 'costCenter' }, { name: 'pin', returned: 'never' }, { name: 'seed', mutability: 'writeOnly' }],
        },
      ],
    });
    const s = await startHarness({ schemas: secretive });
    try {
      const created = await s.call('/v2/Users', {
        method: 'POST',
        json: { userName: 'ada', [HR]: { costCenter: 'x', pin: '1234', seed: 's' } },
      });
      const body = (await created.json()) as Json;
      expect(body[HR]).toEqual({ costCenter: 'x' });
      expect(((await (await s.call('/v2/Users')).json()) as { Resources: Json[] }).Resources[0][HR]).toEqual({ costCenter: 'x' });
      expect((await s.store.getUser(body.id))?.resource).toMatchObject({ [HR]: { costCenter: 'x', pin: '1234', seed: 's' } });
    } finally {
      await s.close();
    }
  });

  it('SCIM 1.1: the same extension under its URN in bodies, PATCH and /v1/Schemas', async () => {
    const created = await h.call('/v1/Users', {
      method: 'POST',
      json: { schemas: ['urn:scim:schemas:core:1.0', HR], userName: 'kim', [HR]: { costCenter: 'CC-1', employeeNumber: 5 } },
    });
    const body = (await created.json()) as Json;
    expect(created.status).toBe(201);
    expect(body.schemas).toEqual(['urn:scim:schemas:core:1.0', HR]);
    expect(body[HR]).toEqual({ costCenter: 'CC-1', employeeNumber: 5 });
    const patched = await h.call(`/v1/Users/${body.id}`, { method: 'PATCH', json: { [HR]: { costCenter: 'CC-2' } } });
    expect(patched.status).toBe(200);
    expect(((await (await h.call(`/v1/Users/${body.id}`)).json()) as Json)[HR]).toEqual({ costCenter: 'CC-2', employeeNumber: 5 });
    const undeclared = await h.call('/v1/Users', {
      method: 'POST',
      json: { userName: 'lee', [HR]: { costCenter: 'x' }, [UNDECLARED]: {} },
    });
    expect(undeclared.status).toBe(400);
    const schema = (await (await h.call(`/v1/Schemas/${HR}`)).json()) as Json & { attributes: Array<Record<string, unknown>> };
    expect(schema).toMatchObject({ id: HR, schema: HR, endpoint: '/Users' });
    expect(schema.attributes[0]).toMatchObject({ name: 'costCenter', schema: HR, required: true, readOnly: false });
  });

  it('keeps the extensions of each server apart (two servers in one process)', async () => {
    const plain = await startHarness();
    try {
      const refused = await plain.call('/v2/Users', { method: 'POST', json: { userName: 'ada', [HR]: { costCenter: 'x' } } });
      expect(refused.status).toBe(400);
      expect(((await (await plain.call('/v2/Schemas')).json()) as { Resources: Json[] }).Resources.map((s) => s.id)).not.toContain(HR);
      expect((await post('ada', { costCenter: 'x' })).status).toBe(201);
    } finally {
      await plain.close();
    }
  });
});

describe('lenient and built-in extension schemas', () => {
  it('attaches an extension to Groups (attachTo: Group), and only there', async () => {
    const team = 'urn:example:params:scim:schemas:extension:team:2.0:Group';
    const h = await startHarness({
      schemas: scimSchemasSchema.parse({
        extensions: [{ id: team, attachTo: 'Group', attributes: [{ name: 'budget', type: 'decimal' }] }],
      }),
    });
    try {
      const group = await h.call('/v2/Groups', { method: 'POST', json: { displayName: 'Sales', [team]: { budget: '12.5' } } });
      const body = (await group.json()) as Json;
      expect([group.status, body[team], body.schemas]).toEqual([
        201,
        { budget: 12.5 },
        ['urn:ietf:params:scim:schemas:core:2.0:Group', team],
      ]);
      const onUser = await h.call('/v2/Users', { method: 'POST', json: { userName: 'ada', [team]: { budget: 1 } } });
      expect(onUser.status).toBe(400);
      const groupType = (await (await h.call('/v2/ResourceTypes/Group')).json()) as { schemaExtensions: unknown[] };
      expect(groupType.schemaExtensions).toEqual([{ schema: team, required: false }]);
    } finally {
      await h.close();
    }
  });

  it('lenient: keeps an undeclared extension and unknown attributes as sent', async () => {
    const h = await startHarness({ schemas: hrSchemas({ lenient: true }) });
    try {
      const response = await h.call('/v2/Users', {
        method: 'POST',
        json: { userName: 'ada', [HR]: { costCenter: 'x', shoeSize: 9 }, [UNDECLARED]: { a: 1 } },
      });
      const body = (await response.json()) as Json;
      expect(response.status).toBe(201);
      expect(body).toMatchObject({ [HR]: { costCenter: 'x', shoeSize: 9 }, [UNDECLARED]: { a: 1 } });
      expect(body.schemas).toEqual([USER_SCHEMA, HR, UNDECLARED]);
    } finally {
      await h.close();
    }
  });

  it('builtIn wso2 and entra: WSO2 IS extension values and an Entra custom extension survive', async () => {
    const h = await startHarness({ schemas: scimSchemasSchema.parse({ builtIn: ['wso2', 'entra'] }) });
    const entra = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';
    try {
      const response = await h.call('/v2/Users', {
        method: 'POST',
        json: {
          userName: 'kim',
          'urn:scim:wso2:schema': { askPassword: 'true', country: 'LK', newerAttribute: 'kept' },
          [entra]: { CustomAttribute: 'x' },
        },
      });
      const body = (await response.json()) as Json;
      expect(response.status).toBe(201);
      expect(body).toMatchObject({
        'urn:scim:wso2:schema': { askPassword: true, country: 'LK', newerAttribute: 'kept' },
        [entra]: { CustomAttribute: 'x' },
      });
      const filtered = await h.call(`/v2/Users?filter=${encodeURIComponent('urn:scim:wso2:schema:country eq "LK"')}`);
      expect(((await filtered.json()) as { totalResults: number }).totalResults).toBe(1);
    } finally {
      await h.close();
    }
  });
});
