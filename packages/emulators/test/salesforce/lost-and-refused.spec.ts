import { controlFaults, useRestFixture, userPayload } from './emulator-fixture.js';

describe('Salesforce emulator: lost responses, Retry-After and refused usernames', () => {
  const sf = useRestFixture();
  const { rest } = sf;
  const userNamed = (username: unknown) => sf.emulator.state.users().find((u) => u['Username'] === username);

  it('carries out a call whose response it then drops, once', async () => {
    const payload = userPayload(sf.emulator);
    sf.emulator.faults.dropNextResponses(1);
    expect(sf.emulator.faults.snapshot().pendingDrops).toBe(1);
    await expect(rest('sobjects/User', { method: 'POST', body: payload })).rejects.toThrow();
    // The create happened: the client just never heard of it.
    expect(userNamed(payload['Username'])).toMatchObject({ IsActive: true });
    expect(sf.emulator.faults.snapshot().pendingDrops).toBe(0);
    const again = await rest('sobjects/User', { method: 'POST', body: payload });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual([expect.objectContaining({ errorCode: 'DUPLICATE_USERNAME', fields: ['Username'] })]);
    expect(sf.emulator.state.users().filter((u) => u['Username'] === payload['Username'])).toHaveLength(1);
  });

  it('sends Retry-After with an injected failure only when asked to', async () => {
    sf.emulator.faults.failNext(1, 503, { retryAfterSec: 3 });
    const limited = await rest('limits');
    expect(limited.status).toBe(503);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.json()).toEqual([
      { errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable. Please try again later.' },
    ]);
    sf.emulator.faults.failNext(1);
    const plain = await rest('limits');
    expect(plain.status).toBe(503);
    expect(plain.headers.get('retry-after')).toBeNull();
  });

  it.each([
    [400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION'],
    [403, 'INSUFFICIENT_ACCESS'],
  ] as const)('refuses creates of a username with %i %s and the detail, creating nothing', async (status, errorCode) => {
    const payload = userPayload(sf.emulator);
    sf.emulator.faults.refuseAccount(String(payload['Username']).toUpperCase(), { status, message: `Refused by policy ${status}` });
    const refused = await rest('sobjects/User', { method: 'POST', body: payload });
    expect(refused.status).toBe(status);
    expect(await refused.json()).toEqual([{ message: `Refused by policy ${status}`, errorCode, fields: [] }]);
    expect(userNamed(payload['Username'])).toBeUndefined();
    // Others are not affected.
    expect((await rest('sobjects/User', { method: 'POST', body: userPayload(sf.emulator) })).status).toBe(201);
  });

  it('refuses updates of that user and its records inside a collection; reset lifts it', async () => {
    const payload = userPayload(sf.emulator);
    const created = (await (await rest('sobjects/User', { method: 'POST', body: payload })).json()) as { id: string };
    sf.emulator.faults.refuseAccount(String(payload['Username']), {
      status: 400,
      message: 'Title is locked',
      code: 'FIELD_INTEGRITY_EXCEPTION',
    });
    const patch = await rest(`sobjects/User/${created.id}`, { method: 'PATCH', body: { Title: 'CTO' } });
    expect(patch.status).toBe(400);
    expect(await patch.json()).toEqual([{ message: 'Title is locked', errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: [] }]);

    const other = userPayload(sf.emulator);
    const collection = await rest('composite/sobjects', {
      method: 'POST',
      body: {
        allOrNone: false,
        records: [
          { attributes: { type: 'User' }, ...userPayload(sf.emulator, { Username: payload['Username'] }) },
          { attributes: { type: 'User' }, ...other },
        ],
      },
    });
    expect(collection.status).toBe(200);
    const results = (await collection.json()) as { success: boolean; errors: unknown[] }[];
    expect(results[0]).toEqual({
      success: false,
      errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'Title is locked', fields: [] }],
    });
    expect(results[1]).toMatchObject({ success: true });
    expect(userNamed(payload['Username'])?.['Title']).toBeNull();

    sf.emulator.faults.reset();
    expect((await rest(`sobjects/User/${created.id}`, { method: 'PATCH', body: { Title: 'CTO' } })).status).toBe(204);
  });

  it('takes both over the control path, strictly', async () => {
    const control = (body: unknown) => controlFaults(sf.emulator, body);
    const set = await control({ dropNextResponses: 2, refuseAccount: { name: 'X@Provisio.example', status: 403, message: 'no' } });
    expect(await set.json()).toMatchObject({ pendingDrops: 2, refusedAccounts: ['x@provisio.example'] });
    expect((await control({ refuseAccount: { name: 'x@provisio.example', status: 500, message: 'no' } })).status).toBe(400);
    const late = await control({ failNext: { count: 1, status: 503, code: 'SERVER_UNAVAILABLE', retryAfterSec: 'soon' } });
    expect(late.status).toBe(400);
    expect(await late.json()).toMatchObject({ error: 'failNext.retryAfterSec must be a whole number >= 0' });
  });
});
