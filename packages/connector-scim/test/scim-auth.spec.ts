import { isPermanentError } from '@provisio/core';
import { sampleUser, scimFixture, type ScimFixture } from './scim-test-support.js';

describe('scim2 authentication', () => {
  let fixture: ScimFixture | undefined;
  afterEach(() => fixture?.teardown());

  it('oauth2: an expired token is refreshed once and the request replayed', async () => {
    fixture = await scimFixture({ type: 'scim2', auth: 'oauth2' });
    await fixture.connector.createUser(sampleUser(1));
    fixture.emulator.faults.expireTokens();
    const ref = await fixture.connector.createUser(sampleUser(2));
    expect(ref.remoteId).toBeTruthy();
    const posts = fixture.emulator.state.requests().filter((r) => r.method === 'POST' && r.path === '/scim/v2/Users');
    expect(posts.map((r) => r.status)).toEqual([201, 401, 201]);
  });

  it('oauth2: calls in flight when the token expires share one new token, however late their 401 comes', async () => {
    fixture = await scimFixture({ type: 'scim2', auth: 'oauth2' });
    await fixture.connector.createUser(sampleUser(10));
    expect(fixture.emulator.state.tokenRequestCount()).toBe(1);
    fixture.emulator.faults.expireTokens();
    // All six leave with the old token (60 ms answers, 10 ms apart); the first 401 is refreshed
    // at once, the later ones arrive after the new token is there and must not throw it away.
    fixture.emulator.faults.setLatency(60);
    const creates = [11, 12, 13, 14, 15, 16].map(async (n, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 10));
      return (fixture as ScimFixture).connector.createUser(sampleUser(n));
    });
    await expect(Promise.all(creates)).resolves.toHaveLength(6);
    expect(fixture.emulator.state.tokenRequestCount()).toBe(2);
  });

  it('oauth2: a 401 right after the refresh is a PermanentError naming the auth fields, without the secret', async () => {
    // Tokens are dead on arrival: the one refresh cannot help.
    fixture = await scimFixture({ type: 'scim2', auth: 'oauth2', tokenTtlSec: 0 });
    const error = await fixture.connector.createUser(sampleUser(3)).catch((e: unknown) => e);
    expect(isPermanentError(error)).toBe(true);
    expect((error as Error).message).toMatch(/401.*auth\.clientId \/ auth\.clientSecret/);
    expect((error as Error).message).not.toContain('oauth-secret-4');
    expect(fixture.emulator.state.requests().map((r) => r.status)).toEqual([401, 401]);
  });

  it('basic: wrong credentials are a PermanentError naming auth.username / auth.password', async () => {
    fixture = await scimFixture({
      type: 'scim2',
      auth: 'basic',
      config: { auth: { type: 'basic', username: 'Admin', password: 'wrong-password' } },
    });
    const error = await fixture.connector.createUser(sampleUser(4)).catch((e: unknown) => e);
    expect(isPermanentError(error)).toBe(true);
    expect((error as Error).message).toContain('auth.username / auth.password');
    expect((await fixture.connector.check()).ok).toBe(false);
  });

  it('apiKey: the configured header name is sent; the default one is refused', async () => {
    fixture = await scimFixture({ type: 'scim2', auth: 'apiKey' });
    expect((await fixture.connector.check()).ok).toBe(true);
    await fixture.teardown();
    fixture = await scimFixture({ type: 'scim2', auth: 'apiKey', config: { auth: { type: 'apiKey', key: 'apikey-secret-3' } } });
    const report = await fixture.connector.check();
    expect(report).toMatchObject({ ok: false, message: expect.stringContaining('auth.headerName / auth.key') });
  });

  it('bearer: a wrong token is a PermanentError', async () => {
    fixture = await scimFixture({ type: 'scim2', auth: 'bearer', config: { auth: { type: 'bearer', token: 'not-the-token' } } });
    const error = await fixture.connector.findUser({ localId: 'x', attributes: {} }).catch((e: unknown) => e);
    expect(isPermanentError(error)).toBe(true);
    expect((error as Error).message).toContain('auth.token');
  });
});
