import type { SalesforceEmulator } from '../../src/salesforce/index.js';
import { ADMIN_USERNAME, API_VERSION, loggedIn, startFixture, userPayload } from './emulator-fixture.js';

// A second insert of one Username is a client that created a user twice; the org refuses it
// (DUPLICATE_USERNAME) and the chaos checker counts it from here.
describe('Salesforce emulator: User insert attempts per Username', () => {
  let emulator: SalesforceEmulator;
  let token: string;

  beforeAll(async () => {
    emulator = await startFixture();
    token = (await loggedIn(emulator)).accessToken!;
  });
  afterEach(() => emulator.faults.reset());
  afterAll(() => emulator.close());

  const post = (path: string, body: unknown) =>
    fetch(`${emulator.instanceUrl}/services/data/v${API_VERSION}/${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('counts inserts the org carried out or refused, single and in collections, but not injected faults', async () => {
    const payload = userPayload(emulator);
    const username = String(payload['Username']).toLowerCase();
    expect(emulator.state.userInsertAttempts()[ADMIN_USERNAME.toLowerCase()]).toBe(1); // the seeded integration user
    emulator.faults.failNext(1);
    expect((await post('sobjects/User', payload)).status).toBe(503);
    expect(emulator.state.userInsertAttempts()[username]).toBeUndefined();
    expect((await post('sobjects/User', payload)).status).toBe(201);
    expect((await post('sobjects/User', payload)).status).toBe(400);
    const collection = await post('composite/sobjects', { allOrNone: false, records: [{ attributes: { type: 'User' }, ...payload }] });
    expect(collection.status).toBe(200);
    expect(emulator.state.userInsertAttempts()[username]).toBe(3);
  });
});
