// Injected faults the connector conformance suite needs: lost responses, Retry-After on 503, refused users.
import type { admin_directory_v1 } from '@googleapis/admin';
import type { JWT } from 'google-auth-library';
import type { GoogleEmulator } from '../../src/google/index.js';
import { ADMIN, captureError, googleErrorBody, startGoogleTestBed, validUser } from './google-test-clients.js';

describe('Google emulator: lost responses, Retry-After on backend errors, refused users', () => {
  let emulator: GoogleEmulator;
  let directory: admin_directory_v1.Admin;
  let auth: JWT;

  beforeAll(async () => {
    ({ emulator, auth, directory } = await startGoogleTestBed());
    await directory.users.get({ userKey: ADMIN });
  });
  afterEach(() => emulator.faults.reset());
  afterAll(() => emulator.close());

  it('carries out a call whose response it then drops, once', async () => {
    emulator.faults.dropNextResponses(1);
    expect(emulator.faults.snapshot().pendingDrops).toBe(1);
    const lost = await captureError(() => directory.users.insert({ requestBody: validUser('lost@example.com') }, { retry: false }));
    expect(lost.status).toBeUndefined();
    // The insert happened; the client never heard of it.
    expect(emulator.state.user('lost@example.com')).toMatchObject({ primaryEmail: 'lost@example.com' });
    expect(emulator.faults.snapshot().pendingDrops).toBe(0);
    const again = await captureError(() => directory.users.insert({ requestBody: validUser('lost@example.com') }));
    expect(again).toMatchObject({ status: 409, reason: 'duplicate' });
  });

  it('drops a whole batch answer after running its parts', async () => {
    emulator.faults.dropNextResponses(1);
    const boundary = 'lost_batch';
    const part = JSON.stringify(validUser('batched@example.com'));
    const body = `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <1>\r\n\r\nPOST /admin/directory/v1/users\r\nContent-Type: application/json\r\n\r\n${part}\r\n--${boundary}--\r\n`;
    const { token } = await auth.getAccessToken();
    await expect(
      fetch(`${emulator.url}/batch/admin/directory_v1`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/mixed; boundary=${boundary}` },
        body,
      }),
    ).rejects.toThrow();
    expect(emulator.state.user('batched@example.com')).toBeDefined();
  });

  it('sends Retry-After with injected backend errors only when asked to', async () => {
    emulator.faults.failNext(1, 503, { retryAfterSec: 4 });
    const delayed = await captureError(() => directory.users.get({ userKey: ADMIN }, { retry: false }));
    expect(delayed).toMatchObject({ status: 503, reason: 'backendError' });
    expect(delayed.headers?.get('retry-after')).toBe('4');
    emulator.faults.failNext(1, 503);
    const plain = await captureError(() => directory.users.get({ userKey: ADMIN }, { retry: false }));
    expect(plain.status).toBe(503);
    expect(plain.headers?.get('retry-after')).toBeNull();
  });

  it.each([
    [400, 'invalid', 'INVALID_ARGUMENT'],
    [403, 'forbidden', 'PERMISSION_DENIED'],
  ] as const)("refuses writes of one user with %i %s in Google's envelope, creating nothing", async (status, reason, statusText) => {
    const email = `refused${status}@example.com`;
    emulator.faults.refuseAccount(email.toUpperCase(), { status, message: `Refused by policy ${status}` });
    const refused = await captureError(() => directory.users.insert({ requestBody: validUser(email) }));
    expect(refused.status).toBe(status);
    expect(refused.body).toEqual(googleErrorBody(status, statusText, reason, `Refused by policy ${status}`));
    expect(emulator.state.user(email)).toBeUndefined();
    await expect(directory.users.insert({ requestBody: validUser(`other${status}@example.com`) })).resolves.toMatchObject({ status: 200 });
  });

  it('refuses patches and deletes of an existing user too, and reads stay allowed; reset lifts it', async () => {
    const { data } = await directory.users.insert({ requestBody: validUser('locked@example.com') });
    emulator.faults.refuseAccount('locked@example.com', { status: 403, message: 'Locked by policy' });
    await expect(captureError(() => directory.users.patch({ userKey: data.id!, requestBody: { suspended: true } }))).resolves.toMatchObject(
      { status: 403, reason: 'forbidden' },
    );
    await expect(captureError(() => directory.users.delete({ userKey: 'locked@example.com' }))).resolves.toMatchObject({ status: 403 });
    await expect(directory.users.get({ userKey: data.id! })).resolves.toMatchObject({ status: 200 });
    emulator.faults.reset();
    await expect(directory.users.patch({ userKey: data.id!, requestBody: { suspended: true } })).resolves.toMatchObject({ status: 200 });
  });

  it('finds groups by a quoted name with spaces', async () => {
    await directory.groups.insert({ requestBody: { email: 'sales-team@example.com', name: 'Sales Team' } });
    const { data } = await directory.groups.list({ customer: 'my_customer', query: "name='Sales Team'" });
    expect(data.groups?.map((g) => g.email)).toEqual(['sales-team@example.com']);
    await expect(captureError(() => directory.groups.list({ customer: 'my_customer', query: "name='Sales" }))).resolves.toMatchObject({
      status: 400,
    });
  });

  it('takes the new faults over the control path, strictly', async () => {
    const control = (body: unknown) => fetch(`${emulator.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify(body) });
    const set = await control({
      dropNextResponses: 1,
      failNext: { count: 1, status: 503, retryAfterSec: 2 },
      refuseAccount: { name: 'X@example.com', status: 400, message: 'no' },
    });
    expect(await set.json()).toMatchObject({ pendingDrops: 1, pendingFailures: 1, refusedAccounts: ['x@example.com'] });
    const refused = await control({ refuseAccount: { name: 'x@example.com', status: 500, message: 'no' } });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'refuseAccount.status must be 400 or 403' });
    const unknown = await control({ backendErrors: 1 });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(
      /^backendErrors is not a fault setting of this emulator \(known: .*failNext/,
    );
  });
});
