import type { SalesforceEmulator } from '@provisio/emulators';
import type { SalesforceConnector } from '../src/index.js';
import { connectorFor, expectNoSecrets, rejectionOf, startEmulator, userPayload } from './salesforce-fixture.js';

describe('salesforce connector: users against the emulator', () => {
  let emulator: SalesforceEmulator;
  let connector: SalesforceConnector;

  beforeAll(async () => {
    emulator = await startEmulator({ usernamesTakenElsewhere: ['taken@elsewhere.example'] });
    connector = await connectorFor(emulator);
  });
  afterEach(() => emulator.faults.reset());
  afterAll(async () => {
    await connector.close();
    await emulator.close();
  });

  it('creates a user with the mapped fields and the pattern account name as Username, Alias cut to 8', async () => {
    const payload = userPayload(emulator, { Alias: 'averylongalias' }, { accountName: 'ada_primary@provisio.example' });
    const ref = await connector.createUser(payload);
    expect(ref).toEqual({ remoteId: expect.stringMatching(/^005/), remoteName: 'ada_primary@provisio.example' });
    const row = emulator.state.users().find((u) => u['Id'] === ref.remoteId);
    expect(row).toMatchObject({
      Username: 'ada_primary@provisio.example',
      Alias: 'averylon',
      LastName: payload.attributes['LastName'],
      IsActive: true,
    });
  });

  it('finds users by Username and by FederationIdentifier, with quotes escaped', async () => {
    const payload = userPayload(emulator, { Username: "o'brien.x@provisio.example", FederationIdentifier: "fed'1\\x" });
    const ref = await connector.createUser(payload);
    await expect(connector.findUser({ localId: 'x', attributes: { Username: "O'BRIEN.x@provisio.example" } })).resolves.toEqual({
      remoteId: ref.remoteId,
      remoteName: "o'brien.x@provisio.example",
    });
    await expect(connector.findUser({ localId: 'x', attributes: { FederationIdentifier: "fed'1\\x" } })).resolves.toEqual({
      remoteId: ref.remoteId,
      remoteName: "o'brien.x@provisio.example",
    });
    await expect(connector.findUser({ localId: 'x', accountName: "nobody' OR Username != 'x", attributes: {} })).resolves.toBeNull();
    await expect(connector.findUser({ localId: 'x', attributes: {} })).resolves.toBeNull();
  });

  it('updates only the changed fields, then deactivates and reactivates', async () => {
    const payload = userPayload(emulator);
    const ref = await connector.createUser(payload);
    const before = emulator.state.users().find((u) => u['Id'] === ref.remoteId)!;
    await connector.updateUser({ ...payload, remoteId: ref.remoteId, changed: { Title: 'Engineer', FirstName: null } });
    const after = emulator.state.users().find((u) => u['Id'] === ref.remoteId)!;
    expect(after).toMatchObject({ Title: 'Engineer', FirstName: null, LastName: before['LastName'], Email: before['Email'] });

    await expect(connector.deleteUser({ localId: payload.localId, remoteId: ref.remoteId })).resolves.toEqual({ mode: 'deactivated' });
    expect(emulator.state.users().find((u) => u['Id'] === ref.remoteId)?.['IsActive']).toBe(false);
    // Again: already inactive is success.
    await expect(connector.deleteUser({ localId: payload.localId, remoteId: ref.remoteId })).resolves.toEqual({ mode: 'deactivated' });

    await connector.updateUser({ ...payload, remoteId: ref.remoteId, changed: {}, reactivate: true });
    expect(emulator.state.users().find((u) => u['Id'] === ref.remoteId)?.['IsActive']).toBe(true);
  });

  it('treats deactivating a user that does not exist as done', async () => {
    await expect(connector.deleteUser({ localId: 'gone', remoteId: '005000000000001AAA' })).resolves.toBeUndefined();
  });

  it('frees the username on deactivation when configured, and can reuse it', async () => {
    const freeing = await connectorFor(emulator, { deleteMode: 'deactivateAndFreeUsername' });
    const payload = userPayload(emulator);
    const username = String(payload.attributes['Username']);
    const ref = await freeing.createUser(payload);
    await expect(freeing.deleteUser({ localId: payload.localId, remoteId: ref.remoteId })).resolves.toEqual({ mode: 'deactivated' });
    const row = emulator.state.users().find((u) => u['Id'] === ref.remoteId)!;
    expect(row['IsActive']).toBe(false);
    expect(String(row['Username'])).toMatch(new RegExp(`^${username.replace(/\./g, '\\.')}\\.deactivated\\.\\d+$`));
    const again = await freeing.createUser({
      ...userPayload(emulator),
      attributes: { ...userPayload(emulator).attributes, Username: username },
    });
    expect(again.remoteId).not.toBe(ref.remoteId);
    await expect(freeing.deleteUser({ localId: payload.localId, remoteId: ref.remoteId })).resolves.toEqual({ mode: 'deactivated' });
    await freeing.close();
  });

  it('links a duplicate username that belongs to this org', async () => {
    const payload = userPayload(emulator);
    const first = await connector.createUser(payload);
    const error = await rejectionOf(connector.createUser({ ...payload, localId: 'twin' }));
    expect(error.kind).toBe('conflict');
    expect(error.existingRemoteId).toBe(first.remoteId);
  });

  it('fails permanently on a username taken in another org, saying usernames are global', async () => {
    const error = await rejectionOf(connector.createUser(userPayload(emulator, { Username: 'taken@elsewhere.example' })));
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('another Salesforce org');
    expect(error.message).toContain('unique across all Salesforce orgs');
  });

  it('fails permanently on a bad ProfileId, naming the field', async () => {
    const error = await rejectionOf(connector.createUser(userPayload(emulator, { ProfileId: '00e000000000999AAA' })));
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('INVALID_CROSS_REFERENCE_KEY');
    expect(error.message).toContain('ProfileId');
  });

  it('fails permanently on a missing required field, naming it with Salesforce message', async () => {
    const payload = userPayload(emulator);
    delete payload.attributes['LastName'];
    const error = await rejectionOf(connector.createUser(payload));
    expect(error.kind).toBe('permanent');
    expect(error.message).toMatch(/REQUIRED_FIELD_MISSING \(field LastName\).*Required fields are missing: \[LastName\]/);
  });

  it('fails permanently on an invalid field and a bad email', async () => {
    const invalid = await rejectionOf(connector.createUser(userPayload(emulator, { NoSuchField__c: 'x' })));
    expect(invalid.kind).toBe('permanent');
    const email = await rejectionOf(connector.createUser(userPayload(emulator, { Email: 'not-an-email' })));
    expect(email.kind).toBe('permanent');
    expect(email.message).toContain('INVALID_EMAIL_ADDRESS (field Email)');
  });

  it('is transient on REQUEST_LIMIT_EXCEEDED and on 503', async () => {
    emulator.faults.requestLimitExceededAfter(0);
    const limit = await rejectionOf(connector.createUser(userPayload(emulator)));
    expect(limit.kind).toBe('transient');
    expect(limit.remoteCode).toBe('REQUEST_LIMIT_EXCEEDED');
    emulator.faults.reset();

    emulator.faults.failNext(1);
    const unavailable = await rejectionOf(connector.findUser({ localId: 'x', attributes: { Username: 'a@b.example' } }));
    expect(unavailable.kind).toBe('transient');
    expect(unavailable.remoteCode).toBe('SERVER_UNAVAILABLE');
    // jsforce's own retries are off: the 503 reached us once, the pipeline decides when to retry.
    expect(emulator.faults.snapshot().pendingFailures).toBe(0);
  });

  it('honours Retry-After when Salesforce sends one', async () => {
    emulator.faults.failNext(1, 429, { code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' });
    const error = await rejectionOf(connector.createUser(userPayload(emulator)));
    expect(error.kind).toBe('transient');
    // The emulator sends no Retry-After header, so none is invented.
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('sets the password when core passes one, and never echoes it', async () => {
    const payload = userPayload(emulator, {}, { password: 'Secr3tPassw0rd' });
    const ref = await connector.createUser(payload);
    expect(emulator.state.passwordMatches(ref.remoteId, 'Secr3tPassw0rd')).toBe(true);
    await connector.updateUser({ ...payload, remoteId: ref.remoteId, changed: {}, password: 'An0therPassw0rd' });
    expect(emulator.state.passwordMatches(ref.remoteId, 'An0therPassw0rd')).toBe(true);

    const weak = await rejectionOf(connector.updateUser({ ...payload, remoteId: ref.remoteId, changed: {}, password: 'short' }));
    expect(weak.kind).toBe('permanent');
    expect(weak.message).toContain('INVALID_NEW_PASSWORD');
    expect(weak.message).not.toContain('short');
    expectNoSecrets(weak.message);
  });

  it('rejects an over-long Alias when aliasOverflow is reject', async () => {
    const strict = await connectorFor(emulator, { aliasOverflow: 'reject' });
    const error = await rejectionOf(strict.createUser(userPayload(emulator, { Alias: 'ninechars' })));
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('Alias');
    await strict.close();
  });
});
