import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SalesforceEmulator } from '@provisio/emulators';
import {
  ADMIN_PASSWORD,
  ADMIN_USERNAME,
  CC_CLIENT_ID,
  CC_CLIENT_SECRET,
  CLIENT_ID,
  CLIENT_SECRET,
  JWT_CLIENT_ID,
  JWT_USERNAME,
  SECURITY_TOKEN,
  connectorFor,
  expectNoSecrets,
  jwtKeys,
  passwordAuth,
  rejectionOf,
  startEmulator,
  userPayload,
} from './salesforce-fixture.js';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe('salesforce connector: authentication and session', () => {
  let emulator: SalesforceEmulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterEach(() => emulator.faults.reset());
  afterAll(() => emulator.close());

  /** A connector that has logged in (it created one user), and the token requests counted until then. */
  async function loggedInConnector() {
    const connector = await connectorFor(emulator);
    await connector.createUser(userPayload(emulator));
    return { connector, tokensBefore: emulator.state.tokenRequestCount() };
  }

  it('logs in with the password flow (security token given separately or appended)', async () => {
    for (const auth of [
      passwordAuth(),
      {
        flow: 'password' as const,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        username: ADMIN_USERNAME,
        password: ADMIN_PASSWORD + SECURITY_TOKEN,
      },
    ]) {
      const connector = await connectorFor(emulator, { auth });
      const before = emulator.state.tokenRequestCount('password');
      await expect(connector.createUser(userPayload(emulator))).resolves.toHaveProperty('remoteId');
      expect(emulator.state.tokenRequestCount('password')).toBe(before + 1);
      await connector.close();
    }
  });

  it('logs in with the client credentials flow (execution user)', async () => {
    const connector = await connectorFor(emulator, {
      auth: { flow: 'clientCredentials', clientId: CC_CLIENT_ID, clientSecret: CC_CLIENT_SECRET, executionUser: ADMIN_USERNAME },
    });
    const before = emulator.state.tokenRequestCount('client_credentials');
    await expect(connector.createUser(userPayload(emulator))).resolves.toHaveProperty('remoteId');
    expect(emulator.state.tokenRequestCount('client_credentials')).toBe(before + 1);
    const report = await connector.check();
    expect(report.message).toContain(`authenticated as ${ADMIN_USERNAME}`);
    await connector.close();
  });

  it('logs in with the JWT bearer flow, signing RS256 itself with aud = the login URL', async () => {
    const connector = await connectorFor(emulator, {
      auth: { flow: 'jwtBearer', clientId: JWT_CLIENT_ID, username: JWT_USERNAME, privateKey: jwtKeys.privateKey },
    });
    const before = emulator.state.tokenRequestCount(JWT_GRANT);
    await expect(connector.createUser(userPayload(emulator))).resolves.toHaveProperty('remoteId');
    expect(emulator.state.tokenRequestCount(JWT_GRANT)).toBe(before + 1);
    await connector.close();

    const wrongAudience = await connectorFor(emulator, {
      auth: {
        flow: 'jwtBearer',
        clientId: JWT_CLIENT_ID,
        username: JWT_USERNAME,
        privateKey: jwtKeys.privateKey,
        audience: 'https://login.salesforce.com',
      },
    });
    const error = await rejectionOf(wrongAudience.createUser(userPayload(emulator)));
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('auth.audience');
    expectNoSecrets(error.message);
  });

  it('uses one token request for 1,000 creates', async () => {
    const connector = await connectorFor(emulator);
    const before = emulator.state.tokenRequestCount();
    for (let round = 0; round < 50; round++) {
      await Promise.all(Array.from({ length: 20 }, () => connector.createUser(userPayload(emulator))));
    }
    expect(emulator.state.tokenRequestCount()).toBe(before + 1);
    await connector.close();
  });

  it('follows instance_url to a separate instance host', async () => {
    const split = await startEmulator({ separateInstance: true });
    try {
      expect(split.instanceUrl).not.toBe(split.url);
      // domainName points at the login host: instance_url from the token response must win.
      const connector = await connectorFor(split, { domainName: split.url });
      const ref = await connector.createUser(userPayload(split));
      expect(split.state.users().some((u) => u['Id'] === ref.remoteId)).toBe(true);
      expect((await connector.check()).message).toContain(split.instanceUrl);
      await connector.close();
    } finally {
      await split.close();
    }
  });

  it('re-authenticates once when the session expires, and replays the call', async () => {
    const { connector, tokensBefore: before } = await loggedInConnector();
    emulator.faults.expireTokens();
    await expect(connector.createUser(userPayload(emulator))).resolves.toHaveProperty('remoteId');
    expect(emulator.state.tokenRequestCount()).toBe(before + 1);
    await connector.close();
  });

  it('shares one re-authentication among concurrent calls that all saw the expired token', async () => {
    const { connector, tokensBefore: before } = await loggedInConnector();
    emulator.faults.expireTokens();
    const refs = await Promise.all(Array.from({ length: 25 }, () => connector.createUser(userPayload(emulator))));
    expect(new Set(refs.map((r) => r.remoteId)).size).toBe(25);
    expect(emulator.state.tokenRequestCount()).toBe(before + 1);
    await connector.close();
  });

  it('gives up after exactly one re-authentication when the 401 persists', async () => {
    const { connector, tokensBefore } = await loggedInConnector();
    const callsBefore = emulator.state.apiCallCount();
    emulator.faults.failNext(10, 401, { code: 'INVALID_SESSION_ID', message: 'Session expired or invalid' });
    const error = await rejectionOf(connector.createUser(userPayload(emulator)));
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('INVALID_SESSION_ID');
    expect(emulator.state.tokenRequestCount()).toBe(tokensBefore + 1);
    // Two REST attempts (the original and one replay), not a loop.
    expect(emulator.faults.snapshot().pendingFailures).toBe(8);
    expect(emulator.state.apiCallCount()).toBe(callsBefore);
    await connector.close();
  });

  it.each([
    ['a wrong client secret', { clientSecret: 'wrong-secret-123' }, 'invalid_client', 'auth.clientSecret'],
    ['an unknown client id', { clientId: 'nope' }, 'invalid_client_id', 'auth.clientId'],
    ['a wrong password', { password: 'WrongPassw0rd' }, 'invalid_grant', 'auth.securityToken'],
    ['a missing security token', { securityToken: undefined }, 'invalid_grant', 'auth.password'],
  ])('fails permanently on %s, naming the field to fix and never the secret', async (_label, change, code, field) => {
    const connector = await connectorFor(emulator, { auth: { ...passwordAuth(), ...change } as ReturnType<typeof passwordAuth> });
    const error = await rejectionOf(connector.createUser(userPayload(emulator)));
    expect(error.kind).toBe('permanent');
    expect(error.remoteCode).toBe(code);
    expect(error.message).toContain(field);
    expectNoSecrets(error.message);
    expect(error.message).not.toContain('WrongPassw0rd');
    const report = await connector.check();
    expect(report.ok).toBe(false);
    expectNoSecrets(report.message);
  });

  it('fails the client credentials flow with advice when the app has no execution user', async () => {
    const connector = await connectorFor(emulator, {
      auth: { flow: 'clientCredentials', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    });
    const error = await rejectionOf(connector.createUser(userPayload(emulator)));
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('Run As');
    expectNoSecrets(error.message);
  });

  it('is transient when Salesforce cannot be reached', async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const connector = await connectorFor(emulator, { tokenEndpoint: `http://127.0.0.1:${port}/services/oauth2/token` });
    const error = await rejectionOf(connector.createUser(userPayload(emulator)));
    expect(error.kind).toBe('transient');
    expect(error.message).toContain('ECONNREFUSED');
    expectNoSecrets(error.message);
  });
});

describe('salesforce connector: Retry-After', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    // A stand-in org whose REST API is overloaded and says when to come back.
    server = createServer((req, res) => {
      if (req.url?.startsWith('/services/oauth2/token')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            access_token: 'tok',
            instance_url: url,
            id: `${url}/id/00D/005`,
            token_type: 'Bearer',
            issued_at: '1',
            signature: 'x',
          }),
        );
        return;
      }
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(JSON.stringify([{ errorCode: 'SERVER_UNAVAILABLE', message: 'busy' }]));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes Retry-After on as retryAfterMs', async () => {
    const { salesforceConnector } = await import('../src/index.js');
    const { ctx } = await import('./salesforce-fixture.js');
    const config = salesforceConnector.configSchema.parse({ tokenEndpoint: `${url}/services/oauth2/token`, auth: passwordAuth() });
    const connector = await salesforceConnector.create(config, ctx);
    const error = await rejectionOf(connector.findUser({ localId: 'x', attributes: { Username: 'a@b.example' } }));
    expect(error.kind).toBe('transient');
    expect(error.retryAfterMs).toBe(7000);
  });
});
