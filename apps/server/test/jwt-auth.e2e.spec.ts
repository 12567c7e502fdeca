import { createServer, request as httpRequest, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createLogger, loadConfiguration, startServer, type RunningServer } from '../src/index.js';

const ISSUER = 'https://login.example.test/tenant-1/v2.0';
const SCIM_AUDIENCE = 'api://provisio-scim';
const DOWN_ISSUER = 'https://down.example.test/';
const ADMIN_ISSUER = 'https://okta.example.test/oauth2/default';
const ADMIN_AUDIENCE = 'api://provisio-admin';

interface TestKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  jwk: JWK;
  pem: string;
}

async function newKey(kid: string, alg: 'RS256' | 'ES256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }, pem: await exportSPKI(publicKey) };
}

/** A JWKS endpoint on loopback serving `keys`, counting every fetch. */
async function startJwksServer(keys: () => JWK[]): Promise<{ url: string; fetches: () => number; close: () => Promise<void> }> {
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    fetches += 1;
    res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: keys() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/keys`,
    fetches: () => fetches,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A loopback URL nothing listens on (a port just freed). */
async function closedLoopbackUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/keys`;
}

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

interface Claims {
  iss?: string;
  aud?: string;
  scope?: string;
  scp?: string | string[];
  /** Seconds from now; negative: in the past. */
  expiresIn?: number;
}

async function sign(key: TestKey, claims: Claims = {}, header: { kid?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { sub: 'client-app', scope: claims.scope ?? 'provisio.scim other' };
  if (claims.scp !== undefined) payload.scp = claims.scp;
  if (claims.scope === '') delete payload.scope;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: header.kid ?? key.kid, typ: 'JWT' })
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? SCIM_AUDIENCE)
    .setIssuedAt(now - 5)
    .setExpirationTime(now + (claims.expiresIn ?? 300))
    .sign(key.privateKey);
}

/** An unsigned token (`alg: none`), as an attacker would forge it. */
function unsigned(claims: Record<string, unknown>): string {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
}

/** HS256 "signed" with the bytes of the RSA public key: the classic key-confusion forgery. */
async function hs256WithPublicKey(key: TestKey, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(new TextEncoder().encode(key.pem));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * JWT inbound auth against the real server: a JWKS server on loopback with keys
 * made here, tokens valid and forged in every usual way, the JWKS refresh bound,
 * key rotation, scopes, the admin API with a PEM key, the failed-attempt
 * throttle, and logs that never hold a token.
 */
describe('JWT inbound authentication', () => {
  let current: TestKey;
  let rotated: TestKey;
  let stranger: TestKey;
  let adminKey: TestKey;
  let published: JWK[];
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  let server: RunningServer;
  const logLines: string[] = [];
  const tokensSent: string[] = [];

  beforeAll(async () => {
    [current, rotated, stranger, adminKey] = await Promise.all([
      newKey('key-2026-a', 'RS256'),
      newKey('key-2026-b', 'ES256'),
      newKey('key-unpublished', 'RS256'),
      newKey('okta-1', 'RS256'),
    ]);
    published = [current.jwk];
    jwks = await startJwksServer(() => published);
    const deadJwksUrl = await closedLoopbackUrl();
    const dir = mkdtempSync(join(tmpdir(), 'provisio-jwt-'));
    writeFileSync(join(dir, 'okta-public.pem'), adminKey.pem);
    writeFileSync(
      join(dir, 'provisio.config.yaml'),
      `server: { port: 0 }
inbound:
  scim:
    auth:
      jwt:
        - name: entra-provisioning
          issuer: ${ISSUER}
          audience: ${SCIM_AUDIENCE}
          jwksUri: ${jwks.url}
          requiredScopes: [provisio.scim]
          jwksRefreshSeconds: 1
        - name: provider-down
          issuer: ${DOWN_ISSUER}
          audience: ${SCIM_AUDIENCE}
          jwksUri: ${deadJwksUrl}
      failedAttempts: { limit: 1000, windowSeconds: 60 }
admin:
  auth:
    jwt:
      - name: okta-ops
        issuer: ${ADMIN_ISSUER}
        audience: ${ADMIN_AUDIENCE}
        publicKey: \${file:okta-public.pem}
    failedAttempts: { limit: 3, windowSeconds: 60 }
`,
    );
    const configuration = await loadConfiguration({ manifestPath: join(dir, 'provisio.config.yaml'), cwd: dir, env: {} });
    if (configuration.problems.length > 0) throw new Error(`manifest problems: ${JSON.stringify(configuration.problems)}`);
    const { logger } = createLogger({
      level: 'debug',
      secrets: configuration.secretValues,
      destination: { write: (line: string) => void logLines.push(line) },
    });
    server = await startServer(configuration, logger);
  });

  afterAll(async () => {
    await server?.stop();
    await jwks?.close();
  });

  const scim = (token: string | undefined, path = '/scim/v2/Users') => {
    if (token !== undefined) tokensSent.push(token);
    return fetch(`${server.url}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  };

  /** A refused SCIM request: 401 with the SCIM error shape, a Bearer challenge naming the reason. */
  async function expectInvalidToken(response: Response, reason: string): Promise<void> {
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/scim+json');
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer realm="provisio-scim", error="invalid_token", error_description="${reason}"`,
    );
    expect(await response.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '401',
      detail: expect.stringMatching(new RegExp(`^invalid token: ${reason} \\(request id [\\w.-]+\\)$`)),
    });
  }

  it('accepts a valid token from the JWKS and records the credential name as the actor', async () => {
    const response = await scim(await sign(current));
    expect(response.status).toBe(200);
    expect(jwks.fetches()).toBe(1);
    // A second request is served from the cache.
    expect((await scim(await sign(current))).status).toBe(200);
    expect(jwks.fetches()).toBe(1);

    const created = await fetch(`${server.url}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await sign(current)}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'jwt.user@example.com' }),
    });
    expect(created.status).toBe(201);
    const audit = await server.runtime.options.store.listAudit({ limit: 10 });
    expect(audit.map((entry) => entry.actor)).toContain('scim:entra-provisioning');
  });

  it('accepts the scopes in scp too (a string as Entra ID sends it, an array as Okta does)', async () => {
    expect((await scim(await sign(current, { scope: '', scp: 'provisio.scim' }))).status).toBe(200);
    expect((await scim(await sign(current, { scope: '', scp: ['x', 'provisio.scim'] }))).status).toBe(200);
  });

  it('refuses an expired token, the wrong audience and the wrong issuer with 401', async () => {
    await expectInvalidToken(await scim(await sign(current, { expiresIn: -120 })), 'expired');
    await expectInvalidToken(await scim(await sign(current, { aud: 'api://someone-else' })), 'wrong audience');
    await expectInvalidToken(await scim(await sign(current, { iss: 'https://evil.example.test/' })), 'wrong issuer');
  });

  it('allows the configured clock skew: a token expired 30 s ago still passes (default 60 s)', async () => {
    expect((await scim(await sign(current, { expiresIn: -30 }))).status).toBe(200);
  });

  it('refuses alg none and an HS256 token signed with the public key, without fetching keys', async () => {
    const before = jwks.fetches();
    const claims = { iss: ISSUER, aud: SCIM_AUDIENCE, scope: 'provisio.scim', exp: Math.floor(Date.now() / 1000) + 300 };
    const none = unsigned(claims);
    tokensSent.push(none);
    await expectInvalidToken(await scim(none), 'algorithm not allowed');
    await expectInvalidToken(await scim(await hs256WithPublicKey(current, claims)), 'algorithm not allowed');
    expect(jwks.fetches()).toBe(before);
  });

  it('refuses a token signed by a key not in the JWKS that claims a published kid', async () => {
    await expectInvalidToken(await scim(await sign(stranger, {}, { kid: current.kid })), 'bad signature');
  });

  it('refreshes the JWKS once for an unknown kid, then refuses it; more unknown kids within the bound fetch nothing', async () => {
    await sleep(1100); // past jwksRefreshSeconds since the last fetch
    const before = jwks.fetches();
    await expectInvalidToken(await scim(await sign(stranger)), 'unknown key id');
    expect(jwks.fetches()).toBe(before + 1);
    // A flood of unknown kids: no further fetch within the bound.
    for (let i = 0; i < 5; i++) await expectInvalidToken(await scim(await sign(stranger, {}, { kid: `flood-${i}` })), 'unknown key id');
    expect(jwks.fetches()).toBe(before + 1);
  });

  it('accepts a key rotated into the JWKS once it has refreshed', async () => {
    published = [current.jwk, rotated.jwk];
    await sleep(1100);
    const before = jwks.fetches();
    expect((await scim(await sign(rotated))).status).toBe(200);
    expect(jwks.fetches()).toBe(before + 1);
    // The old key keeps working until the provider drops it.
    expect((await scim(await sign(current))).status).toBe(200);
    expect(jwks.fetches()).toBe(before + 1);
  });

  it('answers 403 insufficient_scope, as a SCIM error, for a valid token without the required scope', async () => {
    const response = await scim(await sign(current, { scope: 'other' }));
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="provisio-scim", error="insufficient_scope", scope="provisio.scim"',
    );
    expect(await response.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '403',
      detail: expect.stringMatching(/^the token lacks the scope provisio\.scim \(request id [\w.-]+\)$/),
    });
  });

  it('answers SCIM 1.1 clients with their own error shape and a challenge', async () => {
    const response = await scim(await sign(current, { expiresIn: -3600 }), '/scim/v1/Users');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await response.json()).toEqual({
      Errors: [{ description: expect.stringMatching(/^invalid token: expired \(request id [\w.-]+\)$/), code: '401' }],
    });
  });

  it('refuses a request without credentials with a plain challenge offering Bearer and Basic', async () => {
    const response = await scim(undefined);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="provisio-scim", Basic realm="provisio-scim"');
    expect(((await response.json()) as { schemas: string[] }).schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  });

  it("answers 503 with Retry-After when the provider's JWKS cannot be fetched, not counting it against the client", async () => {
    const response = await scim(await sign(current, { iss: DOWN_ISSUER }));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(((await response.json()) as { detail: string }).detail).toMatch(
      /^the identity provider's keys could not be fetched to check the token; try again later \(request id [\w.-]+\)$/,
    );
  });

  describe('admin API', () => {
    const admin = (token: string, localAddress: string) => {
      tokensSent.push(token);
      return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: unknown }>((resolve, reject) => {
        const url = new URL('/admin/v1/session', server.url);
        const req = httpRequest(url, { localAddress, headers: { authorization: `Bearer ${token}` } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString()) }),
          );
        });
        req.on('error', reject);
        req.setTimeout(5000, () => req.destroy(new Error('timeout')));
        req.end();
      });
    };
    const adminToken = (claims: Claims = {}) => sign(adminKey, { iss: ADMIN_ISSUER, aud: ADMIN_AUDIENCE, ...claims });

    it('accepts a token signed with the configured PEM key and refuses a forged or expired one', async () => {
      const valid = await admin(await adminToken(), '127.0.0.1');
      expect(valid.status).toBe(200);
      expect(valid.body).toEqual({ name: 'okta-ops', readOnly: false, tenant: 'carbon.super', superAdmin: true });

      const expired = await admin(await adminToken({ expiresIn: -600 }), '127.0.0.1');
      expect(expired.status).toBe(401);
      expect(expired.headers['www-authenticate']).toBe('Bearer realm="provisio-admin", error="invalid_token", error_description="expired"');
      expect(expired.body).toEqual({ error: { status: 401, message: 'invalid token: expired' } });

      const forged = await admin(
        await hs256WithPublicKey(adminKey, { iss: ADMIN_ISSUER, aud: ADMIN_AUDIENCE, exp: 9999999999 }),
        '127.0.0.1',
      );
      expect(forged.status).toBe(401);
      // The scim key is not the admin one: a valid SCIM token is no admin token.
      expect((await admin(await sign(current), '127.0.0.1')).status).toBe(401);
    });

    it('throttles an address after repeated failures (429, Retry-After) while other addresses go on', async () => {
      // Fresh loopback addresses (all of 127/8 reaches the server): 127.0.0.1 used up its allowance above.
      const attacker = '127.0.0.2';
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await admin(await adminToken({ aud: 'api://wrong' }), attacker)).status);
      expect(statuses).toEqual([401, 401, 401]);
      const throttled = await admin(await adminToken(), attacker);
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(throttled.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(throttled.body).toEqual({
        error: { status: 429, message: 'too many failed authentications from this address; try again later' },
      });

      expect((await admin(await adminToken(), '127.0.0.3')).status).toBe(200);
      const blockedLines = logLines.filter((line) => line.includes('address refused until its window ends'));
      expect(blockedLines.length).toBeGreaterThanOrEqual(1);
      expect(blockedLines.some((line) => line.includes('"remoteAddress":"127.0.0.2"'))).toBe(true);
    });
  });

  it('logs each failure with its address and reason, and nothing of any token', () => {
    const failures = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.msg === 'authentication failed');
    const reasons = new Set(failures.map((l) => l.reason));
    for (const reason of [
      'expired',
      'wrong audience',
      'wrong issuer',
      'algorithm not allowed',
      'unknown key id',
      'bad signature',
      'insufficient scope',
    ])
      expect(reasons).toContain(reason);
    expect(failures.every((l) => typeof l.remoteAddress === 'string' && l.remoteAddress !== '')).toBe(true);

    const log = logLines.join('');
    expect(tokensSent.length).toBeGreaterThan(20);
    for (const token of tokensSent) {
      // Every 20-character window of every token sent, header, payload and signature alike.
      for (let start = 0; start + 20 <= token.length; start += 1) {
        const piece = token.slice(start, start + 20);
        if (log.includes(piece)) throw new Error(`the log holds a piece of a token: ${piece}`);
      }
    }
  });
});
