import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { Container, ContainerModule } from 'inversify';
import {
  asServiceId,
  IdentityService,
  InMemoryStore,
  JobEvents,
  manifestSchema,
  PasswordSealer,
  silentLogger,
  systemClock,
  TOKENS,
} from '@provisio/core';
import { SCIM_AUTHENTICATOR, scimInboundModule } from '../src/index.js';

describe('scimInboundModule', () => {
  it("mounts SCIM at the manifest's base path, writing through the container's identity service", async () => {
    const store = new InMemoryStore();
    const identities = new IdentityService({
      store,
      targets: [],
      sealer: new PasswordSealer(randomBytes(32)),
      clock: systemClock,
      events: new JobEvents(),
    });
    const container = new Container({ defaultScope: 'Singleton' });
    container.load(
      new ContainerModule(({ bind }) => {
        bind(asServiceId(TOKENS.Manifest)).toConstantValue(manifestSchema.parse({ inbound: { scim: { basePath: '/idm/scim' } } }));
        bind(asServiceId(TOKENS.IdentityService)).toConstantValue(identities);
        bind(asServiceId(TOKENS.Store)).toConstantValue(store);
        bind(asServiceId(TOKENS.Logger)).toConstantValue(silentLogger());
        bind(asServiceId(SCIM_AUTHENTICATOR)).toConstantValue((header) =>
          header === 'Bearer module-token' ? { name: 'tester', readOnly: false } : undefined,
        );
      }),
      scimInboundModule,
    );
    const [mount] = await container.getAllAsync(asServiceId(TOKENS.HttpMount));
    expect(mount).toMatchObject({ path: '/idm/scim', parseJson: false });

    const app = express();
    app.use(mount.path, mount.router as RequestHandler);
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/idm/scim/v2/Users`;
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
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });
});
