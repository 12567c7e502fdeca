// Token endpoint (JWT-bearer, domain-wide delegation) and API authentication, driven by the real
// google-auth-library JWT client and @googleapis/admin.
import forge from 'node-forge';
import {
  generateGoogleServiceAccountKey,
  startGoogleEmulator,
  type GoogleEmulator,
  type GoogleServiceAccountKeyPair,
} from '../../src/google/index.js';
import { ADMIN, captureError, directoryFor, jwtClientFor, SA_EMAIL, USER_SCOPE, validUser } from './google-test-clients.js';

const P12_EMAIL = 'p12-account@provisio-test.iam.gserviceaccount.com';
const P12_PASSWORD = 'notasecret';

/** Builds a PKCS#12 file like the one Google hands out (key + self-signed certificate), in memory. */
function buildP12(keys: GoogleServiceAccountKeyPair): { p12Der: string; certificatePem: string } {
  const privateKey = forge.pki.privateKeyFromPem(keys.privateKeyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ name: 'commonName', value: P12_EMAIL }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(privateKey, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(privateKey, cert, P12_PASSWORD, { algorithm: '3des' });
  return { p12Der: forge.asn1.toDer(asn1).getBytes(), certificatePem: forge.pki.certificateToPem(cert) };
}

/** The connector's path for a WSO2-style .p12 upload: PKCS#12 -> PEM private key, in memory. */
function privateKeyPemFromP12(p12Der: string, password: string): string {
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12Der), password);
  const bags = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? [];
  const key = bags[0]?.key;
  if (!key) throw new Error('no private key in PKCS#12');
  return forge.pki.privateKeyToPem(key);
}

describe('Google emulator: OAuth JWT-bearer and API authentication', () => {
  let emulator: GoogleEmulator;
  let keys: GoogleServiceAccountKeyPair;
  let p12: { p12Der: string; certificatePem: string };
  let p12Keys: GoogleServiceAccountKeyPair;

  beforeAll(async () => {
    keys = generateGoogleServiceAccountKey();
    p12Keys = generateGoogleServiceAccountKey();
    p12 = buildP12(p12Keys);
    emulator = await startGoogleEmulator({
      domains: ['example.com'],
      admins: [ADMIN],
      serviceAccounts: [
        { clientEmail: SA_EMAIL, publicKeyPem: keys.publicKeyPem },
        // Registered by certificate, as Google publishes P12 keys; only the user scope is delegated.
        { clientEmail: P12_EMAIL, publicKeyPem: p12.certificatePem, scopes: [USER_SCOPE] },
      ],
    });
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('issues a token to the JWT client through the redirected token URL and serves the Directory API', async () => {
    const before = emulator.state.tokenRequestCount;
    const auth = jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem });
    const credentials = await auth.authorize();
    expect(credentials.access_token).toMatch(/^ya29\./);
    expect(credentials.token_type).toBe('Bearer');
    expect(emulator.state.tokenRequestCount).toBe(before + 1);

    const res = await directoryFor(emulator, auth).users.get({ userKey: ADMIN });
    expect(res.data.primaryEmail).toBe(ADMIN);
    expect(res.data.isAdmin).toBe(true);
    expect(res.data.kind).toBe('admin#directory#user');
    // The cached token is reused: no second token request.
    expect(emulator.state.tokenRequestCount).toBe(before + 1);

    const snapshot = JSON.stringify(emulator.state.snapshot());
    expect(snapshot).not.toContain(credentials.access_token);
    expect(snapshot).toContain(`"subject":"${ADMIN}"`);
  });

  it('accepts a key recovered in memory from a PKCS#12 file, verified against the certificate', async () => {
    const privateKeyPem = privateKeyPemFromP12(p12.p12Der, P12_PASSWORD);
    const auth = jwtClientFor(emulator, { privateKeyPem, email: P12_EMAIL, scopes: [USER_SCOPE] });
    const res = await directoryFor(emulator, auth).users.list({ customer: 'my_customer' });
    expect(res.data.users?.map((u) => u.primaryEmail)).toContain(ADMIN);
  });

  it('answers invalid_grant "Invalid JWT Signature." for an assertion signed with another key', async () => {
    const stranger = generateGoogleServiceAccountKey();
    const auth = jwtClientFor(emulator, { privateKeyPem: stranger.privateKeyPem });
    const error = await captureError(() => auth.authorize());
    expect(error.status).toBe(400);
    expect(error.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
  });

  it('answers invalid_grant for an unknown service account and for a subject that is not a user', async () => {
    const unknownAccount = await captureError(() =>
      jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem, email: 'nobody@x.iam.gserviceaccount.com' }).authorize(),
    );
    expect(unknownAccount.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid grant: account not found' });

    const unknownSubject = await captureError(() =>
      jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem, subject: 'ghost@example.com' }).authorize(),
    );
    expect(unknownSubject.status).toBe(400);
    expect(unknownSubject.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid email or User ID' });
  });

  it('answers unauthorized_client when a scope is not delegated to the client', async () => {
    const privateKeyPem = privateKeyPemFromP12(p12.p12Der, P12_PASSWORD);
    const auth = jwtClientFor(emulator, {
      privateKeyPem,
      email: P12_EMAIL,
      scopes: [USER_SCOPE, 'https://www.googleapis.com/auth/admin.directory.group'],
    });
    const error = await captureError(() => auth.authorize());
    expect(error.status).toBe(401);
    expect(error.body).toMatchObject({ error: 'unauthorized_client' });
    expect(error.message).toContain('unauthorized_client: Client is unauthorized to retrieve access tokens');
  });

  it('answers invalid_scope for a scope Google does not know', async () => {
    const auth = jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem, scopes: ['admin.directory.user'] });
    const error = await captureError(() => auth.authorize());
    expect(error.body).toMatchObject({ error: 'invalid_scope' });
  });

  it('rejects a token without the needed scope with 403 insufficientPermissions', async () => {
    const auth = jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem, scopes: [USER_SCOPE] });
    const error = await captureError(() => directoryFor(emulator, auth).groups.list({ customer: 'my_customer' }));
    expect(error.status).toBe(403);
    expect(error.reason).toBe('insufficientPermissions');
    expect(error.message).toBe('Request had insufficient authentication scopes.');
    expect(error.body).toMatchObject({ error: { errors: [{ message: 'Insufficient Permission' }], status: 'PERMISSION_DENIED' } });
    expect(error.headers?.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('forbids impersonating a user who is not an administrator, and the service account acting as itself', async () => {
    const admin = directoryFor(emulator, jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem }));
    await admin.users.insert({ requestBody: validUser('plain.user@example.com') });

    const asUser = directoryFor(emulator, jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem, subject: 'plain.user@example.com' }));
    const userError = await captureError(() => asUser.users.list({ customer: 'my_customer' }));
    expect(userError.status).toBe(403);
    expect(userError.reason).toBe('forbidden');
    expect(userError.message).toBe('Not Authorized to access this resource/api');

    const asSelf = directoryFor(emulator, jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem, subject: undefined }));
    expect((await captureError(() => asSelf.users.get({ userKey: ADMIN }))).reason).toBe('forbidden');
  });

  it('answers 401 without a bearer token and with an unknown one', async () => {
    const missing = await fetch(`${emulator.url}/admin/directory/v1/users/${ADMIN}`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expect(await missing.json()).toEqual({
      error: {
        code: 401,
        message: expect.stringMatching(/^Request is missing required authentication credential\. Expected OAuth 2 access token/),
        errors: [{ message: 'Login Required.', domain: 'global', reason: 'required', location: 'Authorization', locationType: 'header' }],
        status: 'UNAUTHENTICATED',
      },
    });
    const forged = await fetch(`${emulator.url}/admin/directory/v1/users/${ADMIN}`, { headers: { authorization: 'Bearer ya29.forged' } });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { errors: Array<{ reason: string }> } }).error.errors[0].reason).toBe('authError');
  });

  it('after revokeTokens() the API answers 401; the JWT client retries once with its cached token, a new client recovers', async () => {
    const auth = jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem, forceRefreshOnFailure: true });
    await directoryFor(emulator, auth).users.get({ userKey: ADMIN });
    const tokensBefore = emulator.state.tokensIssued;
    const callsBefore = emulator.state.callCount;

    emulator.faults.expireTokens();
    const error = await captureError(() => directoryFor(emulator, auth).users.get({ userKey: ADMIN }));
    expect(error.status).toBe(401);
    expect(error.reason).toBe('authError');
    // google-auth-library re-sends once (forceRefreshOnFailure) but its token cache hands back the same token.
    expect(emulator.state.callCount).toBe(callsBefore + 2);
    expect(emulator.state.tokensIssued).toBe(tokensBefore);

    const fresh = jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem });
    expect((await directoryFor(emulator, fresh).users.get({ userKey: ADMIN })).status).toBe(200);
    expect(emulator.state.tokensIssued).toBe(tokensBefore + 1);
  });

  it('keysRevoked through the control API: issued tokens stop working and every assertion is refused until restored', async () => {
    const auth = jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem });
    expect((await directoryFor(emulator, auth).users.get({ userKey: ADMIN })).status).toBe(200);
    const control = (body: unknown) =>
      fetch(`${emulator.url}/__emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect(((await (await control({ keysRevoked: true })).json()) as { keysRevoked: boolean }).keysRevoked).toBe(true);

    const refused = await captureError(() =>
      directoryFor(emulator, jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem })).users.get({ userKey: ADMIN }),
    );
    expect(refused.message).toContain('invalid_grant');
    const stale = await fetch(`${emulator.url}/admin/directory/v1/users/${ADMIN}`, {
      headers: { authorization: `Bearer ${(await auth.getAccessToken()).token}` },
    });
    expect(stale.status).toBe(401);

    expect(((await (await control({ keysRevoked: false })).json()) as { keysRevoked: boolean }).keysRevoked).toBe(false);
    const restored = jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem });
    expect((await directoryFor(emulator, restored).users.get({ userKey: ADMIN })).status).toBe(200);
  });
});
