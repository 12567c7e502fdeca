import type { MemoryConnector } from '@provisio/connector-memory';
import { startInProcessServer, type InProcessServer } from './in-process-server.js';

const TOKEN = 'scim-e2e-token-0123456789abcdef';

/** SCIM inbound → pipeline → memory connector, through the real server. */
describe('SCIM inbound provisions through the pipeline', () => {
  let server: InProcessServer;
  const scim = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const { json, ...rest } = init;
    return fetch(`${server.url}/scim${path}`, {
      ...rest,
      headers: { authorization: `Bearer ${TOKEN}`, ...(json === undefined ? {} : { 'content-type': 'application/scim+json' }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
  };
  const memory = () => server.runtime.options.instances.get('mem')?.connector as MemoryConnector;
  const until = async (condition: () => boolean) => {
    for (let waited = 0; waited < 10000 && !condition(); waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(condition()).toBe(true);
  };

  beforeAll(async () => {
    server = await startInProcessServer(
      `server: { host: 127.0.0.1, port: 0, logLevel: silent }
inbound: { scim: { basePath: /scim, auth: { bearer: [{ name: hr, token: "${TOKEN}" }] } } }
connectors:
  - { id: mem, type: memory, scope: active eq true, mapping: { userName: userName, email: "emails[primary eq true].value" } }
  - id: strict
    type: memory
    mode: blocking
    blockingTimeoutMs: 3000
    scope: userName sw "blocked"
    config: { failPermanently: "remote says no" }
    retry: { maxAttempts: 1 }
    mapping: { userName: userName }
`,
      { prefix: 'provisio-scim-e2e-' },
    );
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a user created over SCIM reaches the memory connector; PATCH active:false deprovisions it; DELETE deletes it there', async () => {
    const created = await scim('/v2/Users', {
      method: 'POST',
      json: { userName: 'grace@example.com', emails: [{ value: 'grace@example.com', primary: true }] },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const remoteOf = () => [...memory().directory.users.values()].find((account) => account.localId === id);
    await until(() => remoteOf()?.attributes.email === 'grace@example.com');

    expect(
      (
        await scim(`/v2/Users/${id}`, {
          method: 'PATCH',
          json: {
            schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
            Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
          },
        })
      ).status,
    ).toBe(200);
    await until(() => remoteOf() === undefined || remoteOf()?.active === false);

    expect(
      (
        await scim(`/v2/Users/${id}`, {
          method: 'PATCH',
          json: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: true } }] },
        })
      ).status,
    ).toBe(200);
    await until(() => remoteOf()?.active === true);

    expect((await scim(`/v2/Users/${id}`, { method: 'DELETE' })).status).toBe(204);
    await until(() => remoteOf() === undefined && memory().directory.received.some((r) => r.op === 'deleteUser' && r.localId === id));
  });

  it('a failing blocking connector answers 502 naming the instance; the local write is kept and its job stays retryable', async () => {
    const response = await scim('/v2/Users', { method: 'POST', json: { userName: 'blocked@example.com' } });
    expect(response.status).toBe(502);
    const body = (await response.json()) as { schemas: string[]; status: string; detail: string };
    expect(body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '502' });
    expect(body.detail).toContain('strict: ');
    expect(body.detail).toContain('remote says no');
    const location = response.headers.get('location') as string;
    expect(location).toMatch(/\/scim\/v2\/Users\/[\w-]+$/);
    expect((await scim(location.slice(location.indexOf('/v2/')))).status).toBe(200);
    const failed = await server.runtime.options.store.listJobs({ status: 'failed', instanceId: 'strict' });
    expect(failed).toHaveLength(1);
  });

  it('SCIM 1.1 lives beside 2.0 under the same base path', async () => {
    const response = await scim('/v1/Users', {
      method: 'POST',
      json: {
        schemas: ['urn:scim:schemas:core:1.0'],
        userName: 'kim@wso2.com',
        password: 'test123',
        name: { familyName: 'paul' },
        emails: ['kim@wso2.com'],
        entitlements: [{ value: '00e2x000001AT3y', display: 'ChatterFreeUser' }],
      },
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ schemas: ['urn:scim:schemas:core:1.0'], userName: 'kim@wso2.com' });
    expect((await fetch(`${server.url}/scim/v2/Users`)).status).toBe(401);
  });
});
