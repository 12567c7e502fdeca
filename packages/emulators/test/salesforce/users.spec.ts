import type jsforce from 'jsforce';
import type { SalesforceEmulator } from '../../src/salesforce/index.js';
import { API_VERSION, loggedIn, rejectionOf, startFixture, userPayload } from './emulator-fixture.js';

describe('Salesforce emulator: User sObject through jsforce', () => {
  let emulator: SalesforceEmulator;
  let conn: jsforce.Connection;

  beforeAll(async () => {
    emulator = await startFixture({ usernamesTakenElsewhere: ['taken@elsewhere.example'] });
    conn = await loggedIn(emulator);
  });
  afterAll(() => emulator.close());

  it('creates, retrieves and updates a user', async () => {
    const payload = userPayload(emulator);
    const created = await conn.sobject('User').create(payload);
    expect(created.success).toBe(true);
    expect(created.id).toMatch(/^005[A-Za-z0-9]{15}$/);

    const fetched = await conn.sobject('User').retrieve(created.id!);
    expect(fetched['Username']).toBe(payload['Username']);
    expect(fetched['Name']).toBe(`Test ${String(payload['LastName'])}`);
    expect(fetched['IsActive']).toBe(true);
    expect(fetched.attributes).toEqual({ type: 'User', url: `/services/data/v${API_VERSION}/sobjects/User/${created.id}` });

    const updated = await conn.sobject('User').update({ Id: created.id!, Title: 'Engineer', IsActive: false });
    expect(updated).toEqual({ id: created.id, success: true, errors: [] });
    expect(emulator.state.userByUsername(String(payload['Username']))).toMatchObject({ Title: 'Engineer', IsActive: false });
  });

  it('lists every missing required field', async () => {
    const error = await rejectionOf(conn.sobject('User').create({ Username: 'nofields@provisio.example' }));
    expect(error.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(error.message).toBe(
      'Required fields are missing: [LastName, Email, Alias, TimeZoneSidKey, LocaleSidKey, EmailEncodingKey, ProfileId, LanguageLocaleKey]',
    );
    expect(error.data).toMatchObject({
      fields: ['LastName', 'Email', 'Alias', 'TimeZoneSidKey', 'LocaleSidKey', 'EmailEncodingKey', 'ProfileId', 'LanguageLocaleKey'],
    });
  });

  it.each([
    [{ Alias: 'waytoolong' }, 'STRING_TOO_LONG', 'Alias: data value too large: waytoolong (max length=8)', ['Alias']],
    [
      { Username: 'not-an-email' },
      'FIELD_INTEGRITY_EXCEPTION',
      'Username must be in the form of an email address (for example, john@acme.com): Username',
      ['Username'],
    ],
    [{ Email: 'nope' }, 'INVALID_EMAIL_ADDRESS', 'Email: invalid email address: nope', ['Email']],
    [
      { TimeZoneSidKey: 'Mars/Olympus' },
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'Time Zone: bad value for restricted picklist field: Mars/Olympus',
      ['TimeZoneSidKey'],
    ],
    [
      { LanguageLocaleKey: 'xx_YY' },
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'Language: bad value for restricted picklist field: xx_YY',
      ['LanguageLocaleKey'],
    ],
    [{ ProfileId: 'abc' }, 'MALFORMED_ID', 'Profile ID: id value of incorrect type: abc', ['ProfileId']],
    [{ Name: 'Full Name' }, 'INVALID_FIELD_FOR_INSERT_UPDATE', expect.stringContaining('Unable to create/update fields: Name.'), ['Name']],
  ])('rejects %j with %s', async (override, code, message, fields) => {
    const error = await rejectionOf(conn.sobject('User').create(userPayload(emulator, override)));
    expect(error.errorCode).toBe(code);
    expect(error.message).toEqual(message);
    expect(error.data).toMatchObject({ errorCode: code, fields });
  });

  it.each([
    ['a profile id that does not exist', { ProfileId: '00eDn0000000zzz' }, { errorCode: 'INVALID_CROSS_REFERENCE_KEY' }],
    [
      'an unknown field for the whole request',
      { Nickname__x: 'x' },
      { errorCode: 'INVALID_FIELD', message: "No such column 'Nickname__x' on sobject of type User" },
    ],
    ['a non-boolean for a UserPermissions flag', { UserPermissionsMarketingUser: 'yes' }, { errorCode: 'JSON_PARSER_ERROR' }],
  ])('rejects %s', async (_what, override, expected) => {
    const error = await rejectionOf(conn.sobject('User').create(userPayload(emulator, override)));
    expect(error).toMatchObject(expected);
  });

  it('keeps usernames unique across this and other orgs', async () => {
    const elsewhere = await rejectionOf(conn.sobject('User').create(userPayload(emulator, { Username: 'TAKEN@elsewhere.example' })));
    expect(elsewhere.errorCode).toBe('DUPLICATE_USERNAME');
    expect(elsewhere.data).toMatchObject({ fields: ['Username'] });
    expect(elsewhere.message).toContain('The username already exists in this or another Salesforce organization');

    const first = userPayload(emulator);
    await conn.sobject('User').create(first);
    const again = await rejectionOf(conn.sobject('User').create(userPayload(emulator, { Username: first['Username'] })));
    expect(again.errorCode).toBe('DUPLICATE_USERNAME');
  });

  it('refuses to delete users (they are deactivated instead)', async () => {
    const created = await conn.sobject('User').create(userPayload(emulator));
    const error = await rejectionOf(conn.sobject('User').destroy(created.id!));
    expect(error.errorCode).toBe('METHOD_NOT_ALLOWED');
    expect(error.message).toBe("HTTP Method 'DELETE' not allowed. Allowed are GET,HEAD,PATCH");
    expect(emulator.state.users().some((u) => u['Id'] === created.id)).toBe(true);
  });

  it('answers 404 NOT_FOUND for an unknown user id', async () => {
    const error = await rejectionOf(conn.sobject('User').retrieve('005Dn0000000zzz'));
    expect(error.errorCode).toBe('NOT_FOUND');
  });

  it('sets a password through the password resource and enforces the policy', async () => {
    const created = await conn.sobject('User').create(userPayload(emulator));
    const url = `/services/data/v${API_VERSION}/sobjects/User/${created.id}/password`;
    await conn.request({
      method: 'POST',
      url,
      body: JSON.stringify({ NewPassword: 'n3wSecret99' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(emulator.state.passwordSetEvents()).toEqual([expect.objectContaining({ userId: created.id, kind: 'set' })]);
    expect(emulator.state.passwordMatches(created.id!, 'n3wSecret99')).toBe(true);
    expect(JSON.stringify(emulator.state.snapshot())).not.toContain('n3wSecret99');

    const weak = await rejectionOf(
      conn.request({
        method: 'POST',
        url,
        body: JSON.stringify({ NewPassword: 'short' }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(weak.errorCode).toBe('INVALID_NEW_PASSWORD');
  });

  it('describes the User sObject', async () => {
    const describe = await conn.sobject('User').describe();
    expect(describe.name).toBe('User');
    expect(describe.deletable).toBe(false);
    const alias = describe.fields.find((f) => f.name === 'Alias');
    expect(alias).toMatchObject({ length: 8, createable: true, nillable: false });
  });
});
