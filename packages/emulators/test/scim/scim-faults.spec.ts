import type { JsonObject } from '../../src/scim/index.js';
import { call, expectScimError, patch, user, useScimEmulator } from './scim-http.js';

describe('SCIM emulator fault injection and state inspection', () => {
  const scim = useScimEmulator();
  const users = () => `${scim.emu.baseUrl2}/Users`;

  it('adds latency to every response', async () => {
    scim.emu.faults.setLatency(150);
    const started = Date.now();
    expect((await call('GET', users())).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('answers the next N requests with 503 + Retry-After without touching state, then recovers', async () => {
    scim.emu.faults.failNext(2, 503, { retryAfterSec: 3 });
    const first = await call('POST', users(), user('burst'));
    expectScimError(first, 503);
    expect(first.headers.get('retry-after')).toBe('3');
    expectScimError(await call('POST', users(), user('burst')), 503);
    expect(scim.emu.state.users()).toHaveLength(0);
    expect((await call('POST', users(), user('burst'))).status).toBe(201);
  });

  it('is down for a while: every request answers 503 until the outage ends, then it heals by itself', async () => {
    const set = await call('POST', `${scim.emu.url}/__emulator/faults`, { failFor: { ms: 400, status: 503, retryAfterSec: 1 } });
    expect(set.body['failingUntil']).toEqual(expect.any(String));
    for (let i = 0; i < 3; i++) {
      const down = await call('POST', users(), user('outage'));
      expectScimError(down, 503);
      expect(down.headers.get('retry-after')).toBe('1');
    }
    expect(scim.emu.state.users()).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect((await call('POST', users(), user('outage'))).status).toBe(201);
    expect((await call('GET', `${scim.emu.url}/__emulator/faults`)).body['failingUntil']).toBeNull();
  });

  it('rate-limits with 429 and Retry-After in seconds', async () => {
    scim.emu.faults.rateLimitNext(1, 2);
    const limited = await call('GET', users());
    expectScimError(limited, 429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await call('GET', users())).status).toBe(200);
  });

  it('refuses PATCH (501 when unsupported, or a chosen status) so clients fall back to PUT', async () => {
    const created = await call('POST', users(), user('nopatch'));
    const url = `${users()}/${String(created.body['id'])}`;
    scim.emu.faults.setPatchSupported(false);
    expectScimError(await call('PATCH', url, patch({ op: 'replace', path: 'title', value: 'x' })), 501);
    expect((await call('GET', `${scim.emu.baseUrl2}/ServiceProviderConfig`)).body['patch']).toEqual({ supported: false });
    expect((await call('PUT', url, user('nopatch', { title: 'x' }))).status).toBe(200);
    scim.emu.faults.setPatchSupported(true);
    scim.emu.faults.rejectPatch(405);
    expectScimError(await call('PATCH', url, patch({ op: 'replace', path: 'title', value: 'y' })), 405);
    expect((await call('GET', `${scim.emu.baseUrl2}/ServiceProviderConfig`)).body['patch']).toEqual({ supported: true });
    scim.emu.faults.rejectPatch(null);
    expect((await call('PATCH', url, patch({ op: 'replace', path: 'title', value: 'y' }))).status).toBe(200);
  });

  it('refuses writes of a given userName permanently with a SCIM error (400 invalidValue, or 403 with its message)', async () => {
    scim.emu.faults.refuseAccount('Doomed', { status: 400 });
    expectScimError(await call('POST', users(), user('doomed')), 400, 'invalidValue');
    scim.emu.faults.refuseAccount('forbidden', { status: 403, message: 'Licence limit reached' });
    const denied = expectScimError(await call('POST', users(), user('forbidden')), 403);
    expect(denied['detail']).toBe('Licence limit reached');
    expect((await call('POST', users(), user('fine'))).status).toBe(201);
    scim.emu.faults.clearRefusals();
    expect((await call('POST', users(), user('doomed'))).status).toBe(201);
  });

  it('drops the response after performing the create, so a retry meets 409 and can find the user', async () => {
    scim.emu.faults.dropNextResponses(1);
    await expect(call('POST', users(), user('lost'))).rejects.toThrow();
    expect(scim.emu.state.findUserByUserName('lost')).toBeDefined();
    expectScimError(await call('POST', users(), user('lost')), 409, 'uniqueness');
    const found = await call('GET', `${users()}?filter=${encodeURIComponent('userName eq "lost"')}`);
    expect(found.body['totalResults']).toBe(1);
    expect(scim.emu.state.requests().find((r) => r.dropped)).toMatchObject({ method: 'POST', path: '/scim/v2/Users', status: 201 });
  });

  it('is controllable over HTTP at /__emulator/faults and inspectable at /__emulator/state', async () => {
    const set = await call('POST', `${scim.emu.url}/__emulator/faults`, {
      failNext: { count: 1, status: 502 },
      bulkSupported: true,
      refuseAccount: { name: 'x', status: 403 },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ pendingFailures: 1, bulkSupported: true, refusedAccounts: ['x'] });
    expectScimError(await call('GET', users()), 502);
    expect(
      (await call('POST', `${scim.emu.baseUrl2}/Bulk`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] }))
        .status,
    ).toBe(200);
    expect((await call('POST', `${scim.emu.url}/__emulator/faults`, { latencyMs: 'slow' })).status).toBe(400);
    expect((await call('POST', `${scim.emu.url}/__emulator/faults`, { reset: true })).body).toMatchObject({
      bulkSupported: false,
      refusedAccounts: [],
    });
    await call('POST', users(), user('seen'));
    const state = await call('GET', `${scim.emu.url}/__emulator/state`);
    expect((state.body['users'] as JsonObject[]).map((u) => u['userName'])).toEqual(['seen']);
    expect((state.body['counts'] as JsonObject)['POST /scim/v2/Users']).toBe(1);
    expect((await call('POST', `${scim.emu.url}/__emulator/reset`)).status).toBe(204);
    expect(scim.emu.state.users()).toHaveLength(0);
  });

  it('records requests and counts them per method and path', async () => {
    const created = await call('POST', users(), user('counted'));
    await call('GET', `${users()}/${String(created.body['id'])}`);
    await call('GET', `${users()}/missing`);
    expect(scim.emu.state.countRequests('POST', '/scim/v2/Users')).toBe(1);
    expect(scim.emu.state.countRequests('GET')).toBe(2);
    expect(scim.emu.state.requests().map((r) => r.status)).toEqual([201, 200, 404]);
    expect(scim.emu.state.requestCounts()['GET /scim/v2/Users/missing']).toBe(1);
  });

  it('seeds pre-existing remote accounts and exposes them', async () => {
    const seeded = scim.emu.state.seedUser({ userName: 'preexisting', emails: [{ value: 'p@x.org' }] });
    expect(seeded['id']).toEqual(expect.any(String));
    expectScimError(await call('POST', users(), user('PreExisting')), 409, 'uniqueness');
    scim.emu.state.seedGroup({ displayName: 'Seeded', members: [{ value: seeded['id'] }] });
    expect(scim.emu.state.findGroupByDisplayName('seeded')!['members']).toEqual([expect.objectContaining({ value: seeded['id'] })]);
  });
});
