import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import { ContainerModule } from 'inversify';
import { asServiceId, definePlugin, silentLogger, TOKENS, type PluginRoute } from '@provisio/core';
import { buildContainer, manifestSchema } from '@provisio/core/engine';
import { generationModule } from './generation-module.js';
import { pluginRoutesModule } from './plugin-routes-module.js';

const manifest = manifestSchema.parse({
  admin: {
    auth: {
      bearer: [
        { name: 'ops', token: 'ops-token-0123456789' },
        { name: 'auditor', token: 'read-token-0123456789', readOnly: true },
      ],
    },
  },
});

function pluginWith(name: string, routes: PluginRoute[]) {
  return definePlugin({
    name,
    connectors: [],
    containerModule: new ContainerModule(({ bind }) => {
      for (const route of routes) bind(asServiceId(TOKENS.PluginRoute)).toConstantValue(route);
    }),
  });
}

const echo = (label: string): Router =>
  express.Router().all('/hello', (req, res) => {
    res.json({ label, method: req.method, body: req.body as unknown });
  });

async function serve(plugins: ReturnType<typeof pluginWith>[]): Promise<{ url: string; server: Server }> {
  const container = buildContainer({ plugins, modules: [generationModule(manifest), pluginRoutesModule] });
  container.bind(asServiceId(TOKENS.Logger)).toConstantValue(silentLogger());
  const [mount] = container.getAll(asServiceId(TOKENS.HttpMount));
  const app = express();
  app.use(mount.path, express.json(), mount.router as Router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const call = (url: string, token?: string, init: RequestInit = {}) =>
  fetch(url, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}) },
    signal: AbortSignal.timeout(5000),
  });

describe('pluginRoutesModule', () => {
  let running: { url: string; server: Server };
  beforeAll(async () => {
    running = await serve([
      pluginWith('acme-tools', [{ plugin: 'acme-tools', router: echo('private') }]),
      pluginWith('acme-hooks', [{ plugin: 'acme-hooks', router: echo('public'), public: true }]),
    ]);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => running.server.close(() => resolve()));
  });

  it("mounts each plugin's routes under /plugins/<its name>, behind the admin credentials", async () => {
    const base = `${running.url}/plugins/acme-tools/hello`;
    expect((await call(base)).status).toBe(401);
    expect((await call(base, 'wrong-token-0123456789')).status).toBe(401);
    const ok = await call(base, 'ops-token-0123456789', { method: 'POST', body: JSON.stringify({ x: 1 }) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ label: 'private', method: 'POST', body: { x: 1 } });
  });

  it('lets read-only credentials GET but not write', async () => {
    const base = `${running.url}/plugins/acme-tools/hello`;
    expect((await call(base, 'read-token-0123456789')).status).toBe(200);
    expect((await call(base, 'read-token-0123456789', { method: 'POST', body: '{}' })).status).toBe(403);
  });

  it('serves a public route without credentials, and nothing of one plugin under another', async () => {
    expect(await (await call(`${running.url}/plugins/acme-hooks/hello`)).json()).toMatchObject({ label: 'public' });
    expect((await call(`${running.url}/plugins/acme-other/hello`, 'ops-token-0123456789')).status).toBe(404);
  });

  it('refuses a route that names a plugin which is not loaded', async () => {
    await expect(serve([pluginWith('acme-tools', [{ plugin: 'someone-else', router: echo('x') }])])).rejects.toThrow(
      'a plugin route names plugin "someone-else", which is not loaded (loaded: acme-tools); set PluginRoute.plugin to the definePlugin name',
    );
  });
});
