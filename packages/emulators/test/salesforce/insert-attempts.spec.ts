import { ADMIN_USERNAME, useRestFixture, userPayload } from './emulator-fixture.js';

// A second insert of one Username is a client that created a user twice; the org refuses it
// (DUPLICATE_USERNAME) and the chaos checker counts it from here.
describe('Salesforce emulator: User insert attempts and writes per Username', () => {
  const sf = useRestFixture();
  const post = (path: string, body: unknown) => sf.rest(path, { method: 'POST', body });

  it('counts inserts the org carried out or refused, single and in collections, but not injected faults', async () => {
    const payload = userPayload(sf.emulator);
    const username = String(payload['Username']).toLowerCase();
    expect(sf.emulator.state.userInsertAttempts()[ADMIN_USERNAME.toLowerCase()]).toBe(1); // the seeded integration user
    sf.emulator.faults.failNext(1);
    expect((await post('sobjects/User', payload)).status).toBe(503);
    expect(sf.emulator.state.userInsertAttempts()[username]).toBeUndefined();
    expect((await post('sobjects/User', payload)).status).toBe(201);
    expect((await post('sobjects/User', payload)).status).toBe(400);
    const collection = await post('composite/sobjects', { allOrNone: false, records: [{ attributes: { type: 'User' }, ...payload }] });
    expect(collection.status).toBe(200);
    expect(sf.emulator.state.userInsertAttempts()[username]).toBe(3);
  });

  it('keeps a timeline of every insert and update of a User, with its outcome and fields', async () => {
    const payload = userPayload(sf.emulator);
    const created = (await (await post('sobjects/User', payload)).json()) as { id: string };
    expect((await post('sobjects/User', payload)).status).toBe(400);
    const patch = await sf.rest(`sobjects/User/${created.id}`, { method: 'PATCH', body: { Title: 'Engineer' } });
    expect(patch.status).toBe(204);
    const timeline = sf.emulator.state.userWriteTimeline(String(payload['Username']));
    expect(timeline.map((entry) => entry.split(' ').slice(1, 3).join(' '))).toEqual([
      'insert ok',
      'insert DUPLICATE_USERNAME',
      'update ok',
    ]);
    expect(timeline[2]).toMatch(/ Title=Engineer$/);
  });
});
