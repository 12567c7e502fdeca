import { MASK } from '@provisio/core';
import type { SalesforceEmulator } from '@provisio/emulators';
import type { SalesforceConnector } from '../src/index.js';
import { API_VERSION, connectorFor, startEmulator, userPayload } from './salesforce-fixture.js';

/** previewUser: the requests createUser/updateUser send, from the same mapper functions, password masked. */
describe('salesforce previewUser', () => {
  let emulator: SalesforceEmulator;
  let connector: SalesforceConnector;

  beforeAll(async () => {
    emulator = await startEmulator();
    connector = await connectorFor(emulator);
  });
  afterAll(async () => {
    await connector?.close();
    await emulator?.close();
  });

  it('previews the User record createUser then writes, and the password call with the password masked', async () => {
    const payload = userPayload(emulator, { Alias: 'a-very-long-alias' }, { password: 'Preview-Pa55word' });
    const [create, password] = await connector.previewUser({ kind: 'create', payload });
    expect(create).toMatchObject({ method: 'POST', path: `/services/data/${API_VERSION}/sobjects/User` });
    expect(password).toEqual({
      operation: 'set the password of User {new User Id}',
      method: 'POST',
      path: `/services/data/${API_VERSION}/sobjects/User/{new User Id}/password`,
      body: { NewPassword: MASK },
    });
    expect(JSON.stringify([create, password])).not.toContain('Preview-Pa55word');
    const record = create.body as Record<string, unknown>;
    expect(record['Alias']).toBe('a-very-l');
    expect(emulator.state.userByUsername(payload.attributes['Username'] as string)).toBeUndefined();

    await connector.createUser(payload);
    expect(emulator.state.userByUsername(payload.attributes['Username'] as string)).toMatchObject(record);
  });

  it('previews an update as the PATCH of the changed fields only, and nothing when nothing changed', async () => {
    const payload = userPayload(emulator);
    const update = { ...payload, remoteId: '005000000000001AAA', changed: { Title: 'CTO' } };
    expect(await connector.previewUser({ kind: 'update', update })).toEqual([
      {
        operation: 'update User 005000000000001AAA',
        method: 'PATCH',
        path: `/services/data/${API_VERSION}/sobjects/User/005000000000001AAA`,
        body: { Title: 'CTO' },
      },
    ]);
    expect(await connector.previewUser({ kind: 'update', update: { ...update, changed: {} } })).toEqual([]);
  });
});
