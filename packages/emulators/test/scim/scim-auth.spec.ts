import { startScimEmulator, type ScimAuthOptions, type ScimEmulator } from '../../src/scim/index.js';
import { call, expectScimError, user } from './scim-http.js';

async function withEmulator(auth: ScimAuthOptions, body: (emu: ScimEmulator) => Promise<void>): Promise<void> {
  const emu = await startScimEmulator({ auth });
  try {
    await body(emu);
  } finally {
    await emu.close();
  }
}

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

async function token(emu: ScimEmulator, form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(emu.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('SCIM emulator authentication', () => {
  it('basic: right credentials pass, wrong or missing ones get 401 with a Basic challenge', () =>
    withEmulator({ type: 'basic', username: 'admin', password: 'p@ss:word' }, async (emu) => {
      const ok = await call('GET', `${emu.baseUrl2}/Users`, undefined, { headers: { Authorization: basic('admin', 'p@ss:word') } });
      expect(ok.status).toBe(200);
      const wrong = await call('GET', `${emu.baseUrl2}/Users`, undefined, { headers: { Authorization: basic('admin', 'nope') } });
      expectScimError(wrong, 401);
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expectScimError(await call('GET', `${emu.baseUrl2}/Users`), 401);
      const v1 = await call('GET', `${emu.baseUrl11}/Users`);
      expect(v1.status).toBe(401);
      expect(v1.body).toEqual({ Errors: [{ description: 'Basic credentials required', code: '401' }] });
    }));

  it('bearer: only the configured token passes', () =>
    withEmulator({ type: 'bearer', token: 'static-token' }, async (emu) => {
      expect((await call('GET', `${emu.baseUrl2}/Users`, undefined, { headers: { Authorization: 'Bearer static-token' } })).status).toBe(
        200,
      );
      const bad = await call('GET', `${emu.baseUrl2}/Users`, undefined, { headers: { Authorization: 'Bearer other' } });
      expectScimError(bad, 401);
      expect(bad.headers.get('www-authenticate')).toContain('Bearer');
    }));

  it('apiKey: the key must arrive in the configured header', () =>
    withEmulator({ type: 'apiKey', headerName: 'X-API-Key', token: 'k-123' }, async (emu) => {
      expect((await call('GET', `${emu.baseUrl2}/Users`, undefined, { headers: { 'X-API-Key': 'k-123' } })).status).toBe(200);
      expectScimError(await call('GET', `${emu.baseUrl2}/Users`, undefined, { headers: { Authorization: 'Bearer k-123' } }), 401);
      const wrong = await call('GET', `${emu.baseUrl2}/Users`, undefined, { headers: { 'X-API-Key': 'k-124' } });
      expect(wrong.headers.get('www-authenticate')).toContain('header="X-API-Key"');
    }));

  it('oauth2: client credentials (form or Basic) get an expiring bearer token; bad clients and grants are refused', () =>
    withEmulator({ type: 'oauth2', clientId: 'client', clientSecret: 's3cret', tokenTtlSec: 1 }, async (emu) => {
      expect((await token(emu, { grant_type: 'password', client_id: 'client', client_secret: 's3cret' })).body).toEqual({
        error: 'unsupported_grant_type',
      });
      expect((await token(emu, { client_id: 'client', client_secret: 's3cret' })).status).toBe(400);
      const badClient = await token(emu, { grant_type: 'client_credentials', client_id: 'client', client_secret: 'wrong' });
      expect(badClient).toEqual({ status: 401, body: { error: 'invalid_client' } });
      const viaBasic = await token(emu, { grant_type: 'client_credentials' }, { Authorization: basic('client', 's3cret') });
      expect(viaBasic.status).toBe(200);
      const issued = await token(emu, { grant_type: 'client_credentials', client_id: 'client', client_secret: 's3cret' });
      expect(issued.body).toMatchObject({ token_type: 'Bearer', expires_in: 1 });
      const auth = { Authorization: `Bearer ${String(issued.body['access_token'])}` };
      expect((await call('POST', `${emu.baseUrl2}/Users`, user('viaOauth'), { headers: auth })).status).toBe(201);
      expectScimError(await call('GET', `${emu.baseUrl2}/Users`, undefined, { headers: { Authorization: 'Bearer made-up' } }), 401);
      await new Promise((r) => setTimeout(r, 1100));
      const expired = await call('GET', `${emu.baseUrl2}/Users`, undefined, { headers: auth });
      expectScimError(expired, 401);
      expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
      const json = await fetch(emu.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      expect(json.status).toBe(400);
    }));

  it('oauth2: expireTokens() invalidates every issued token at once', () =>
    withEmulator({ type: 'oauth2', clientId: 'c', clientSecret: 's' }, async (emu) => {
      const issued = await token(emu, { grant_type: 'client_credentials', client_id: 'c', client_secret: 's' });
      const auth = { Authorization: `Bearer ${String(issued.body['access_token'])}` };
      expect((await call('GET', `${emu.baseUrl2}/Users`, undefined, { headers: auth })).status).toBe(200);
      emu.faults.expireTokens();
      expectScimError(await call('GET', `${emu.baseUrl2}/Users`, undefined, { headers: auth }), 401);
      const fresh = await token(emu, { grant_type: 'client_credentials', client_id: 'c', client_secret: 's' });
      expect(
        (
          await call('GET', `${emu.baseUrl2}/Users`, undefined, {
            headers: { Authorization: `Bearer ${String(fresh.body['access_token'])}` },
          })
        ).status,
      ).toBe(200);
      // Token requests are counted apart from the SCIM request log.
      expect(emu.state.tokenRequestCount()).toBe(2);
      expect(emu.state.countRequests('POST', '/oauth/token')).toBe(0);
    }));

  it('advertises the scheme in ServiceProviderConfig', () =>
    withEmulator({ type: 'bearer', token: 't' }, async (emu) => {
      const spc = await call('GET', `${emu.baseUrl2}/ServiceProviderConfig`, undefined, { headers: { Authorization: 'Bearer t' } });
      expect(spc.body['authenticationSchemes']).toEqual([expect.objectContaining({ type: 'oauthbearertoken' })]);
    }));
});
