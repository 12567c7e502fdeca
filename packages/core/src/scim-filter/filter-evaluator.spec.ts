import { matchesFilter } from './filter-evaluator.js';
import { parseFilter } from './filter-parser.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const barbara = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'BJensen-Ext',
  userName: 'bjensen@example.com',
  name: { familyName: 'Jensen', givenName: 'Barbara', middleName: '' },
  title: 'Tour Guide',
  userType: 'Employee',
  active: true,
  loginCount: 42,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  phoneNumbers: [],
  groups: [{ value: 'g1', display: 'Sales', $ref: 'https://example.com/v2/Groups/g1' }],
  [ENTERPRISE]: { department: 'Tour Operations', employeeNumber: '701984' },
  meta: { created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z', version: 'W/"3694e05e9dff591"' },
};

function matches(filter: string, resource: object = barbara, caseExactAttributes?: string[]): boolean {
  return matchesFilter(resource, parseFilter(filter), caseExactAttributes ? { caseExactAttributes } : {});
}

describe('matchesFilter', () => {
  it.each([
    ['userName eq "bjensen@example.com"', true],
    ['userName eq "BJensen@Example.com"', true],
    ['userName eq "someone"', false],
    ['userName ne "someone"', true],
    ['userName ne "BJENSEN@example.com"', false],
    ['title co "our g"', true],
    ['title co "guides"', false],
    ['title sw "tour"', true],
    ['title sw "guide"', false],
    ['title ew "GUIDE"', true],
    ['title ew "tour"', false],
    ['name.familyName gt "Iverson"', true],
    ['name.familyName gt "Jensen"', false],
    ['name.familyName ge "jensen"', true],
    ['name.familyName lt "K"', true],
    ['name.familyName lt "jensen"', false],
    ['name.familyName le "JENSEN"', true],
    ['loginCount gt 41', true],
    ['loginCount gt 42', false],
    ['loginCount ge 42', true],
    ['loginCount lt 100', true],
    ['loginCount le 41', false],
    ['loginCount eq 42', true],
    ['loginCount ne 42', false],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it('compares numbers numerically, not as strings', () => {
    expect(matches('loginCount gt 9')).toBe(true);
    expect(matches('loginCount lt 100', { loginCount: '42' })).toBe(true);
  });

  it('treats attribute names case-insensitively, including schema URNs', () => {
    expect(matches('USERNAME eq "bjensen@example.com"')).toBe(true);
    expect(matches('Name.FamilyName eq "jensen"')).toBe(true);
    expect(matches(`${ENTERPRISE.toLowerCase()}:DEPARTMENT eq "tour operations"`)).toBe(true);
  });

  it('reads enterprise and core URN paths', () => {
    expect(matches(`${ENTERPRISE}:department eq "Tour Operations"`)).toBe(true);
    expect(matches(`${ENTERPRISE}:employeeNumber eq "701984"`)).toBe(true);
    expect(matches(`${ENTERPRISE}:department eq "Tour Operations"`, { userName: 'x', department: 'Tour Operations' })).toBe(false);
    expect(matches('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "bjensen"')).toBe(true);
    expect(matches('urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "barbara"')).toBe(true);
  });

  it('matches multi-valued attributes when any value matches', () => {
    expect(matches('emails.value ew "jensen.org"')).toBe(true);
    expect(matches('emails.type eq "home"')).toBe(true);
    expect(matches('emails co "jensen.org"')).toBe(true); // complex values compare by their "value"
    expect(matches('groups.display eq "sales"')).toBe(true);
    expect(matches('emails.type ne "home"')).toBe(false); // ne is "not eq": one home email is enough to fail
    expect(matches('schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"')).toBe(true);
  });

  it('evaluates value paths against each value', () => {
    expect(matches('emails[type eq "work" and value co "@example.com"]')).toBe(true);
    expect(matches('emails[type eq "home" and value co "@example.com"]')).toBe(false);
    expect(matches('emails[primary eq true]')).toBe(true);
    expect(matches('emails[not (primary pr)]')).toBe(true);
    expect(matches('phoneNumbers[type eq "work"]')).toBe(false);
    expect(matches('emails[value eq "kim@wso2.com"]', { emails: ['kim@wso2.com'] })).toBe(true); // SCIM 1.1 plain values
  });

  it('applies pr to null, empty strings, arrays and objects', () => {
    expect(matches('title pr')).toBe(true);
    expect(matches('nickName pr')).toBe(false);
    expect(matches('name.middleName pr')).toBe(false);
    expect(matches('phoneNumbers pr')).toBe(false);
    expect(matches('emails pr')).toBe(true);
    expect(matches('x pr', { x: null })).toBe(false);
    expect(matches('x pr', { x: {} })).toBe(false);
    expect(matches('x pr', { x: [null, ''] })).toBe(false);
    expect(matches('x pr', { x: false })).toBe(true);
    expect(matches('x pr', { x: 0 })).toBe(true);
  });

  it('treats eq null as absent and ne null as present', () => {
    expect(matches('nickName eq null')).toBe(true);
    expect(matches('title eq null')).toBe(false);
    expect(matches('title ne null')).toBe(true);
  });

  it('compares booleans, accepting Entra ID style "True"/"False" strings on either side', () => {
    expect(matches('active eq true')).toBe(true);
    expect(matches('active eq false')).toBe(false);
    expect(matches('active ne false')).toBe(true);
    expect(matches('active eq "True"')).toBe(true);
    expect(matches('active eq "false"')).toBe(false);
    expect(matches('active eq true', { active: 'True' })).toBe(true);
    expect(matches('active eq false', { active: 'False' })).toBe(true);
    expect(matches('active eq true', { active: 'yes' })).toBe(false);
  });

  it('compares dateTimes chronologically', () => {
    expect(matches('meta.lastModified gt "2011-05-13T04:42:33Z"')).toBe(true);
    expect(matches('meta.lastModified gt "2011-05-13T04:42:34Z"')).toBe(false);
    expect(matches('meta.lastModified eq "2011-05-13T04:42:34.000Z"')).toBe(true);
    // 06:42 at +02:00 is 04:42Z: equal in time, though not as text.
    expect(matches('meta.lastModified ge "2011-05-13T06:42:34+02:00"')).toBe(true);
    expect(matches('meta.created lt "2011-01-01T00:00:00Z" and meta.lastModified ge "2011-01-01T00:00:00Z"')).toBe(true);
  });

  it('respects caseExact attributes', () => {
    expect(matches('id eq "2819C223-7F76-453A-919D-413861904646"')).toBe(false);
    expect(matches('id eq "2819c223-7f76-453a-919d-413861904646"')).toBe(true);
    expect(matches('externalId eq "bjensen-ext"')).toBe(false);
    expect(matches('meta.version eq "w/\\"3694e05e9dff591\\""')).toBe(false);
    expect(matches('groups.$ref co "/groups/"')).toBe(false);
    expect(matches('userName eq "BJENSEN@EXAMPLE.COM"', barbara, ['userName'])).toBe(false);
    expect(matches('externalId eq "bjensen-ext"', barbara, ['userName'])).toBe(true);
    expect(matches('emails[value eq "BJENSEN@example.com"]', barbara, ['emails.value'])).toBe(false);
  });

  it('combines and, or, not', () => {
    expect(matches('userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")')).toBe(true);
    expect(matches('userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")')).toBe(false);
    expect(matches('not (title pr) or active eq true')).toBe(true);
    expect(matches('title pr and not (active eq true)')).toBe(false);
  });

  it('does not read inherited properties', () => {
    expect(matches('constructor pr', {})).toBe(false);
    expect(matches('hasOwnProperty pr', Object.create({ hasOwnProperty: 'x' }) as object)).toBe(false);
  });
});
