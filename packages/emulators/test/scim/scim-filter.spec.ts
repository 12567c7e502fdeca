import { startScimEmulator, type JsonObject, type ScimEmulator } from '../../src/scim/index.js';
import { call, ENTERPRISE, expectScimError, group, user, USER_SCHEMA } from './scim-http.js';

describe('SCIM 2.0 filtering, sorting and paging', () => {
  let emu: ScimEmulator;
  const ids: Record<string, string> = {};

  const names = async (filter: string, extra = ''): Promise<string[]> => {
    const res = await call('GET', `${emu.baseUrl2}/Users?filter=${encodeURIComponent(filter)}${extra}`);
    expect(res.status).toBe(200);
    return (res.body['Resources'] as JsonObject[]).map((r) => r['userName'] as string).sort();
  };

  beforeAll(async () => {
    emu = await startScimEmulator({ maxResults: 3 });
    const seed: JsonObject[] = [
      user('bjensen', {
        name: { familyName: 'Jensen', givenName: 'Barbara' },
        title: 'Tour Guide',
        active: true,
        emails: [
          { value: 'bjensen@example.com', type: 'work', primary: true },
          { value: 'babs@home.org', type: 'home' },
        ],
      }),
      user('jsmith', {
        name: { familyName: 'Smith', givenName: 'John' },
        active: false,
        emails: [{ value: 'jsmith@example.org', type: 'work' }],
      }),
      user('Alice.Wong', {
        name: { familyName: 'Wong' },
        active: true,
        userType: 'Employee',
        emails: [{ value: 'alice@example.com', type: 'home' }],
      }),
      { schemas: [USER_SCHEMA, ENTERPRISE], userName: 'zed', active: true, [ENTERPRISE]: { department: 'Sales', employeeNumber: '42' } },
    ];
    for (const body of seed) {
      const res = await call('POST', `${emu.baseUrl2}/Users`, body);
      ids[body['userName'] as string] = res.body['id'] as string;
    }
    const g = await call('POST', `${emu.baseUrl2}/Groups`, group('Sales', { members: [{ value: ids['zed'] }] }));
    expect(g.status).toBe(201);
  });
  afterAll(() => emu.close());

  it('supports every comparison operator', async () => {
    expect(await names('userName eq "bjensen"')).toEqual(['bjensen']);
    expect(await names('userName ne "bjensen"')).toEqual(['Alice.Wong', 'jsmith', 'zed']);
    expect(await names('name.familyName co "en"')).toEqual(['bjensen']);
    expect(await names('userName sw "j"')).toEqual(['jsmith']);
    expect(await names('userName ew "wong"')).toEqual(['Alice.Wong']);
    expect(await names('title pr')).toEqual(['bjensen']);
    expect(await names('userName gt "jsmith"')).toEqual(['zed']);
    expect(await names('userName ge "jsmith"')).toEqual(['jsmith', 'zed']);
    expect(await names('userName lt "b"')).toEqual(['Alice.Wong']);
    expect(await names('userName le "bjensen"')).toEqual(['Alice.Wong', 'bjensen']);
  });

  it('treats userName case-insensitively (caseExact false) and attribute names and operators too', async () => {
    expect(await names('USERNAME EQ "BJensen"')).toEqual(['bjensen']);
    expect(await names(`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "jsmith"`)).toEqual(['jsmith']);
  });

  it('combines with and/or/not and grouping, and binds "and" tighter than "or"', async () => {
    expect(await names('active eq true and userName sw "b"')).toEqual(['bjensen']);
    expect(await names('userName eq "zed" or userName eq "jsmith" and active eq true')).toEqual(['zed']);
    expect(await names('(userName eq "zed" or userName eq "jsmith") and active eq false')).toEqual(['jsmith']);
    expect(await names('not (active eq true)')).toEqual(['jsmith']);
    expect(await names('userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")')).toEqual(['Alice.Wong']);
  });

  it('matches multi-valued attributes, value paths and extension attributes', async () => {
    expect(await names('emails[type eq "work" and value co "@example.com"]')).toEqual(['bjensen']);
    expect(await names('emails[type eq "home"]')).toEqual(['Alice.Wong', 'bjensen']);
    expect(await names('emails[not (type eq "work")]')).toEqual(['Alice.Wong', 'bjensen']);
    expect(await names('emails.value ew ".org"')).toEqual(['bjensen', 'jsmith']);
    expect(await names(`${ENTERPRISE}:department eq "sales"`)).toEqual(['zed']);
    const sales = emu.state.findGroupByDisplayName('sales')!;
    expect(await names(`groups.value eq "${String(sales['id'])}"`)).toEqual(['zed']);
  });

  it('compares dateTime attributes chronologically', async () => {
    const after = await call('GET', `${emu.baseUrl2}/Users?filter=${encodeURIComponent('meta.created gt "2000-01-01T00:00:00Z"')}`);
    expect(after.body['totalResults']).toBe(4);
    expect(await names('meta.lastModified lt "2000-01-01T00:00:00Z"')).toEqual([]);
  });

  it('rejects bad filters with 400 invalidFilter', async () => {
    const bad = [
      'userName eq bjensen', // unquoted string
      'userName eq "x" and', // dangling
      'nosuch eq "x"', // unknown attribute
      'active eq "true"', // boolean compared with a string
      'active gt true', // ordering on boolean
      'name eq "x"', // singular complex without sub-attribute
      'userName xx "x"', // unknown operator
      '(userName eq "x"', // unbalanced
      'emails[type eq "work"', // unbalanced value path
      'emails[type eq "work"].value eq "x"', // not in the filter grammar
      'emails[type[value eq "x"]]', // nested value path
      'userName eq "unterminated',
      '',
    ];
    for (const f of bad) {
      const res = await call('GET', `${emu.baseUrl2}/Users?filter=${encodeURIComponent(f)}`);
      expectScimError(res, 400, 'invalidFilter');
    }
  });

  it('pages with startIndex/count, caps count at maxResults and reports totalResults', async () => {
    const page = await call('GET', `${emu.baseUrl2}/Users?sortBy=userName&startIndex=2&count=2`);
    expect(page.body).toMatchObject({
      totalResults: 4,
      itemsPerPage: 2,
      startIndex: 2,
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    });
    expect((page.body['Resources'] as JsonObject[]).map((r) => r['userName'])).toEqual(['bjensen', 'jsmith']);
    const capped = await call('GET', `${emu.baseUrl2}/Users?count=100`);
    expect(capped.body['itemsPerPage']).toBe(3);
    const zero = await call('GET', `${emu.baseUrl2}/Users?count=0`);
    expect(zero.body).toMatchObject({ totalResults: 4, itemsPerPage: 0, Resources: [] });
    const low = await call('GET', `${emu.baseUrl2}/Users?startIndex=-5&count=1&sortBy=userName`);
    expect(low.body['startIndex']).toBe(1);
    expectScimError(await call('GET', `${emu.baseUrl2}/Users?count=abc`), 400, 'invalidValue');
  });

  it('sorts ascending and descending', async () => {
    const desc = await call('GET', `${emu.baseUrl2}/Users?sortBy=userName&sortOrder=descending`);
    expect((desc.body['Resources'] as JsonObject[]).map((r) => r['userName'])).toEqual(['zed', 'jsmith', 'bjensen']);
    expectScimError(await call('GET', `${emu.baseUrl2}/Users?sortBy=userName&sortOrder=sideways`), 400, 'invalidValue');
  });

  it('searches with POST /.search on a type and at the root', async () => {
    const body = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'userName sw "j"',
      attributes: ['userName'],
      startIndex: 1,
      count: 10,
    };
    const typed = await call('POST', `${emu.baseUrl2}/Users/.search`, body);
    expect(typed.status).toBe(200);
    expect(typed.body['Resources']).toEqual([{ schemas: [USER_SCHEMA], id: ids['jsmith'], userName: 'jsmith' }]);
    const root = await call('POST', `${emu.baseUrl2}/.search`, {
      ...body,
      filter: 'displayName eq "Sales" or userName eq "zed"',
      attributes: null,
    });
    expect(root.body['totalResults']).toBe(2);
    expectScimError(await call('POST', `${emu.baseUrl2}/Users/.search`, { filter: 'userName pr' }), 400, 'invalidSyntax');
    expectScimError(await call('POST', `${emu.baseUrl2}/.search`, { ...body, filter: 'nosuch pr' }), 400, 'invalidFilter');
  });
});
