import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { runCli, startServe, type ServerProcess } from './cli-harness.js';
import { TestCa, type Pem } from './tls-certificates.js';

const HR_TOKEN = 'tls-hr-token-0123456789abcdef';
const OKTA_TOKEN = 'tls-okta-token-0123456789abcdef';
const OKTA_SUBJECT = { CN: 'okta-scim', O: 'Example' };
const DAY = 24 * 60 * 60 * 1000;

interface Answer {
  status: number;
  body: string;
  /** Fingerprint of the certificate the server presented on this request's connection. */
  serverCertificate: string;
  reusedSocket: boolean;
}

interface Client {
  ca?: string;
  cert?: Pem;
  agent?: Agent;
  headers?: Record<string, string>;
}

/** One HTTPS request, bounded in time, trusting `ca` (never rejectUnauthorized: false). */
function get(url: string, client: Client): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        ca: client.ca,
        cert: client.cert?.cert,
        key: client.cert?.key,
        agent: client.agent ?? false,
        headers: client.headers,
        timeout: 10000,
      },
      (res) => {
        // Now: a kept-alive socket goes back to its agent's pool (res.socket null) once the body has been read.
        const serverCertificate = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, serverCertificate, reusedSocket: req.reusedSocket }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url} did not answer in 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** A plain-HTTP request; resolves with what came back, or the error that ended it. */
function plainGet(url: string, token: string): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { headers: { authorization: `Bearer ${token}` }, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', (error) => resolve({ error: error.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve({ error: error.message }));
    req.end();
  });
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const hasCurl = ['/usr/bin/curl', '/bin/curl', '/usr/local/bin/curl'].some((path) => existsSync(path));

/**
 * `server.tls` (issue 17): `provisio serve` answers SCIM over HTTPS only, binds
 * credentials to client certificates, replaces its certificate on SIGHUP, and
 * `provisio validate` explains certificates that cannot or should not be served.
 * The CA and certificates are made here, for the loopback names only.
 */
describe('TLS (server.tls)', () => {
  const ca = new TestCa();
  const otherCa = new TestCa('Some Other CA');
  const dir = mkdtempSync(join(tmpdir(), 'provisio-tls-'));
  const manifestPath = join(dir, 'provisio.config.yaml');
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  const tlsSection = `tls: { cert: "\${file:cert.pem}", key: "\${file:key.pem}", ca: "\${file:ca.pem}", requestClientCert: true }`;
  const manifest = (tls: string) => `server: { port: 0, logLevel: info${tls ? `, ${tls}` : ''} }
store: { type: sqlite, path: data/provisio.db }
inbound:
  scim:
    auth:
      bearer:
        - { name: hr, token: "${HR_TOKEN}" }
${tls ? `        - { name: okta, token: "${OKTA_TOKEN}", clientSubject: "CN=okta-scim, O=Example" }\n` : ''}      # The WSO2 docs' admin:admin (a password this short only as its digest).
      basic: [{ username: admin, passwordSha256: "${createHash('sha256').update('admin').digest('hex')}" }]
`;
  const first = ca.server();
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    write('ca.pem', ca.cert);
    write('cert.pem', first.cert);
    write('key.pem', first.key);
    write('provisio.config.yaml', manifest(tlsSection));
    server = await startServe(['--config', manifestPath], { cwd: dir });
  });

  afterAll(async () => {
    await server?.stop();
  });

  const url = (path: string) => `${server?.url ?? ''}${path}`;

  it('serves SCIM over HTTPS to a client that trusts the CA, at the https URL it announces', async () => {
    expect(server?.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await get(url('/scim/v2/Users'), { ca: ca.cert, headers: bearer(HR_TOKEN) });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'] });
    expect(answer.serverCertificate).toBe(fingerprint(first.cert));
    // A client that does not trust the CA refuses the server: it is a real certificate check.
    await expect(get(url('/healthz'), { ca: otherCa.cert })).rejects.toThrow(/self.signed|unable to verify|unable to get/i);
  });

  it('gives a plain-HTTP request on the same port no SCIM answer', async () => {
    const answer = await plainGet(url('/scim/v2/Users').replace(/^https:/, 'http:'), HR_TOKEN);
    expect(answer.body ?? '').not.toContain('ListResponse');
    expect(answer.status === undefined || answer.status >= 400).toBe(true);
  });

  it('accepts a credential bound to a client subject only with a verified certificate of that subject', async () => {
    const okta = ca.issue({ subject: OKTA_SUBJECT, client: true });
    const impostor = otherCa.issue({ subject: OKTA_SUBJECT, client: true });
    const wrongSubject = ca.issue({ subject: { CN: 'someone-else', O: 'Example' }, client: true });
    const users = url('/scim/v2/Users');
    expect((await get(users, { ca: ca.cert, headers: bearer(OKTA_TOKEN) })).status).toBe(401);
    expect((await get(users, { ca: ca.cert, cert: impostor, headers: bearer(OKTA_TOKEN) })).status).toBe(401);
    expect((await get(users, { ca: ca.cert, cert: wrongSubject, headers: bearer(OKTA_TOKEN) })).status).toBe(401);
    expect((await get(users, { ca: ca.cert, cert: okta, headers: bearer(OKTA_TOKEN) })).status).toBe(200);
    // A credential that is not bound keeps working without a certificate.
    expect((await get(users, { ca: ca.cert, headers: bearer(HR_TOKEN) })).status).toBe(200);
  });

  (hasCurl ? it : it.skip)(
    "answers the WSO2 docs' SCIM 1.1 request: curl -k --user admin:admin https://localhost:PORT/scim/v1/Users",
    async () => {
      const port = new URL(url('')).port;
      const output = await new Promise<string>((resolve, reject) => {
        execFile(
          'curl',
          ['-sS', '-k', '--max-time', '10', '--user', 'admin:admin', `https://localhost:${port}/scim/v1/Users`],
          { timeout: 15000 },
          (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
        );
      });
      expect(JSON.parse(output)).toMatchObject({ schemas: ['urn:scim:schemas:core:1.0'], totalResults: expect.any(Number) });
    },
  );

  it('serves a new certificate to new connections after SIGHUP, while a kept-alive connection survives', async () => {
    const running = server as ServerProcess;
    const keptAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = await get(url('/healthz'), { ca: ca.cert, agent: keptAlive });
      expect(before.serverCertificate).toBe(fingerprint(first.cert));

      const renewed = ca.server();
      write('cert.pem', renewed.cert);
      write('key.pem', renewed.key);
      running.child.kill('SIGHUP');
      await waitFor('the certificate to be replaced', () => running.output().includes('TLS certificate replaced'));

      const fresh = await get(url('/scim/v2/Users'), { ca: ca.cert, headers: bearer(HR_TOKEN) });
      expect(fresh.status).toBe(200);
      expect(fresh.serverCertificate).toBe(fingerprint(renewed.cert));
      const again = await get(url('/scim/v2/Users'), { ca: ca.cert, agent: keptAlive, headers: bearer(HR_TOKEN) });
      expect(again).toMatchObject({ status: 200, reusedSocket: true, serverCertificate: fingerprint(first.cert) });
    } finally {
      keptAlive.destroy();
    }
  });

  it('refuses, in one log line, a reload that switches TLS off or serves a key that does not fit', async () => {
    const running = server as ServerProcess;
    const rejections = () =>
      running
        .output()
        .split('\n')
        .filter((line) => line.includes('configuration reload rejected'));
    const count = rejections().length;
    write('provisio.config.yaml', manifest(''));
    running.child.kill('SIGHUP');
    await waitFor('the TLS-off reload to be rejected', () => rejections().length > count);
    expect(rejections().at(-1)).toContain('server.tls (TLS switched off) changed, which needs a restart');

    write('provisio.config.yaml', manifest(tlsSection));
    write('key.pem', ca.server().key);
    running.child.kill('SIGHUP');
    await waitFor('the mismatched key to be rejected', () => rejections().length > count + 1);
    expect(rejections().at(-1)).toContain('server.tls.key: the private key does not match the certificate in server.tls.cert');
    // Still serving over TLS.
    expect((await get(url('/scim/v2/Users'), { ca: ca.cert, headers: bearer(HR_TOKEN) })).status).toBe(200);
  });
});

describe('provisio validate and server.tls', () => {
  const ca = new TestCa();
  const dir = mkdtempSync(join(tmpdir(), 'provisio-tls-validate-'));
  const validate = (name: string, server: string, files: Record<string, string>) => {
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    writeFileSync(join(dir, name), `server: ${server}\n`);
    return runCli(['validate', '--config', join(dir, name)], { cwd: dir });
  };
  const tls = (prefix: string) => `{ tls: { cert: "\${file:${prefix}.cert.pem}", key: "\${file:${prefix}.key.pem}" } }`;

  it('accepts a good certificate and key', async () => {
    const good = ca.server();
    const result = await validate('good.yaml', tls('good'), { 'good.cert.pem': good.cert, 'good.key.pem': good.key });
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/^ok: /) });
  });

  it('fails a key that does not match the certificate, with one clear line', async () => {
    const result = await validate('mismatch.yaml', tls('mismatch'), {
      'mismatch.cert.pem': ca.server().cert,
      'mismatch.key.pem': ca.server().key,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: server.tls.key: the private key does not match the certificate in server.tls.cert\n');
  });

  it('reports an expired certificate', async () => {
    const expired = ca.server({ notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - DAY) });
    const result = await validate('expired.yaml', tls('expired'), { 'expired.cert.pem': expired.cert, 'expired.key.pem': expired.key });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error: server\.tls\.cert: the certificate \(CN=localhost\) has expired: valid until .+\n/);
  });

  it('warns when the server listens beyond loopback without TLS', async () => {
    const result = await validate('open.yaml', '{ host: 0.0.0.0 }', {});
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: server.host is 0.0.0.0 and server.tls is not set');
    expect((await validate('loopback.yaml', '{ host: "::1" }', {})).stderr).toBe('');
  });

  it('only notes plain HTTP beyond loopback when a TLS-terminating proxy is declared (server.trustProxy)', async () => {
    const result = await validate('proxied.yaml', '{ host: 0.0.0.0, trustProxy: [uniquelocal] }', {});
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('note: server.host is 0.0.0.0 without server.tls: TLS must end at the trusted proxy');
  });
});
