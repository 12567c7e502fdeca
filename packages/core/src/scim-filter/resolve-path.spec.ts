import { parsePatchPath } from './filter-parser.js';
import { resolvePath } from './resolve-path.js';
import { ScimFilterError } from './scim-filter-error.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const user = {
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [
    { value: 'babs@jensen.org', type: 'home' },
    { value: 'bjensen@example.com', type: 'work', primary: true },
  ],
  phoneNumbers: [
    { value: '555-555-5555', type: 'work' },
    { value: '555-555-4444', type: 'mobile' },
  ],
  [ENTERPRISE]: { department: 'Tour Operations', manager: { value: 'm1', displayName: 'John Smith' } },
};

describe('parsePatchPath', () => {
  it('parses every PATCH path form', () => {
    expect(parsePatchPath('userName')).toEqual({ path: { attribute: 'userName' } });
    expect(parsePatchPath('name.familyName')).toEqual({ path: { attribute: 'name', subAttribute: 'familyName' } });
    expect(parsePatchPath(`${ENTERPRISE}:manager`)).toEqual({ path: { schema: ENTERPRISE, attribute: 'manager' } });
    expect(parsePatchPath('members[value eq "2819c223"]')).toEqual({
      path: { attribute: 'members' },
      valueFilter: { kind: 'compare', path: { attribute: 'value' }, op: 'eq', value: '2819c223' },
    });
    expect(parsePatchPath('addresses[type eq "work"].streetAddress')).toMatchObject({
      path: { attribute: 'addresses' },
      subAttribute: 'streetAddress',
    });
  });

  it.each([
    ['', 0],
    ['userName eq "x"', 9],
    ['emails[type eq "work"', 21],
    ['emails[type eq "work"].', 22],
    ['emails[type eq "work"].a.b', 22],
    ['name.givenName[type eq "x"]', 14],
    ['emails]', 6],
    ['a.b.c', 0],
  ])('rejects %j with invalidPath at position %d', (text, position) => {
    let caught: unknown;
    try {
      parsePatchPath(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScimFilterError);
    expect((caught as ScimFilterError).scimType).toBe('invalidPath');
    expect((caught as ScimFilterError).position).toBe(position);
  });
});

describe('resolvePath', () => {
  it('reads simple, complex and extension attributes', () => {
    expect(resolvePath(user, 'userName')).toEqual(['bjensen']);
    expect(resolvePath(user, 'name.familyName')).toEqual(['Jensen']);
    expect(resolvePath(user, 'NAME.GIVENNAME')).toEqual(['Barbara']);
    expect(resolvePath(user, `${ENTERPRISE}:department`)).toEqual(['Tour Operations']);
    expect(resolvePath(user, `${ENTERPRISE}:manager.displayName`)).toEqual(['John Smith']);
    expect(resolvePath(user, 'nickName')).toEqual([]);
    expect(resolvePath(user, 'name.middleName')).toEqual([]);
  });

  it('flattens multi-valued attributes in order', () => {
    expect(resolvePath(user, 'emails.value')).toEqual(['babs@jensen.org', 'bjensen@example.com']);
  });

  it('selects values through value filters', () => {
    expect(resolvePath(user, 'emails[primary eq true].value')).toEqual(['bjensen@example.com']);
    expect(resolvePath(user, 'emails[type eq "home"].value')).toEqual(['babs@jensen.org']);
    expect(resolvePath(user, 'phoneNumbers[type eq "mobile"].value')).toEqual(['555-555-4444']);
    expect(resolvePath(user, 'phoneNumbers[type eq "other"].value')).toEqual([]);
    expect(resolvePath(user, 'emails[type eq "work"]')).toEqual([user.emails[1]]);
  });

  it('accepts a parsed path and SCIM 1.1 plain multi-valued attributes', () => {
    const path = parsePatchPath('emails[primary eq true].value');
    expect(resolvePath({ emails: [{ value: 'a@b.c', primary: 'True' }] }, path)).toEqual(['a@b.c']);
    expect(resolvePath({ emails: ['kim@wso2.com'] }, 'emails.value')).toEqual(['kim@wso2.com']);
    expect(resolvePath({ userName: 'x' }, { attribute: 'userName' })).toEqual(['x']);
  });

  it('throws invalidPath on a malformed path', () => {
    expect(() => resolvePath(user, 'emails[type eq')).toThrow(ScimFilterError);
  });
});
