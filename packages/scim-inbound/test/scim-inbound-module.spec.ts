import express, { type RequestHandler } from 'express';
import { Container, ContainerModule } from 'inversify';
import { asServiceId, silentLogger, TOKENS } from '@provisio/core';
import { manifestSchema } from '@provisio/core/engine';
import { InMemoryStore } from '@provisio/core/testing';
import { SCIM_AUTHENTICATOR, scimInboundModule } from '../src/index.js';
import { identitiesOver, serveOnLoopback } from './scim-harness.js';

describe('scimInboundModule', () => {
  /** Every mount of a container built from `scim` (the manifest's inbound.scim), served on loopback. */
  async function serveMounts(scim: Record<string, unknown>) {
    const store = new InMemoryStore();
    const container = new Container({ defaultScope: 'Singleton' });
    container.load(
      new ContainerModule(({ bind }) => {
        bind(asServiceId(TOKENS.Manifest)).toConstantValue(manifestSchema.parse({ inbound: { scim } }));
        bind(asServiceId(TOKENS.IdentityService)).toConstantValue(identitiesOver(store));
        bind(asServiceId(TOKENS.Store)).toConstantValue(store);
        bind(asServiceId(TOKENS.Logger)).toConstantValue(silentLogger());
        bind(asServiceId(SCIM_AUTHENTICATOR)).toConstantValue((header) =>
          header === 'Bearer module-token' ? { name: 'tester', readOnly: false } : undefined,
        );
      }),
      scimInboundModule,
    );
    const mounts = await container.getAllAsync(asServiceId(TOKENS.HttpMount));
    const app = express();
    for (const mount of mounts) app.use(mount.path, mount.router as RequestHandler);
    app.use((_req, res) => void res.status(404).end());
    const { url: origin, close } = await serveOnLoopback(app);
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${origin}${path}`, {
        method,
        headers: { authorization: 'Bearer module-token', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
    return { call, close, origin, mounts, store };
  }

  it("mounts SCIM at the manifest's base path, writing through the container's identity service", async () => {
    const { close, origin, mounts, store } = await serveMounts({ basePath: '/idm/scim' });
    try {
      const [mount] = mounts;
      expect(mount).toMatchObject({ path: '/idm/scim', parseJson: false });
      const url = `${origin}/idm/scim/v2/Users`;
      const denied = await fetch(url, { signal: AbortSignal.timeout(5000) });
      expect(denied.status).toBe(401);
      const created = await fetch(url, {
        method: 'POST',
        headers: { authorization: 'Bearer module-token', 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada' }),
        signal: AbortSignal.timeout(5000),
      });
      expect(created.status).toBe(201);
      expect((await store.getUserByUserName('ada'))?.userName).toBe('ada');
    } finally {
      await close();
    }
  });

  it("with aliases: [wso2] serves WSO2's paths too: /scim2 (2.0), /wso2/scim (1.1), /wso2/scim2 (2.0 reading 1.1 bodies)", async () => {
    const { call, close, origin } = await serveMounts({ aliases: ['wso2'] });
    try {
      const kim = await call('POST', '/wso2/scim2/Users', {
        schemas: ['urn:scim:schemas:core:1.0'],
        userName: 'kim@wso2.com',
        emails: ['kim@wso2.com'],
        'urn:scim:schemas:extension:enterprise:1.0': { department: 'Sales' },
      });
      expect(kim.status).toBe(201);
      const created = (await kim.json()) as { id: string; schemas: string[] };
      expect(created).toMatchObject({
        schemas: expect.arrayContaining(['urn:ietf:params:scim:schemas:core:2.0:User']),
        emails: [{ value: 'kim@wso2.com' }],
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Sales' },
        meta: { location: `${origin}/wso2/scim2/Users/${created.id}` },
      });
      const v2 = await call('GET', `/scim2/Users/${created.id}`);
      expect(((await v2.json()) as { meta: { location: string } }).meta.location).toBe(`${origin}/scim2/Users/${created.id}`);
      const v1 = await call('GET', `/wso2/scim/Users/${created.id}`);
      expect(await v1.json()).toMatchObject({ schemas: ['urn:scim:schemas:core:1.0', 'urn:scim:schemas:extension:enterprise:1.0'] });
      expect((await call('GET', '/wso2/scim/ServiceProviderConfigs')).status).toBe(200);
      expect((await call('GET', '/scim2/ServiceProviderConfig')).status).toBe(200);
      // A 1.1 error on the 1.1 alias, a 2.0 error on the 2.0 alias.
      expect(await (await call('GET', '/wso2/scim/Users/nobody')).json()).toMatchObject({ Errors: [{ code: '404' }] });
      expect(await (await call('GET', '/scim2/Users/nobody')).json()).toMatchObject({ status: '404' });
      expect((await fetch(`${origin}/scim2/Users`, { signal: AbortSignal.timeout(5000) })).status).toBe(401);
    } finally {
      await close();
    }
  });

  it('without aliases, those paths are passed on (404) and the base path serves as before', async () => {
    const { call, close } = await serveMounts({});
    try {
      for (const path of ['/scim2/Users', '/wso2/scim/Users', '/wso2/scim2/Users']) expect((await call('GET', path)).status).toBe(404);
      expect((await call('GET', '/scim/v1/ServiceProviderConfigs')).status).toBe(200);
    } finally {
      await close();
    }
  });
});
