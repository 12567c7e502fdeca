import { generateKeyPairSync, sign } from 'node:crypto';
import jsforce from 'jsforce';
import forge from 'node-forge';
import { JWT_BEARER_GRANT, type SalesforceEmulator } from '../../src/salesforce/index.js';
import {
  ADMIN_PASSWORD,
  ADMIN_USERNAME,
  API_VERSION,
  CLIENT_ID,
  CLIENT_SECRET,
  SECURITY_TOKEN,
  newConnection,
  rejectionOf,
  startFixture,
  useFixture,
} from './emulator-fixture.js';

const JWT_CLIENT_ID = '3MVG9jwt.consumer.key';
const JWT_USER = 'jwt.runner@provisio.example';
const REFRESH_TOKEN = '5Aep861fixture.refresh.token';

function rsaKeys(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
}

/** A self-signed certificate, as uploaded to a connected app. */
function certificateFor(keys: { privateKey: string; publicKey: string }): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKey);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  const subject = [{ name: 'commonName', value: 'provisio-jwt' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKey), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

function jwt(privateKey: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${encode({ alg: 'RS256' })}.${encode(claims)}`;
  return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), privateKey).toString('base64url')}`;
}

describe('Salesforce emulator: OAuth token endpoint', () => {
  let emulator: SalesforceEmulator;
  const keys = rsaKeys();
  const otherKeys = rsaKeys();

  beforeAll(async () => {
    emulator = await startFixture({
      clients: [
        { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, executionUsername: ADMIN_USERNAME },
        {
          clientId: JWT_CLIENT_ID,
          clientSecret: 'jwt-app-secret-xyz',
          certificate: certificateFor(keys),
          jwtPreAuthorizedUsernames: [JWT_USER],
        },
      ],
      users: [{ Username: JWT_USER, LastName: 'Runner' }, { Username: 'not.approved@provisio.example' }],
      refreshTokens: [{ refreshToken: REFRESH_TOKEN, clientId: CLIENT_ID, username: ADMIN_USERNAME }],
    });
  });
  afterAll(() => emulator.close());

  const claims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    iss: JWT_CLIENT_ID,
    sub: JWT_USER,
    aud: emulator.url,
    exp: Math.floor(Date.now() / 1000) + 180,
    ...overrides,
  });

  const jwtConnection = (): jsforce.Connection =>
    new jsforce.Connection({ loginUrl: emulator.url, version: API_VERSION, oauth2: { loginUrl: emulator.url, clientId: JWT_CLIENT_ID } });

  it('logs in with the password grant (password + security token) and answers like Salesforce', async () => {
    const before = emulator.state.tokenRequestCount('password');
    const conn = newConnection(emulator);
    const userInfo = await conn.login(ADMIN_USERNAME, ADMIN_PASSWORD + SECURITY_TOKEN);
    expect(userInfo.id).toBe(emulator.state.userByUsername(ADMIN_USERNAME)?.['Id']);
    expect(userInfo.organizationId).toBe(emulator.state.orgId);
    expect(conn.instanceUrl).toBe(emulator.instanceUrl);
    expect(conn.accessToken).toMatch(new RegExp(`^${emulator.state.orgId.slice(0, 15)}!`));
    expect(emulator.state.tokenRequestCount('password')).toBe(before + 1);
  });

  it('answers the raw token response with Salesforce fields', async () => {
    const response = await fetch(`${emulator.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        username: ADMIN_USERNAME,
        password: ADMIN_PASSWORD + SECURITY_TOKEN,
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'id', 'instance_url', 'issued_at', 'signature', 'token_type']);
    expect(body['token_type']).toBe('Bearer');
    expect(body['id']).toMatch(new RegExp(`^${emulator.url}/id/00D`));
  });

  it('rejects a password without the security token, a wrong client id and a wrong secret', async () => {
    const noToken = await rejectionOf(newConnection(emulator).login(ADMIN_USERNAME, ADMIN_PASSWORD));
    expect(noToken.name).toBe('invalid_grant');
    expect(noToken.message).toBe('authentication failure');

    const badClient = new jsforce.Connection({
      version: API_VERSION,
      oauth2: { loginUrl: emulator.url, clientId: 'nope', clientSecret: CLIENT_SECRET },
    });
    const clientError = await rejectionOf(badClient.login(ADMIN_USERNAME, ADMIN_PASSWORD + SECURITY_TOKEN));
    expect(clientError.name).toBe('invalid_client_id');

    const badSecret = new jsforce.Connection({
      version: API_VERSION,
      oauth2: { loginUrl: emulator.url, clientId: CLIENT_ID, clientSecret: 'wrong' },
    });
    const secretError = await rejectionOf(badSecret.login(ADMIN_USERNAME, ADMIN_PASSWORD + SECURITY_TOKEN));
    expect(secretError.name).toBe('invalid_client');
    expect(secretError.message).not.toContain(CLIENT_SECRET);
  });

  it('rejects unsupported grants, JSON bodies and GET', async () => {
    const post = (body: string, contentType: string): Promise<Response> =>
      fetch(`${emulator.url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const unsupported = await post('grant_type=authorization_code&code=x', 'application/x-www-form-urlencoded');
    expect(unsupported.status).toBe(400);
    expect(await unsupported.json()).toEqual({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
    const json = await post(
      JSON.stringify({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
      'application/json',
    );
    expect(((await json.json()) as { error: string }).error).toBe('unsupported_grant_type');
    const get = await fetch(`${emulator.url}/services/oauth2/token`);
    expect(get.status).toBe(400);
  });

  it('issues a token for the execution user with the client credentials grant', async () => {
    const conn = newConnection(emulator);
    const userInfo = await conn.authorize({ grant_type: 'client_credentials' });
    expect(userInfo.id).toBe(emulator.state.userByUsername(ADMIN_USERNAME)?.['Id']);
    const result = await conn.query<{ Username: string }>(`SELECT Username FROM User WHERE Username = '${ADMIN_USERNAME}'`);
    expect(result.records.map((r) => r.Username)).toEqual([ADMIN_USERNAME]);
  });

  it('accepts a JWT bearer assertion signed with the key of the uploaded certificate', async () => {
    const conn = jwtConnection();
    const userInfo = await conn.authorize({ grant_type: JWT_BEARER_GRANT, assertion: jwt(keys.privateKey, claims()) });
    expect(userInfo.id).toBe(emulator.state.userByUsername(JWT_USER)?.['Id']);
    const me = await conn.sobject('User').retrieve(userInfo.id);
    expect(me['Username']).toBe(JWT_USER);
  });

  it.each([
    [
      'a wrong audience',
      () => jwt(keys.privateKey, claims({ aud: 'https://login.salesforce.com' })),
      'invalid_grant',
      'audience is invalid',
    ],
    [
      'an expired assertion',
      () => jwt(keys.privateKey, claims({ exp: Math.floor(Date.now() / 1000) - 10 })),
      'invalid_grant',
      'expired authorization code',
    ],
    ['a signature by another key', () => jwt(otherKeys.privateKey, claims()), 'invalid_grant', 'invalid assertion'],
    ['an unknown issuer', () => jwt(keys.privateKey, claims({ iss: 'unknown-app' })), 'invalid_client_id', 'client identifier invalid'],
    [
      'a user not pre-authorized',
      () => jwt(keys.privateKey, claims({ sub: 'not.approved@provisio.example' })),
      'invalid_grant',
      "user hasn't approved this consumer",
    ],
    ['garbage', () => 'not.a.jwt', 'invalid_grant', 'invalid assertion'],
  ])('rejects %s', async (_label, assertion, error, description) => {
    const failure = await rejectionOf(jwtConnection().authorize({ grant_type: JWT_BEARER_GRANT, assertion: assertion() }));
    expect(failure.name).toBe(error);
    expect(failure.message).toBe(description);
  });

  it('refreshes an expired session with a refresh token', async () => {
    const conn = new jsforce.Connection({
      version: API_VERSION,
      instanceUrl: emulator.instanceUrl,
      accessToken: 'stale-token',
      refreshToken: REFRESH_TOKEN,
      oauth2: { loginUrl: emulator.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    });
    const before = emulator.state.tokenRequestCount('refresh_token');
    const result = await conn.query('SELECT Id FROM Profile');
    expect(result.totalSize).toBeGreaterThanOrEqual(3);
    expect(emulator.state.tokenRequestCount('refresh_token')).toBe(before + 1);

    const bad = await fetch(`${emulator.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: 'unknown' }),
    });
    expect(await bad.json()).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
  });
});

describe('Salesforce emulator: separate instance host', () => {
  const sf = useFixture({ separateInstance: true });

  it('points instance_url at the instance listener, and jsforce follows it', async () => {
    expect(sf.emulator.instanceUrl).not.toBe(sf.emulator.url);
    const conn = newConnection(sf.emulator);
    await conn.login(ADMIN_USERNAME, ADMIN_PASSWORD + SECURITY_TOKEN);
    expect(conn.instanceUrl).toBe(sf.emulator.instanceUrl);
    const result = await conn.query('SELECT Id, Name FROM Profile');
    expect(result.totalSize).toBeGreaterThan(0);
  });

  it('does not serve the REST API on the login host', async () => {
    const conn = newConnection(sf.emulator);
    await conn.login(ADMIN_USERNAME, ADMIN_PASSWORD + SECURITY_TOKEN);
    const response = await fetch(`${sf.emulator.url}/services/data/v${API_VERSION}/limits`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    expect(response.status).toBe(404);
    const onInstance = await fetch(`${sf.emulator.instanceUrl}/services/data/v${API_VERSION}/limits`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    expect(onInstance.status).toBe(200);
  });
});
