import { isPermanentError } from '@provisio/core';
import { builtinUserSchema } from './scim-builtin-schemas.js';
import { SCIM11, SCIM2, type ScimDialect } from './scim-dialect.js';
import { complex, simple, type TargetUserSchema } from './scim-target-schema.js';
import { buildUserResource } from './scim-user-mapper.js';
import { ScimUserModel } from './scim-user-model.js';
import { buildUserPatch, type UserChange } from './scim-user-patch.js';
import { attributesParameter, remoteUserOf } from './scim-user-reading.js';

const ENT2 = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ACME = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The RFC schema plus an HR extension, as a target's /Schemas would describe them. */
function schemaWithAcme(dialect: ScimDialect): TargetUserSchema {
  const builtin = builtinUserSchema(dialect);
  const acme = {
    id: ACME,
    attributes: [
      simple('costCenter'),
      simple('badgeNumber', 'integer'),
      complex('licenses', [simple('value'), simple('type')], { multiValued: true }),
    ],
  };
  return { ...builtin, extensions: [...builtin.extensions, acme], source: "the service's /Schemas" };
}

const model2 = new ScimUserModel(SCIM2, schemaWithAcme(SCIM2), 'connector "hr-scim" (scim2)');
const model11 = new ScimUserModel(SCIM11, builtinUserSchema(SCIM11), 'connector "legacy" (scim11)');
const filters = { valueFilters: true };
const patchOf = (change: UserChange, options = filters) => buildUserPatch(model2, change, {}, options).body['Operations'];

describe('mapping targets: flat names and attribute paths', () => {
  const fields = { userName: 'ada', givenName: 'Ada', email: 'ada@example.com', department: 'R&D', manager: 'm-1', active: true };

  it('builds the SCIM 2.0 User from the flat names as before: name, primary work email, the enterprise extension', () => {
    expect(buildUserResource(model2, fields, { externalId: 'local-1', password: 'pw' })).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT2],
      userName: 'ada',
      externalId: 'local-1',
      active: true,
      name: { givenName: 'Ada' },
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
      password: 'pw',
      [ENT2]: { department: 'R&D', manager: { value: 'm-1' } },
    });
  });

  it('builds a SCIM 1.1 User with 1.1 schema names and managerId', () => {
    const user = buildUserResource(model11, fields, {});
    expect(user['schemas']).toEqual(['urn:scim:schemas:core:1.0', 'urn:scim:schemas:extension:enterprise:1.0']);
    expect(user['urn:scim:schemas:extension:enterprise:1.0']).toEqual({ department: 'R&D', manager: { managerId: 'm-1' } });
  });

  it('nests any attribute path: filtered values created with the filter, whole multi-valued attributes, extensions in schemas', () => {
    const user = buildUserResource(
      model2,
      {
        userName: 'kim',
        'addresses[type eq "work"].locality': 'Leeds',
        'addresses[type eq "work"].country': 'GB',
        'addresses[type eq "home"].locality': 'York',
        'phoneNumbers[type eq "mobile"].value': '+44 7700 900123',
        'emails[type eq "work"].value': 'kim@example.com',
        roles: 'admin',
        entitlements: ['crm', 'erp'],
        x509Certificates: 'TUlJQ0lqQU5CZ2txaGtpRzl3MEJBUUVG',
        [`${ENT2}:costCenter`]: 'CC-1',
        [`${ACME}:badgeNumber`]: '42',
        [`${ACME}:licenses[type eq "crm"].value`]: 'L1',
      },
      {},
    );
    expect(user).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT2, ACME],
      userName: 'kim',
      addresses: [
        { type: 'work', locality: 'Leeds', country: 'GB' },
        { type: 'home', locality: 'York' },
      ],
      phoneNumbers: [{ type: 'mobile', value: '+44 7700 900123' }],
      emails: [{ type: 'work', value: 'kim@example.com' }],
      roles: [{ value: 'admin' }],
      entitlements: [{ value: 'crm' }, { value: 'erp' }],
      x509Certificates: [{ value: 'TUlJQ0lqQU5CZ2txaGtpRzl3MEJBUUVG' }],
      [ENT2]: { costCenter: 'CC-1' },
      [ACME]: { badgeNumber: 42, licenses: [{ type: 'crm', value: 'L1' }] },
    });
  });

  it('reads the same paths back, in the shape the mapping gave them (no false drift)', () => {
    const mapped = {
      userName: 'kim',
      email: 'kim@example.com',
      'addresses[type eq "work"].locality': 'Leeds',
      roles: 'admin',
      entitlements: ['crm', 'erp'],
      [`${ACME}:badgeNumber`]: 42,
      [`${ENT2}:manager.value`]: 'm-9',
    };
    const resource = { id: 'r1', ...buildUserResource(model2, mapped, {}) };
    expect(remoteUserOf(model2, resource, Object.keys(mapped))).toEqual({
      remoteId: 'r1',
      remoteName: 'kim',
      active: true,
      attributes: mapped,
    });
    expect(attributesParameter(model2, Object.keys(mapped))).toBe(
      `id,userName,active,emails,addresses,roles,entitlements,${ACME}:badgeNumber,${ENT2}:manager.value`,
    );
  });
});

describe('the PATCH diff over filtered paths (RFC 7644 §3.5.2)', () => {
  const work = 'addresses[type eq "work"]';

  it('adds a value the mapping holds nothing else in, replaces one it does, removes a cleared sub-attribute', () => {
    expect(
      patchOf({
        changed: { [`${work}.locality`]: 'Hull', 'phoneNumbers[type eq "mobile"].value': '+44 1', [`${work}.region`]: null },
        attributes: { [`${work}.locality`]: 'Hull', [`${work}.country`]: 'GB', 'phoneNumbers[type eq "mobile"].value': '+44 1' },
      }),
    ).toEqual([
      { op: 'replace', path: `${work}.locality`, value: 'Hull' },
      { op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: '+44 1' },
      { op: 'remove', path: `${work}.region` },
    ]);
  });

  it('removes the whole value once nothing the mapping writes is left in it; whole attributes are replaced or removed', () => {
    expect(
      patchOf({
        changed: { [`${work}.locality`]: null, [`${work}.country`]: '', roles: ['admin', 'audit'], entitlements: null },
        attributes: { roles: ['admin', 'audit'] },
      }),
    ).toEqual([
      { op: 'replace', path: 'roles', value: [{ value: 'admin' }, { value: 'audit' }] },
      { op: 'remove', path: 'entitlements' },
      { op: 'remove', path: work },
    ]);
  });

  it('patches extension attributes by their URN path, values in the attribute type', () => {
    expect(
      patchOf({
        changed: { [`${ACME}:badgeNumber`]: '7', [`${ACME}:licenses[type eq "crm"].value`]: 'L2', [`${ENT2}:costCenter`]: null },
        attributes: { [`${ACME}:badgeNumber`]: '7', [`${ACME}:licenses[type eq "crm"].value`]: 'L2' },
      }),
    ).toEqual([
      { op: 'replace', path: `${ACME}:badgeNumber`, value: 7 },
      { op: 'add', path: `${ACME}:licenses[type eq "crm"].value`, value: 'L2' },
      { op: 'remove', path: `${ENT2}:costCenter` },
    ]);
  });

  it('replaces the whole multi-valued attribute with every mapped value where filtered paths are not supported', () => {
    const patch = buildUserPatch(
      model2,
      {
        changed: { [`${work}.locality`]: 'Hull' },
        attributes: {
          [`${work}.locality`]: 'Hull',
          [`${work}.country`]: 'GB',
          'addresses[type eq "home"].locality': 'York',
          email: 'a@b.c',
        },
      },
      {},
      { valueFilters: false },
    );
    expect(patch).toEqual({
      body: {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: 'replace',
            path: 'addresses',
            value: [
              { type: 'work', locality: 'Hull', country: 'GB' },
              { type: 'home', locality: 'York' },
            ],
          },
        ],
      },
      filtered: false,
      replacesFiltered: false,
      empty: false,
    });
    expect(patchOf({ changed: { email: null }, attributes: {} }, { valueFilters: false })).toEqual([{ op: 'remove', path: 'emails' }]);
  });

  it('keeps the flat-name PATCH of before: replace for changes, remove for cleared fields', () => {
    expect(
      patchOf({ changed: { title: 'CTO', givenName: null, department: 'Ops' }, attributes: { title: 'CTO', department: 'Ops' } }),
    ).toEqual([
      { op: 'replace', path: 'title', value: 'CTO' },
      { op: 'remove', path: 'name.givenName' },
      { op: 'replace', path: `${ENT2}:department`, value: 'Ops' },
    ]);
  });

  it('SCIM 1.1: a partial resource; a changed multi-valued attribute is cleared through meta.attributes and sent whole', () => {
    const change = {
      changed: { title: null, email: 'new@example.com', 'addresses[type eq "work"].locality': 'Hull', roles: null },
      attributes: { email: 'new@example.com', 'addresses[type eq "work"].locality': 'Hull', 'addresses[type eq "home"].locality': 'York' },
    };
    expect(buildUserPatch(model11, change, {}, filters)).toEqual({
      body: {
        schemas: ['urn:scim:schemas:core:1.0'],
        emails: [{ value: 'new@example.com', type: 'work', primary: true }],
        addresses: [
          { type: 'work', locality: 'Hull' },
          { type: 'home', locality: 'York' },
        ],
        meta: { attributes: ['title', 'emails', 'addresses', 'roles'] },
      },
      filtered: false,
      replacesFiltered: false,
      empty: false,
    });
  });
});

describe('a mapping target the target does not have', () => {
  const failure = (fields: Record<string, unknown>, model = model2): string => {
    try {
      buildUserResource(model, fields, {});
    } catch (error) {
      expect(isPermanentError(error)).toBe(true);
      return (error as Error).message;
    }
    throw new Error('no error');
  };

  it('names the connector and the mapping key, with the nearest known name', () => {
    expect(failure({ 'addresses[type eq "work"].localty': 'Leeds' })).toBe(
      'connector "hr-scim" (scim2): mapping.addresses[type eq "work"].localty: "addresses" has no sub-attribute "localty"; ' +
        'did you mean "locality"? (it has formatted, streetAddress, locality, region, postalCode, country, type, primary) ' +
        "(the target's schema: the service's /Schemas)",
    );
    expect(failure({ favouriteColour: 'blue' })).toMatch(
      /mapping\.favouriteColour: the core User schema has no attribute "favouriteColour"/,
    );
    expect(failure({ rolse: 'admin' })).toMatch(/mapping\.rolse: .*did you mean "roles"\?/);
    expect(failure({ [`${ACME}:costCentre`]: 'x' })).toMatch(/has no attribute "costCentre"; did you mean "costCenter"\?/);
    expect(failure({ badgeNumber: 1 })).toMatch(/did you mean "urn:ietf:params:scim:schemas:extension:acme:2\.0:User:badgeNumber"\?/);
    expect(failure({ 'urn:ietf:params:scim:schemas:extension:acne:2.0:User:costCenter': 'x' })).toMatch(
      /the target has no schema "urn:ietf:params:scim:schemas:extension:acne:2\.0:User"; did you mean "urn:ietf:params:scim:schemas:extension:acme:2\.0:User"\?/,
    );
    // The SCIM 1.1 connector without discovery knows the RFC core and enterprise schemas only.
    expect(failure({ [`${ACME}:costCenter`]: 'x' }, model11)).toMatch(
      /^connector "legacy" \(scim11\): .*\(the target's schema: the SCIM 1\.1 core schema/,
    );
  });

  it('refuses paths a service would refuse, and lists every broken key at once', () => {
    const message = failure({
      'title[type eq "work"].value': 'x',
      'emails.value': 'x',
      'addresses[type ne "work"].locality': 'x',
      'emails[primary eq "true"].value': 'x',
      groups: 'g',
      password: 'p',
      name: 'Ada',
      givenName: 'Ada',
      'name.givenName': 'Ada',
      [`${ACME}:badgeNumber`]: 'forty-two',
    });
    expect(message).toContain(
      'mapping.title[type eq "work"].value: "title" is not a multi-valued complex attribute, so it cannot carry a value filter',
    );
    expect(message).toContain(
      'mapping.emails.value: "emails" is multi-valued: name the value with a filter, e.g. emails[type eq "work"].value',
    );
    expect(message).toContain('mapping.addresses[type ne "work"].locality: the value filter "[type ne "work"]" must be');
    expect(message).toContain('mapping.emails[primary eq "true"].value: the value filter compares "primary" (boolean) with "true"');
    expect(message).toContain('mapping.groups: "groups" is read-only on the target');
    expect(message).toContain('mapping.password: "password" is not a mapping target');
    expect(message).toContain('mapping.name: "name" is complex: map one of its sub-attributes');
    expect(message).toContain('mapping.name.givenName: writes the same value as mapping.givenName');
    expect(failure({ [`${ACME}:badgeNumber`]: 'forty-two' })).toContain(
      `mapping.${ACME}:badgeNumber: "forty-two" is not an integer, and "badgeNumber" is one`,
    );
    expect(failure({ roles: 'admin', 'roles[type eq "x"].value': 'y' })).toContain(
      'mapping.roles[type eq "x"].value: mapping.roles already writes every value of "roles"',
    );
  });
});
