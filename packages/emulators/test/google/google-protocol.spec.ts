// Wire details checked with hand-made requests: raw token-endpoint assertions, partial responses
// (`fields`), unknown paths, showDeleted.
import { createPrivateKey, sign } from 'node:crypto';
import type { admin_directory_v1 } from '@googleapis/admin';
import type { GoogleEmulator, GoogleServiceAccountKeyPair } from '../../src/google/index.js';
import { ADMIN, jwtClientFor, SA_EMAIL, startGoogleTestBed, USER_SCOPE, validUser } from './google-test-clients.js';

function signAssertion(keys: GoogleServiceAccountKeyPair, claims: Record<string, unknown>, alg = 'RS256'): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg, typ: 'JWT' })}.${encode(claims)}`;
  const signature = sign('RSA-SHA256', Buffer.from(input), createPrivateKey(keys.privateKeyPem)).toString('base64url');
  return `${input}.${signature}`;
}

describe('Google emulator: wire protocol details', () => {
  let emulator: GoogleEmulator;
  let keys: GoogleServiceAccountKeyPair;
  let directory: admin_directory_v1.Admin;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (overrides: Record<string, unknown> = {}) => ({
    iss: SA_EMAIL,
    sub: ADMIN,
    scope: USER_SCOPE,
    aud: 'https://oauth2.googleapis.com/token',
    iat: now(),
    exp: now() + 3600,
    ...overrides,
  });
  const requestToken = async (form: Record<string, string>, path = '/token') => {
    const res = await fetch(`${emulator.url}${path}`, { method: 'POST', body: new URLSearchParams(form) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const grant = (assertion: string, path?: string) =>
    requestToken({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }, path);

  beforeAll(async () => {
    ({ emulator, keys, directory } = await startGoogleTestBed());
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('answers a valid assertion on /token and /oauth2/v4/token like Google', async () => {
    for (const path of ['/token', '/oauth2/v4/token']) {
      const { status, body } = await grant(signAssertion(keys, claims()), path);
      expect(status).toBe(200);
      expect(body).toEqual({ access_token: expect.stringMatching(/^ya29\./), expires_in: 3599, token_type: 'Bearer' });
    }
  });

  it('checks audience, lifetime, algorithm, grant type and assertion presence', async () => {
    const audience = await grant(signAssertion(keys, claims({ aud: 'https://example.com/token' })));
    expect(audience.status).toBe(400);
    expect(audience.body['error_description']).toContain('Failed audience check');

    const tooLong = await grant(signAssertion(keys, claims({ exp: now() + 7200 })));
    expect(tooLong.body).toEqual({
      error: 'invalid_grant',
      error_description:
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
    });
    const expired = await grant(signAssertion(keys, claims({ iat: now() - 7200, exp: now() - 3600 })));
    expect(expired.body['error']).toBe('invalid_grant');

    const hs256 = await grant(signAssertion(keys, claims(), 'HS256'));
    expect(hs256.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });

    const wrongGrant = await requestToken({ grant_type: 'client_credentials' });
    expect(wrongGrant.body).toEqual({ error: 'unsupported_grant_type', error_description: 'Invalid grant_type: client_credentials' });
    const noAssertion = await requestToken({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' });
    expect(noAssertion.body['error']).toBe('invalid_request');
  });

  it('honours the fields parameter (partial response)', async () => {
    await directory.users.insert({ requestBody: validUser('partial@example.com') });
    const one = (await directory.users.get({ userKey: 'partial@example.com', fields: 'id,name/givenName' })).data;
    expect(Object.keys(one).sort()).toEqual(['id', 'name']);
    expect(one.name).toEqual({ givenName: 'Ada' });
    const list = (await directory.users.list({ customer: 'my_customer', fields: 'users(primaryEmail),nextPageToken' })).data;
    expect(list).toEqual({ users: [{ primaryEmail: ADMIN }, { primaryEmail: 'partial@example.com' }] });
  });

  it('lists no users with showDeleted=true (deleted users are not kept)', async () => {
    const res = await directory.users.list({ customer: 'my_customer', showDeleted: 'true' });
    expect(res.data.users).toBeUndefined();
  });

  it("answers unknown paths and methods with Google's HTML 404", async () => {
    const token = (await jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem }).getAccessToken()).token!;
    for (const [method, path] of [
      ['GET', '/admin/directory/v1/nonsense'],
      ['POST', `/admin/directory/v1/users/${ADMIN}`],
      ['GET', '/elsewhere'],
    ]) {
      const res = await fetch(`${emulator.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('text/html');
      await res.text();
    }
  });
});
