// Authentication through the real connector: JSON and PKCS#12 keys, missing delegation, wrong keys,
// revoked tokens, check(), and secrets kept out of every message.
import { inspect } from 'node:util';
import type { GoogleEmulator } from '@provisio/emulators';
import {
  ADMIN,
  configFor,
  connectorFor,
  DOMAIN,
  generateKeyPair,
  jsonKeyFile,
  P12_EMAIL,
  pkcs12Key,
  SA_EMAIL,
  startEmulator,
  userPayload,
  type KeyPair,
} from './google-fixtures.js';

const USER_SCOPE = 'https://www.googleapis.com/auth/admin.directory.user';

describe('Google connector: authentication', () => {
  let emulator: GoogleEmulator;
  let keys: KeyPair;
  let p12Keys: KeyPair;
  let p12: { pkcs12Base64: string; certificatePem: string };

  beforeAll(async () => {
    keys = generateKeyPair();
    p12Keys = generateKeyPair();
    p12 = pkcs12Key(p12Keys);
    emulator = await startEmulator(keys, {
      serviceAccounts: [
        { clientEmail: SA_EMAIL, publicKeyPem: keys.publicKeyPem },
        // Registered by certificate, as Google publishes P12 keys.
        { clientEmail: P12_EMAIL, publicKeyPem: p12.certificatePem },
        // Delegated for the user scope only.
        { clientEmail: 'narrow@provisio-test.iam.gserviceaccount.com', publicKeyPem: keys.publicKeyPem, scopes: [USER_SCOPE] },
      ],
    });
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('works with a PKCS#12 key converted in memory (password notasecret by default)', async () => {
    const connector = await connectorFor(
      configFor(emulator, p12Keys, { serviceAccountEmail: P12_EMAIL, privateKey: { format: 'pkcs12', pkcs12Base64: p12.pkcs12Base64 } }),
    );
    const ref = await connector.createUser(userPayload('p12user'));
    expect(emulator.state.user(ref.remoteId)).toMatchObject({ primaryEmail: `p12user@${DOMAIN}` });
    expect(emulator.state.snapshot().activeTokens.some((t) => t.clientEmail === P12_EMAIL && t.subject === ADMIN)).toBe(true);
  });

  it('works with a PKCS#12 key under another password, and says so when the password is wrong', async () => {
    const custom = pkcs12Key(p12Keys, 's3cret-p12');
    const good = await connectorFor(
      configFor(emulator, p12Keys, {
        serviceAccountEmail: P12_EMAIL,
        privateKey: { format: 'pkcs12', pkcs12Base64: custom.pkcs12Base64, password: 's3cret-p12' },
      }),
    );
    await expect(good.findUser({ localId: 'x', attributes: { primaryEmail: ADMIN } })).resolves.toMatchObject({ remoteName: ADMIN });
    const bad = await connectorFor(
      configFor(emulator, p12Keys, {
        serviceAccountEmail: P12_EMAIL,
        privateKey: { format: 'pkcs12', pkcs12Base64: custom.pkcs12Base64, password: 'wrong' },
      }),
    );
    const error = (await bad.createUser(userPayload('nobody')).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ kind: 'permanent', message: expect.stringContaining('privateKey.password') });
    expect(inspect(error)).not.toContain(custom.pkcs12Base64.slice(0, 40));
  });

  it('works with a PEM key and an explicit service account email', async () => {
    const connector = await connectorFor(
      configFor(emulator, keys, { serviceAccountEmail: SA_EMAIL, privateKey: { format: 'pem', pem: keys.privateKeyPem } }),
    );
    await expect(connector.findUser({ localId: 'x', attributes: { primaryEmail: ADMIN } })).resolves.toMatchObject({ remoteName: ADMIN });
  });

  it('explains missing domain-wide delegation (unauthorized_client) as a permanent error naming the scopes', async () => {
    const connector = await connectorFor(
      configFor(emulator, keys, {
        serviceAccountEmail: 'narrow@provisio-test.iam.gserviceaccount.com',
        privateKey: { format: 'pem', pem: keys.privateKeyPem },
      }),
    );
    const error = (await connector.createUser(userPayload('delegation')).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ kind: 'permanent', remoteCode: 'unauthorized_client' });
    expect(error.message).toContain('Domain-wide delegation');
    expect(error.message).toContain('https://www.googleapis.com/auth/admin.directory.group.member');
    expect(error.message).toContain('narrow@provisio-test.iam.gserviceaccount.com');
  });

  it("reports a key that is not the service account's (invalid_grant) as permanent", async () => {
    const stranger = generateKeyPair();
    const connector = await connectorFor(configFor(emulator, stranger));
    const error = (await connector.findUser({ localId: 'x', attributes: { primaryEmail: ADMIN } }).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ kind: 'permanent', remoteCode: 'invalid_grant' });
    expect(error.message).toContain('Invalid JWT Signature');
  });

  it('reports an admin email that is not a super administrator as permanent (403 Not Authorized)', async () => {
    const writer = await connectorFor(configFor(emulator, keys));
    await writer.createUser(userPayload('plainuser'));
    const connector = await connectorFor(configFor(emulator, keys, { adminEmail: `plainuser@${DOMAIN}` }));
    const error = (await connector.createUser(userPayload('x1')).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ kind: 'permanent', remoteCode: 403 });
    expect(error.message).toContain('Not Authorized to access this resource/api');
    expect(error.message).toContain('super administrator');
  });

  it('fetches a new token once when Google refuses the cached one (revoked), then carries on', async () => {
    const connector = await connectorFor(configFor(emulator, keys));
    await connector.findUser({ localId: 'x', attributes: { primaryEmail: ADMIN } });
    const tokensBefore = emulator.state.tokensIssued;
    emulator.faults.expireTokens();
    await expect(connector.findUser({ localId: 'x', attributes: { primaryEmail: ADMIN } })).resolves.toMatchObject({ remoteName: ADMIN });
    expect(emulator.state.tokensIssued).toBe(tokensBefore + 1);
    // The batch path rebuilds too.
    emulator.faults.expireTokens();
    await expect(
      connector.provisionBatch([{ kind: 'createUser', jobId: 'j', payload: userPayload('afterrevoke') }]),
    ).resolves.toMatchObject([{ ok: true }]);
    expect(emulator.state.tokensIssued).toBe(tokensBefore + 2);
  });

  it('calls in flight when the token is revoked share one new token', async () => {
    const connector = await connectorFor(configFor(emulator, keys));
    await connector.findUser({ localId: 'x', attributes: { primaryEmail: ADMIN } });
    const tokensBefore = emulator.state.tokensIssued;
    emulator.faults.expireTokens();
    const lookups = Array.from({ length: 6 }, () => connector.findUser({ localId: 'x', attributes: { primaryEmail: ADMIN } }));
    await expect(Promise.all(lookups)).resolves.toHaveLength(6);
    expect(emulator.state.tokensIssued).toBe(tokensBefore + 1);
  });

  it('check() authenticates and reads the customer and the domain', async () => {
    const connector = await connectorFor(configFor(emulator, keys));
    const report = await connector.check();
    expect(report).toMatchObject({ ok: true, details: { customerId: emulator.customerId, customerDomain: DOMAIN } });
    expect(report.message).toContain(SA_EMAIL);
    expect(report.message).toContain(DOMAIN);
  });

  it('check() reports failures without throwing: wrong domain, missing delegation, unreachable Google', async () => {
    const otherDomain = await (await connectorFor(configFor(emulator, keys, { domain: 'not-ours.com' }))).check();
    expect(otherDomain.ok).toBe(false);
    expect(otherDomain.message).toContain('403');
    const narrow = await (
      await connectorFor(
        configFor(emulator, keys, {
          serviceAccountEmail: 'narrow@provisio-test.iam.gserviceaccount.com',
          privateKey: { format: 'pem', pem: keys.privateKeyPem },
        }),
      )
    ).check();
    expect(narrow).toMatchObject({ ok: false, message: expect.stringContaining('unauthorized_client') });
    const down = await (
      await connectorFor(configFor(emulator, keys, { tokenUrl: 'http://127.0.0.1:9/token', timeouts: { requestMs: 2000, batchMs: 2000 } }))
    ).check();
    expect(down).toMatchObject({ ok: false, message: expect.stringContaining('did not answer') });
    const brokenKey = await (
      await connectorFor(configFor(emulator, keys, { privateKey: { format: 'json', json: '{"private_key": "nope"}' } }))
    ).check();
    expect(brokenKey).toMatchObject({ ok: false, message: expect.stringContaining('not a readable RSA private key') });
  });

  it('never puts key material or access tokens in errors or health messages', async () => {
    const secretsOf = (k: KeyPair) => [k.privateKeyPem.split('\n')[1], jsonKeyFile(k).slice(0, 60)];
    const stranger = generateKeyPair();
    const failing = [
      await connectorFor(configFor(emulator, stranger)),
      await connectorFor(
        configFor(emulator, keys, {
          serviceAccountEmail: 'narrow@provisio-test.iam.gserviceaccount.com',
          privateKey: { format: 'pem', pem: keys.privateKeyPem },
        }),
      ),
      await connectorFor(
        configFor(emulator, keys, { privateKey: { format: 'json', json: `{"private_key": "${'x'.repeat(20)}", broken` } }),
      ),
    ];
    const texts: string[] = [];
    for (const connector of failing) {
      const error = await connector.createUser(userPayload('secretcheck')).catch((e: unknown) => e);
      texts.push(inspect(error, { depth: 10 }), JSON.stringify(error), (await connector.check()).message);
    }
    const tokens = await connectorFor(configFor(emulator, keys));
    await tokens.createUser(userPayload('tokenholder'));
    const dup = await tokens.createUser(userPayload('tokenholder')).catch((e: unknown) => e);
    texts.push(inspect(dup, { depth: 10 }));
    const all = texts.join('\n');
    for (const secret of [...secretsOf(keys), ...secretsOf(stranger), 'x'.repeat(20)]) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/ya29\./);
    expect(all).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
  });
});
