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

  it('counts SCIM 1.1 creates too, and forgets everything on reset', async () => {
    expect(
      (await call('POST', `${scim.emu.baseUrl11}/Users`, { schemas: ['urn:scim:schemas:core:1.0'], userName: 'legacy@example.com' }))
        .status,
    ).toBe(201);
    expect(scim.emu.state.userCreateStatuses()).toEqual({ 'legacy@example.com': [201] });
    scim.emu.state.reset();
    expect(scim.emu.state.userCreateStatuses()).toEqual({});
    expect(scim.emu.state.requestCountsByStatus()).toEqual({});
  });
});
