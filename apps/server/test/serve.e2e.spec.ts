import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, type ServerProcess } from './cli-harness.js';

describe('provisio serve', () => {
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('runs on the embedded defaults, answers /healthz and /readyz, and stops on SIGTERM with exit 0', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'provisio-serve-'));
    server = await startServe([], { cwd, timeoutMs: 30000 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect(await server.stop()).toBe(0);
    expect(server.output()).toContain('"msg":"provisio stopped"');
  });

  it('never writes a secret from the manifest to its logs', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'provisio-secrets-'));
    const secretKey = 'mem-api-key-7f3a9c1e55';
    const adminToken = 'admin-token-b41c0d9e2f8a';
    writeFileSync(
      join(cwd, 'provisio.config.yaml'),
      `server: { logLevel: trace }
admin:
  auth:
    bearer: [{ name: ops, token: "\${env:ADMIN_TOKEN}" }]
connectors:
  - id: mem
    type: memory
    config: { apiKey: "\${env:MEM_KEY}", failPermanently: "rejected key ${secretKey}" }
`,
    );
    server = await startServe([], { cwd, env: { MEM_KEY: secretKey, ADMIN_TOKEN: adminToken } });
    await server.stop();
    const logs = server.output();
    expect(logs).toContain('connector instance ready');
    expect(logs).toContain('"apiKey":"********"');
    expect(logs).not.toContain(secretKey);
    expect(logs).not.toContain(adminToken);
  });

  it('refuses to start on an invalid manifest, saying why', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'provisio-invalid-'));
    writeFileSync(join(cwd, 'provisio.config.yaml'), 'server: { port: "http" }\n');
    await expect(startServe([], { cwd, env: { PORT: '' } })).rejects.toThrow(/exited with 1 before listening:[\s\S]*error: server\.port: /);
  });
});
