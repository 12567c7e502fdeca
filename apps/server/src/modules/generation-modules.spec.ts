import { randomBytes } from 'node:crypto';
import { Container } from 'inversify';
import { asServiceId, silentLogger, systemClock, TOKENS } from '@provisio/core';
import { buildContainer, manifestSchema, PasswordSealer } from '@provisio/core/engine';
import { InMemoryStore } from '@provisio/core/testing';
import { generationModules } from './index.js';

/** A server container as startServer builds it, with an in-memory store instead of a store module. */
function serverContainer(): Container {
  const server = new Container({ defaultScope: 'Singleton' });
  server.bind(asServiceId(TOKENS.Store)).toConstantValue(new InMemoryStore());
  server.bind(asServiceId(TOKENS.PasswordSealer)).toConstantValue(new PasswordSealer(randomBytes(32)));
  server.bind(asServiceId(TOKENS.Logger)).toConstantValue(silentLogger());
  server.bind(asServiceId(TOKENS.Clock)).toConstantValue(systemClock);
  return server;
}

describe('generationModules', () => {
  const manifest = manifestSchema.parse({ inbound: { scim: { basePath: '/idm/scim' } } });

  it('gives --role all the admin API, the console, SCIM inbound and plugin routes, in that order, and a worker', async () => {
    const generation = buildContainer({
      parent: serverContainer(),
      plugins: [],
      modules: generationModules(manifest, { api: true, worker: true }),
    });
    const mounts = await generation.getAllAsync(asServiceId(TOKENS.HttpMount));
    // The WSO2 alias paths are always mounted and pass requests on while `inbound.scim.aliases` is off (a reload may turn them on).
    expect(mounts.map((m) => m.path)).toEqual(['/admin/v1', '/console', '/idm/scim', '/scim2', '/wso2/scim', '/wso2/scim2', '/plugins']);
    expect((await generation.getAsync(asServiceId(TOKENS.ProvisioningRuntime))).worker).toBeDefined();
  });

  it('gives --role worker no HTTP mounts, and --role api no worker', async () => {
    const worker = buildContainer({
      parent: serverContainer(),
      plugins: [],
      modules: generationModules(manifest, { api: false, worker: true }),
    });
    expect(await worker.getAllAsync(asServiceId(TOKENS.HttpMount), { optional: true })).toEqual([]);
    const api = buildContainer({
      parent: serverContainer(),
      plugins: [],
      modules: generationModules(manifest, { api: true, worker: false }),
    });
    expect((await api.getAsync(asServiceId(TOKENS.ProvisioningRuntime))).worker).toBeUndefined();
  });

  it("shares the server's store between generations, each with its own runtime", async () => {
    const server = serverContainer();
    const first = buildContainer({ parent: server, plugins: [], modules: generationModules(manifest, { api: false, worker: true }) });
    const second = buildContainer({ parent: server, plugins: [], modules: generationModules(manifest, { api: false, worker: true }) });
    const [a, b] = await Promise.all([
      first.getAsync(asServiceId(TOKENS.ProvisioningRuntime)),
      second.getAsync(asServiceId(TOKENS.ProvisioningRuntime)),
    ]);
    expect(a).not.toBe(b);
    expect(a.options.store).toBe(b.options.store);
  });
});
