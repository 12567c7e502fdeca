import { z } from 'zod';
import { ExpressionFunctions } from '../extension/expression-function.js';
import { validateManifest, type ConnectorTypeLookup } from '../manifest/manifest-validation.js';
import { BUILTIN_FUNCTION_NAMES } from './transforms.js';
import { declaredConnector } from '../../test/declared-connector.js';

/** A directory that finds accounts by login or email, and resolves `Role.Name` lookups. */
const directory = declaredConnector('directory', 'Directory', {
  configSchema: z.strictObject({}),
  capabilities: { users: true, groups: true },
  matching: { defaults: [{ remote: 'login' }], accountNameField: 'login', fields: ['login', 'email'], caseInsensitive: true },
  checkLookup: (lookup) => (lookup === 'Role.Name' ? undefined : 'this directory resolves Role.Name only'),
});
const plain = declaredConnector('plain', 'Plain target', { configSchema: z.strictObject({}) });
const types: ConnectorTypeLookup = {
  get: (type) => (type === 'directory' ? directory : type === 'plain' ? plain : undefined),
  list: () => [
    { type: 'directory', displayName: 'Directory', plugin: 'test' },
    { type: 'plain', displayName: 'Plain target', plugin: 'test' },
  ],
};
const functions = new ExpressionFunctions([{ name: 'slug', minArgs: 1, apply: () => 'x' }], BUILTIN_FUNCTION_NAMES);

const HR = 'urn:example:params:scim:schemas:extension:hr:2.0:User';

/** `provisio validate`'s messages for one manifest, as `path: message`. */
function problems(manifest: Record<string, unknown>): string[] {
  const result = validateManifest(manifest, types, functions);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

const connector = (extra: Record<string, unknown>) => ({ connectors: [{ id: 'd', type: 'directory', ...extra }] });

describe('provisio validate: mapping expressions', () => {
  it('accepts expressions over core, enterprise, claim and declared extension attributes', () => {
    expect(
      problems({
        inbound: { scim: { schemas: { extensions: [{ id: HR, attributes: [{ name: 'costCenter', type: 'string' }] }] } } },
        ...connector({
          mapping: {
            login: 'selectUniqueValue(join("@", left(name.givenName, 1), "example.com"), join("@", userName, "example.com"))',
            email: 'coalesce(emails[type eq "work"].value, http://wso2.org/claims/emailaddress)',
            dept: `iif(${HR}:costCenter = "X1", "Research", urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department)`,
            role: { from: 'roles[primary eq true].value', lookup: 'Role.Name' },
            handle: 'slug(nickName, "x")',
          },
          groupMapping: { name: 'join(" ", displayName, "(synced)")' },
        }),
      }),
    ).toEqual([]);
  });

  it('reports each broken expression at its field: nearest function, arity, unknown attribute', () => {
    expect(
      problems(
        connector({
          mapping: {
            a: 'Coalesce(title, "x")',
            b: 'mid(title, 1)',
            c: 'join(" ", name.givenNam, name.familyName)',
            d: 'titel',
            e: 'emails[typ eq "work"].value',
            f: `${HR}:costCenter`,
            g: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:departement',
            h: 'password',
          },
          groupMapping: { name: 'displayNam' },
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^connectors\[0\]\.mapping\.a: unknown function "Coalesce"; did you mean "coalesce"\?/),
      'connectors[0].mapping.b: mid takes 3 arguments ("mid(title, 1)" gives 2): mid(source, start, length)',
      'connectors[0].mapping.c: in join: unknown attribute "name.givenNam": "givenNam" is not a sub-attribute of name; did you mean "givenName"? (known: formatted, familyName, givenName, middleName, honorificPrefix, honorificSuffix)',
      'connectors[0].mapping.d: unknown attribute "titel": "titel" is not an attribute of User; did you mean "title"?',
      'connectors[0].mapping.e: unknown attribute "emails[typ eq \\"work\\"].value": in the value filter: "typ" is not a sub-attribute of emails; did you mean "type"? (known: value, display, type, primary)',
      `connectors[0].mapping.f: unknown attribute "${HR}:costCenter": ${HR} is not a schema of Users; declare it in inbound.scim.schemas (known: urn:ietf:params:scim:schemas:core:2.0:User, urn:ietf:params:scim:schemas:extension:enterprise:2.0:User, urn:provisio:params:scim:schemas:extension:wso2:2.0:User)`,
      'connectors[0].mapping.g: unknown attribute "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:departement": "departement" is not an attribute of User in urn:ietf:params:scim:schemas:extension:enterprise:2.0:User; did you mean "department"?',
      'connectors[0].mapping.h: unknown attribute "password": password is never mapped: set passwordProvisioning: true on the instance',
      'connectors[0].groupMapping.name: unknown attribute "displayNam": "displayNam" is not an attribute of Group; did you mean "displayName"?',
    ]);
  });

  it('accepts any attribute of an extension kept as sent (lenient, or Entra’s custom extensions)', () => {
    const entra = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';
    expect(
      problems({ inbound: { scim: { schemas: { builtIn: ['entra'] } } }, ...connector({ mapping: { x: `${entra}:anything` } }) }),
    ).toEqual([]);
    expect(problems({ inbound: { scim: { schemas: { lenient: true } } }, ...connector({ mapping: { x: `${HR}:anything` } }) })).toEqual([]);
  });

  it('checks that selectUniqueValue can look its field up and is not the pattern’s, and that lookups are resolvable', () => {
    const pattern = { template: '{UN}' };
    expect(
      problems(
        connector({
          pattern,
          mapping: {
            login: 'selectUniqueValue(userName, nickName)',
            title: 'selectUniqueValue(title, nickName)',
            role: { from: 'roles.value', lookup: 'Profile.Name' },
          },
          groupMapping: { name: 'selectUniqueValue(displayName, externalId)' },
        }),
      ),
    ).toEqual([
      'connectors[0].mapping.login: the provisioning pattern builds login, so selectUniqueValue would never be used: remove the pattern or pick another field',
      'connectors[0].mapping.title: selectUniqueValue checks each candidate by looking accounts up by "title", which Directory cannot do (it looks up by login, email)',
      'connectors[0].mapping.role: lookup "Profile.Name": this directory resolves Role.Name only',
      'connectors[0].groupMapping.name: selectUniqueValue picks user account values; a group mapping cannot use it',
    ]);
    expect(
      problems({ connectors: [{ id: 'p', type: 'plain', mapping: { role: { from: 'roles.value', lookup: 'Profile.Name' } } }] }),
    ).toEqual(['connectors[0].mapping.role: lookup "Profile.Name": Plain target resolves no lookups; map the remote value itself']);
  });
});
