// TLS with a custom CA: a self-signed certificate (made with node-forge) on an HTTPS front of the emulator.
import { generateKeyPairSync } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { startScimEmulator, type ScimEmulator } from '@provisio/emulators';
import { scim2Connector, type ScimConnector } from '../src/index.js';
import { sampleUser, testContext } from './scim-test-support.js';

function selfSignedCertificate(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 3600_000);
  const subject = [{ name: 'commonName', value: '127.0.0.1' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ]);
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  cert.sign(forge.pki.privateKeyFromPem(key), forge.md.sha256.create());
  return { key, cert: forge.pki.certificateToPem(cert) };
}

describe('TLS to a self-signed SCIM service', () => {
  let emulator: ScimEmulator;
  let front: Server;
  let baseUrl: string;
  let caPem: string;
  const ctx = testContext();

  beforeAll(async () => {
    emulator = await startScimEmulator({ auth: { type: 'bearer', token: 'tls-token-123' } });
    const { key, cert } = selfSignedCertificate();
    caPem = cert;
    front = createServer({ key, cert }, (req, res) => {
      const upstream = httpRequest(`${emulator.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    baseUrl = `https://127.0.0.1:${(front.address() as AddressInfo).port}/scim/v2`;
  });

  afterAll(async () => {
    front.closeAllConnections();
    await new Promise((resolve) => front.close(resolve));
    await emulator.close();
    ctx.http.httpAgent.destroy();
    ctx.http.httpsAgent.destroy();
  });

  const connect = async (tls: Record<string, unknown>) =>
    (await scim2Connector.create(
      scim2Connector.configSchema.parse({ baseUrl, auth: { type: 'bearer', token: 'tls-token-123' }, tls }),
      ctx,
    )) as ScimConnector;

  it('trusts the service through tls.caPem and provisions over HTTPS', async () => {
    const connector = await connect({ caPem });
    expect(await connector.check()).toMatchObject({ ok: true });
    const ref = await connector.createUser(sampleUser(1));
    expect(emulator.state.findUserByUserName('user1@example.com')?.['id']).toBe(ref.remoteId);
    await connector.close();
  });

  it('refuses the self-signed certificate without the CA: check() says why, writes fail transiently', async () => {
    const connector = await connect({});
    const report = await connector.check();
    expect(report.ok).toBe(false);
    expect(report.message).toMatch(/certificate/i);
    await expect(connector.createUser(sampleUser(2))).rejects.toHaveProperty('kind', 'transient');
    await connector.close();
  });

  it('connects without verification only when told to (rejectUnauthorized: false)', async () => {
    const connector = await connect({ rejectUnauthorized: false });
    expect((await connector.check()).ok).toBe(true);
    await connector.close();
  });
});
