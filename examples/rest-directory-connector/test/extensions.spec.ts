import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asServiceId, compileMapping, TOKENS } from '@provisio/core';
import { buildContainer } from '@provisio/core/engine';
import plugin, { directoryHandle } from '../src/index.js';

describe('the example plugin binds into the extension points', () => {
  const container = buildContainer({ plugins: [plugin] });

  it('contributes directoryHandle to mappings, in from and as a transform', () => {
    const functions = container.get(asServiceId(TOKENS.ExpressionFunctions));
    expect(functions.names()).toEqual(['directoryHandle']);
    const mapping = compileMapping(
      {
        handle: 'directoryHandle(name.givenName, name.familyName)',
        login: { from: 'userName', transform: 'directoryHandle' },
        none: { from: 'directoryHandle(nickName)', default: 'n/a' },
      },
      { functions },
    );
    expect(mapping.apply({ userName: 'Zoë@Example.com', name: { givenName: 'Zoë', familyName: 'Love-Lace' } })).toEqual({
      handle: 'zoe.lovelace',
      login: 'zoeexamplecom',
      none: 'n/a',
    });
    expect(directoryHandle.apply([undefined, ''])).toBeUndefined();
  });

  it('contributes GET /about under its own name, passing anything else on', async () => {
    const routes = container.getAll(asServiceId(TOKENS.PluginRoute));
    expect(routes.map((r) => ({ plugin: r.plugin, public: r.public }))).toEqual([
      { plugin: 'provisio-connector-rest-directory', public: undefined },
    ]);
    const server = createServer((req, res) =>
      routes[0].router(req, res, () => {
        res.writeHead(404).end();
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const about = await fetch(`${base}/about`, { signal: AbortSignal.timeout(5000) });
      expect(about.status).toBe(200);
      expect(await about.json()).toEqual({
        plugin: 'provisio-connector-rest-directory',
        connectorTypes: ['rest-directory'],
        functions: ['directoryHandle'],
      });
      expect((await fetch(`${base}/other`, { signal: AbortSignal.timeout(5000) })).status).toBe(404);
      expect((await fetch(`${base}/about`, { method: 'POST', signal: AbortSignal.timeout(5000) })).status).toBe(404);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
