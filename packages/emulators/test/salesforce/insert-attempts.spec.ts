import { ADMIN_USERNAME, useRestFixture, userPayload } from './emulator-fixture.js';

// A second insert of one Username is a client that created a user twice; the org refuses it
// (DUPLICATE_USERNAME) and the chaos checker counts it from here.
describe('Salesforce emulator: User insert attempts and writes per Username', () => {
  const sf = useRestFixture();
  const post = (path: string, body: unknown, headers?: Record<string, string>) => sf.rest(path, { method: 'POST', body, headers });
  const from = (job: string) => ({ 'X-Provisio-Job': job, 'X-Provisio-Worker': 'worker-9-abc' });

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

  it('names who sent each write and each REST call (X-Provisio-Job and X-Provisio-Worker)', async () => {
    const payload = userPayload(sf.emulator);
    const created = (await (await post('sobjects/User', payload, from('7.1'))).json()) as { id: string };
    const records = [{ attributes: { type: 'User' }, Id: created.id, Title: 'Dr' }];
    expect(
      (await sf.rest('composite/sobjects', { method: 'PATCH', body: { allOrNone: false, records }, headers: from('8.1,9.3') })).status,
    ).toBe(200);
    expect((await sf.rest(`query?q=${encodeURIComponent('SELECT Id FROM User LIMIT 1')}`)).status).toBe(200);
    const timeline = sf.emulator.state.userWriteTimeline(String(payload['Username']));
    expect(timeline.map((entry) => entry.replace(/^.* from /, ''))).toEqual(['7.1 worker-9-abc', '8.1,9.3 worker-9-abc']);
    const calls = sf.emulator.state.restCalls().slice(-3);
    expect(calls.map(({ method, path, status, origin, soql }) => ({ method, path, status, origin, soql }))).toEqual([
      { method: 'POST', path: 'sobjects/User', status: 201, origin: '7.1 worker-9-abc', soql: undefined },
      { method: 'PATCH', path: 'composite/sobjects', status: 200, origin: '8.1,9.3 worker-9-abc', soql: undefined },
      { method: 'GET', path: 'query', status: 200, origin: undefined, soql: 'SELECT Id FROM User LIMIT 1' },
    ]);
  });
});
