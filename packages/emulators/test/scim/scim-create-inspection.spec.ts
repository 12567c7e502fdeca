import { call, user, useScimEmulator } from './scim-http.js';

// What a chaos test reads to find a user created twice: every create per userName, and counts by
// status that the 10,000-entry request log would lose.
describe('SCIM emulator: create attempts per userName and request counts by status', () => {
  const scim = useScimEmulator();

  it('records each create of a userName with its status, faults included, in order', async () => {
    const users = `${scim.emu.baseUrl2}/Users`;
    scim.emu.faults.failNext(1, 503);
    expect((await call('POST', users, user('Twice@Example.com'))).status).toBe(503);
    expect((await call('POST', users, user('Twice@Example.com'))).status).toBe(201);
    expect((await call('POST', users, user('twice@example.com'))).status).toBe(409);
    expect((await call('POST', users, user('once@example.com'))).status).toBe(201);
    expect(scim.emu.state.userCreateStatuses()).toEqual({ 'twice@example.com': [503, 201, 409], 'once@example.com': [201] });
    expect(scim.emu.state.requestCountsByStatus()).toEqual({
      'POST /scim/v2/Users 503': 1,
      'POST /scim/v2/Users 201': 2,
      'POST /scim/v2/Users 409': 1,
    });
  });

  it('names who sent each request (X-Provisio-Job and X-Provisio-Worker) and keeps every write of a user', async () => {
    const users = `${scim.emu.baseUrl2}/Users`;
    const from = (job: string) => ({ headers: { 'X-Provisio-Job': job, 'X-Provisio-Worker': 'worker-9-abc' } });
    const created = await call('POST', users, user('named@example.com'), from('7.1'));
    expect((await call('POST', users, user('named@example.com'), from('8.2'))).status).toBe(409);
    const id = String(created.body['id']);
    const patch = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'title', value: 'Dr' }],
    };
    expect((await call('PATCH', `${users}/${id}`, patch, from('9.1'))).status).toBe(200);
    expect((await call('DELETE', `${users}/${id}`)).status).toBe(204);
    expect(scim.emu.state.userCreateTimeline('Named@example.com').map((e) => e.replace(/ at \S+/, ''))).toEqual([
      '201 from 7.1 worker-9-abc',
      '409 from 8.2 worker-9-abc',
    ]);
    expect(scim.emu.state.userWriteTimeline('named@example.com').map((e) => e.replace(/^\S+ /, ''))).toEqual([
      'POST 201 from 7.1 worker-9-abc',
      'POST 409 from 8.2 worker-9-abc',
      'PATCH 200 from 9.1 worker-9-abc',
      'DELETE 204',
    ]);
    expect(scim.emu.state.received('PATCH').map((r) => r.origin)).toEqual(['9.1 worker-9-abc']);
    expect(scim.emu.state.requests().map((r) => r.origin)).toEqual(['7.1 worker-9-abc', '8.2 worker-9-abc', '9.1 worker-9-abc', undefined]);
  });

  it('counts SCIM 1.1 creates too, and forgets everything on reset', async () => {
    expect(
      (await call('POST', `${scim.emu.baseUrl11}/Users`, { schemas: ['urn:scim:schemas:core:1.0'], userName: 'legacy@example.com' }))
        .status,
    ).toBe(201);
    expect(scim.emu.state.userCreateStatuses()).toEqual({ 'legacy@example.com': [201] });
    scim.emu.state.reset();
    expect(scim.emu.state.userCreateStatuses()).toEqual({});
    expect(scim.emu.state.userCreateTimeline('legacy@example.com')).toEqual([]);
    expect(scim.emu.state.userWriteTimeline('legacy@example.com')).toEqual([]);
    expect(scim.emu.state.requestCountsByStatus()).toEqual({});
  });
});
