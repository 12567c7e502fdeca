import { compileMapping, type MappingRuleSpec } from './compile-mapping.js';
import { MappingError } from './mapping-error.js';
import { PROVISIO_WSO2_EXTENSION_SCHEMA } from './wso2-claims.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const claim = (name: string): string => `http://wso2.org/claims/${name}`;

/** The Salesforce claim mapping and "advanced claim configuration" defaults of WSO2's guide. */
const salesforceMapping: Record<string, MappingRuleSpec> = {
  Alias: { from: claim('givenname'), default: 'Samuel', transform: 'truncate(8)' },
  Email: { from: claim('emailaddress'), default: 'samuel@wso2.com' },
  EmailEncodingKey: { from: claim('otherphone'), default: 'UTF-8' },
  LanguageLocaleKey: { from: claim('dob'), default: 'en_US' },
  LastName: { from: claim('lastname'), default: 'Gnaniah' },
  LocaleSidKey: { from: claim('primaryChallengeQuestion'), default: 'en_US' },
  ProfileId: { from: claim('role'), default: '00e90000001aV2o' },
  TimeZoneSidKey: { from: claim('challengeQuestion1'), default: 'America/Los_Angeles' },
  UserPermissionsCallCenterAutoLogin: { from: claim('telephone'), default: 'false', transform: 'boolean' },
  UserPermissionsMarketingUser: { from: claim('mobile'), default: 'false', transform: 'boolean' },
  UserPermissionsOfflineUser: { from: claim('country'), default: 'false', transform: 'boolean' },
  Username: { from: claim('emailaddress'), default: 'samuel@wso2.com' },
};

function compileError(rules: Record<string, MappingRuleSpec>): MappingError {
  try {
    compileMapping(rules);
  } catch (error) {
    if (error instanceof MappingError) return error;
    throw error;
  }
  throw new Error('expected a MappingError');
}

describe('compileMapping: the Salesforce guide', () => {
  const mapping = compileMapping(salesforceMapping);

  it('gives a user with few attributes the defaults', () => {
    expect(mapping.apply({ userName: 'kim' })).toEqual({
      Alias: 'Samuel',
      Email: 'samuel@wso2.com',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      LastName: 'Gnaniah',
      LocaleSidKey: 'en_US',
      ProfileId: '00e90000001aV2o',
      TimeZoneSidKey: 'America/Los_Angeles',
      UserPermissionsCallCenterAutoLogin: false,
      UserPermissionsMarketingUser: false,
      UserPermissionsOfflineUser: false,
      Username: 'samuel@wso2.com',
    });
  });

  it('gives a full user its own values, booleans coerced and the alias truncated', () => {
    const user = {
      userName: 'kim',
      name: { givenName: 'Kimberley', familyName: 'Paul' },
      emails: [
        { value: 'kim.home@example.org', type: 'home' },
        { value: 'kim@wso2.com', type: 'work', primary: true },
      ],
      phoneNumbers: [
        { value: 'True', type: 'work' },
        { value: '0', type: 'mobile' },
        { value: 'ISO-8859-1', type: 'other' },
      ],
      addresses: [{ country: 'TRUE', type: 'work' }],
      roles: [{ value: '00e2x000001AT3y' }],
      [PROVISIO_WSO2_EXTENSION_SCHEMA]: {
        dob: 'fr_FR',
        primaryChallengeQuestion: 'fr_FR',
        challengeQuestion1: 'Europe/Paris',
      },
    };
    expect(mapping.apply(user)).toEqual({
      Alias: 'Kimberle',
      Email: 'kim@wso2.com',
      EmailEncodingKey: 'ISO-8859-1',
      LanguageLocaleKey: 'fr_FR',
      LastName: 'Paul',
      LocaleSidKey: 'fr_FR',
      ProfileId: '00e2x000001AT3y',
      TimeZoneSidKey: 'Europe/Paris',
      UserPermissionsCallCenterAutoLogin: true,
      UserPermissionsMarketingUser: false,
      UserPermissionsOfflineUser: true,
      Username: 'kim@wso2.com',
    });
  });

  it('lists the remote fields in manifest order', () => {
    expect(mapping.fields[0]).toBe('Alias');
    expect(mapping.fields).toHaveLength(12);
  });
});

describe('compileMapping', () => {
  it('maps the Google connector claims', () => {
    const google = compileMapping({
      primaryEmail: claim('emailaddress'),
      'name.givenName': claim('givenname'),
      'name.familyName': claim('lastname'),
    });
    expect(google.apply({ userName: 'x', emails: ['kim@wso2.com'], name: { givenName: 'Kim', familyName: 'Paul' } })).toEqual({
      primaryEmail: 'kim@wso2.com',
      'name.givenName': 'Kim',
      'name.familyName': 'Paul',
    });
  });

  it('maps the SCIM 1.1 curl user of the guide: entitlements carry the ProfileId', () => {
    // {"userName":"kim@wso2.com","name":{"familyName":"paul"},"emails":["kim@wso2.com"],
    //  "entitlements":[{"value":"00e2x000001AT3y","display":"ChatterFreeUser"}]}
    const curlUser = {
      schemas: ['urn:scim:schemas:core:1.0'],
      userName: 'kim@wso2.com',
      name: { familyName: 'paul' },
      emails: ['kim@wso2.com'],
      entitlements: [{ value: '00e2x000001AT3y', display: 'ChatterFreeUser' }],
    };
    const mapping = compileMapping({
      ProfileId: { from: claim('entitlements'), default: '00e90000001aV2o' },
      ProfileName: 'entitlements.display',
      Email: claim('emailaddress'),
      LastName: claim('lastname'),
    });
    expect(mapping.apply(curlUser)).toEqual({
      ProfileId: '00e2x000001AT3y',
      ProfileName: 'ChatterFreeUser',
      Email: 'kim@wso2.com',
      LastName: 'paul',
    });
  });

  it('reads enterprise attributes by claim or by URN path', () => {
    const mapping = compileMapping({
      Department: claim('department'),
      Division: `${ENTERPRISE}:division`,
      EmployeeNumber: { from: claim('employeeNumber'), transform: 'number' },
      CompanyName: { from: claim('organization'), transform: ['upper', 'trim'] },
    });
    expect(
      mapping.apply({
        userName: 'x',
        [ENTERPRISE]: { department: 'Sales', division: 'EMEA', employeeNumber: '0701', organization: ' acme ' },
      }),
    ).toEqual({
      Department: 'Sales',
      Division: 'EMEA',
      EmployeeNumber: 701,
      CompanyName: 'ACME',
    });
  });

  it('reads paths with value filters and takes the first value of multi-valued attributes', () => {
    const mapping = compileMapping({
      Work: 'emails[type eq "work"].value',
      First: 'emails.value',
      Phone: 'phoneNumbers[type eq "mobile" and value pr].value',
    });
    const user = {
      emails: [
        { value: 'a@x', type: 'home' },
        { value: 'b@x', type: 'work' },
      ],
      phoneNumbers: [{ type: 'mobile', value: '' }],
    };
    expect(mapping.apply(user)).toEqual({ Work: 'b@x', First: 'a@x' });
  });

  it('leaves out fields with neither value nor default, and treats "" and null as missing', () => {
    const mapping = compileMapping({ Title: 'title', Nick: { from: 'nickName', default: 'none' } });
    expect(mapping.apply({ title: '', nickName: null })).toEqual({ Nick: 'none' });
    expect(mapping.apply({ title: 'Dr' })).toEqual({ Title: 'Dr', Nick: 'none' });
    expect(compileMapping({ Constant: { default: 42 } }).apply({})).toEqual({ Constant: 42 });
  });

  it('applies transforms in order', () => {
    const apply = (transform: string | string[], value: unknown): unknown =>
      compileMapping({ F: { from: 'v', transform } }).apply({ v: value }).F;
    expect(apply('lower', 'MiXeD')).toBe('mixed');
    expect(apply('upper', 'MiXeD')).toBe('MIXED');
    expect(apply('trim', '  x  ')).toBe('x');
    expect(apply('truncate(3)', 'abcdef')).toBe('abc');
    expect(apply('truncate(3)', 'ab')).toBe('ab');
    expect(apply('truncate(2)', '😀😀😀')).toBe('😀😀');
    expect(apply('replace(., _)', 'j.doe.x')).toBe('j_doe_x');
    expect(apply('replace(", ", ";")', 'a, b, c')).toBe('a;b;c');
    expect(apply("replace('\\'', '')", "O'Malley")).toBe('OMalley');
    expect(apply('prefix("sf-")', 'kim')).toBe('sf-kim');
    expect(apply('suffix(@example.com)', 'kim')).toBe('kim@example.com');
    expect(apply(['trim', 'lower', 'replace(" ", .)', 'truncate(8)'], '  John Ronald Doe ')).toBe('john.ron');
    expect(apply('string', 42)).toBe('42');
    expect(apply('upper', 42)).toBe('42');
    expect(apply('number', '3.5')).toBe(3.5);
    expect(apply('number', 'n/a')).toBe('n/a');
    expect(apply('lower()', 'A')).toBe('a');
  });

  it('coerces booleans from strings, numbers and booleans, and leaves anything else for the connector to reject', () => {
    const coerce = (value: unknown): unknown => compileMapping({ F: { from: 'v', transform: 'boolean' } }).apply({ v: value }).F;
    expect(['true', 'True', 'TRUE', ' false ', 'False', '1', '0', 1, 0, true, false].map(coerce)).toEqual([
      true,
      true,
      true,
      false,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
    expect(coerce('yes')).toBe('yes');
    expect(coerce(2)).toBe(2);
  });

  it('builds values with concat, skipping absent parts', () => {
    const mapping = compileMapping({
      FullName: { from: 'concat(name.givenName, " ", name.familyName)', transform: 'trim' },
      Label: `concat(${claim('lastname')}, ', ', emails[type eq "work"].value)`,
      Fallback: { from: 'concat(nickName, "-", title)', default: 'anonymous' },
    });
    expect(mapping.apply({ name: { givenName: 'Kim', familyName: 'Paul' }, emails: [{ type: 'work', value: 'k@x' }] })).toEqual({
      FullName: 'Kim Paul',
      Label: 'Paul, k@x',
      Fallback: 'anonymous',
    });
    expect(mapping.apply({ name: { familyName: 'Paul' } })).toEqual({ FullName: 'Paul', Label: 'Paul, ', Fallback: 'anonymous' });
  });

  it('reports every broken field with its name and the fix', () => {
    const error = compileError({
      Alias: { from: claim('givenname'), transform: 'trunc(8)' },
      Email: claim('emailadress'),
      Other: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
      Path: 'emails[type eq',
      Cut: { from: 'userName', transform: 'truncate(eight)' },
      Swap: { from: 'userName', transform: 'replace(a)' },
      Nothing: {},
      Joined: 'concat(name.givenName, " "',
      Blank: { from: 'userName', transform: 'replace( , .)' },
      Proto: { from: 'userName', transform: 'constructor' },
    });
    const messages = Object.fromEntries(error.issues.map((issue) => [issue.field, issue.message]));
    expect(messages['mapping.Alias']).toBe(
      'unknown transform "trunc(8)"; known: lower, upper, trim, truncate(n), replace(a,b), prefix(s), suffix(s), boolean, number, string',
    );
    expect(messages['mapping.Email']).toMatch(
      /^unknown WSO2 claim "http:\/\/wso2.org\/claims\/emailadress"; nearest known: http:\/\/wso2.org\/claims\/emailaddress/,
    );
    expect(messages['mapping.Other']).toMatch(/neither a WSO2 local claim URI/);
    expect(messages['mapping.Path']).toMatch(/^invalid attribute path "emails\[type eq": .*position 14/);
    expect(messages['mapping.Cut']).toMatch(/whole number/);
    expect(messages['mapping.Swap']).toBe('transform "replace(a)" takes 2 arguments: replace(a,b)');
    expect(messages['mapping.Nothing']).toBe('give from, default, or both');
    expect(messages['mapping.Joined']).toMatch(/missing "\)"/);
    expect(messages['mapping.Blank']).toBe(
      'invalid transform "replace( , .)": empty argument (quote arguments that are spaces or hold commas)',
    );
    expect(messages['mapping.Proto']).toMatch(/^unknown transform "constructor"/);
    expect(error.message.split('\n')).toHaveLength(10);
    expect(() => compileMapping({ X: 'userName' }, { label: 'groupMapping' })).not.toThrow();
    expect(() => compileMapping({ X: 'bad path!' }, { label: 'groupMapping' })).toThrow(/^groupMapping\.X: /);
  });

  it('accepts an absent or empty mapping', () => {
    expect(compileMapping().apply({ userName: 'x' })).toEqual({});
    expect(compileMapping({}).fields).toEqual([]);
  });
});
