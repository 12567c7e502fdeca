import type jsforce from 'jsforce';
import type { SalesforceEmulator } from '../../src/salesforce/index.js';
import { API_VERSION, loggedIn, rejectionOf, startFixture } from './emulator-fixture.js';

describe('Salesforce emulator: SOQL through conn.query', () => {
  let emulator: SalesforceEmulator;
  let conn: jsforce.Connection;

  beforeAll(async () => {
    emulator = await startFixture({
      users: [
        { Username: 'ada@provisio.example', LastName: 'Lovelace', Department: 'Math' },
        { Username: 'grace@provisio.example', LastName: 'Hopper', Department: 'Navy', IsActive: false },
        { Username: 'alan@provisio.example', LastName: 'Turing', Department: 'Math' },
      ],
      permissionSets: [{ Name: 'Sales_Ops', Label: 'Sales Ops' }],
    });
    conn = await loggedIn(emulator);
  });
  afterAll(() => emulator.close());

  it('finds a user by username, case-insensitively, in Salesforce result shape', async () => {
    const result = await conn.query<{ Id: string; Username: string; attributes: { type: string; url: string } }>(
      "SELECT Id, Username FROM User WHERE Username = 'ADA@provisio.example'",
    );
    expect(result.totalSize).toBe(1);
    expect(result.done).toBe(true);
    const [record] = result.records;
    expect(record.Username).toBe('ada@provisio.example');
    expect(record.attributes).toEqual({ type: 'User', url: `/services/data/v${API_VERSION}/sobjects/User/${record.Id}` });
  });

  it('supports IN, AND, OR with parentheses, booleans, ORDER BY and LIMIT', async () => {
    const inList = await conn.query<{ LastName: string }>(
      "SELECT LastName FROM User WHERE Username IN ('ada@provisio.example', 'grace@provisio.example') ORDER BY LastName",
    );
    expect(inList.records.map((r) => r.LastName)).toEqual(['Hopper', 'Lovelace']);

    const mixed = await conn.query<{ LastName: string }>(
      "SELECT LastName FROM User WHERE (Department = 'Math' OR Department = 'Navy') AND IsActive = true ORDER BY LastName DESC LIMIT 1",
    );
    expect(mixed.records.map((r) => r.LastName)).toEqual(['Turing']);

    const count = await conn.query("SELECT COUNT() FROM User WHERE Department = 'Math'");
    expect(count.totalSize).toBe(2);
  });

  it('follows a parent relationship', async () => {
    const result = await conn.query<{ Profile: { Name: string } }>(
      "SELECT Id, Profile.Name FROM User WHERE Username = 'ada@provisio.example'",
    );
    expect(result.records[0].Profile.Name).toBe('Standard User');
  });

  it('finds profiles and permission sets by name, with = and IN, ignoring case, as a lookup by name does', async () => {
    const one = await conn.query<{ Id: string; Name: string }>("SELECT Id, Name FROM Profile WHERE Name = 'chatter free user'");
    expect(one.records).toEqual([
      expect.objectContaining({ Id: emulator.state.profileId('Chatter Free User'), Name: 'Chatter Free User' }),
    ]);
    expect(one.records[0].Id).toMatch(/^00e[A-Za-z0-9]{15}$/);

    const several = await conn.query<{ Name: string }>(
      "SELECT Id, Name FROM Profile WHERE Name IN ('Standard User', 'SYSTEM ADMINISTRATOR', 'No Such Profile') ORDER BY Name",
    );
    expect(several.records.map((r) => r.Name)).toEqual(['Standard User', 'System Administrator']);

    const sets = await conn.query<{ Name: string }>("SELECT Id, Name FROM PermissionSet WHERE Name IN ('sales_ops')");
    expect(sets.records.map((r) => r.Name)).toEqual(['Sales_Ops']);
    expect((await conn.query("SELECT Id, Name FROM Profile WHERE Name = 'Chatter Fre User'")).totalSize).toBe(0);
  });

  it('lists assignable permission sets', async () => {
    const result = await conn.query<{ Name: string }>('SELECT Id, Name, Label FROM PermissionSet WHERE IsOwnedByProfile = false');
    expect(result.records.map((r) => r.Name)).toEqual(['Sales_Ops']);
  });

  it.each([
    ['SELECT Id FROM User WHERE', 'MALFORMED_QUERY', 'unexpected token: <EOF>'],
    ["SELECT Id FROM User WHERE Username = 'a' AND Alias = 'b' OR Alias = 'c'", 'MALFORMED_QUERY', "unexpected token: 'OR'"],
    ['DELETE FROM User', 'MALFORMED_QUERY', "unexpected token: 'DELETE'"],
    ['SELECT Nope FROM User', 'INVALID_FIELD', "No such column 'Nope' on entity 'User'"],
    ['SELECT Id FROM Account', 'INVALID_TYPE', "sObject type 'Account' is not supported"],
    [
      "SELECT Id FROM User WHERE IsActive = 'true'",
      'INVALID_QUERY_FILTER_OPERATOR',
      "value of filter criterion for field 'IsActive' must be of type boolean",
    ],
    ["SELECT Id FROM User WHERE Id = 'abc'", 'INVALID_QUERY_FILTER_OPERATOR', 'invalid ID field: abc'],
  ])('rejects %s', async (soql, code, fragment) => {
    const error = await rejectionOf(conn.query(soql));
    expect(error.errorCode).toBe(code);
    expect(error.message).toContain(fragment);
    expect(error.message).toContain('ERROR at Row:1:Column:');
  });

  it('pages large results through nextRecordsUrl', async () => {
    const records: Record<string, string>[] = Array.from({ length: 450 }, (_, i) => ({ Name: `Paging Group ${i}` }));
    for (let i = 0; i < records.length; i += 200) {
      const results = await conn.sobject('Group').create(records.slice(i, i + 200), { allOrNone: true });
      expect(results.every((r) => r.success)).toBe(true);
    }
    const response = await fetch(
      `${conn.instanceUrl}/services/data/v${API_VERSION}/query?q=${encodeURIComponent("SELECT Id FROM Group WHERE Name LIKE 'Paging%'")}`,
      { headers: { Authorization: `Bearer ${conn.accessToken}`, 'Sforce-Query-Options': 'batchSize=200' } },
    );
    const first = (await response.json()) as { totalSize: number; done: boolean; nextRecordsUrl: string; records: unknown[] };
    expect(first).toMatchObject({ totalSize: 450, done: false });
    expect(first.records).toHaveLength(200);
    const ids = new Set(first.records.map((r) => (r as { Id: string }).Id));
    let next: string | undefined = first.nextRecordsUrl;
    for (let page = 0; next && page < 10; page++) {
      const more: { done: boolean; nextRecordsUrl?: string; records: { Id: string }[] } = await conn.request(next);
      more.records.forEach((r) => ids.add(r.Id));
      next = more.nextRecordsUrl;
    }
    expect(next).toBeUndefined();
    expect(ids.size).toBe(450);
  });
});
