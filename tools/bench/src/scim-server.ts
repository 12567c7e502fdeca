import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { silentLogger, systemClock } from '@provisio/core';
import { IdentityService, JobEvents, PasswordSealer, type Store } from '@provisio/core/engine';
import { scimRouter } from '@provisio/scim-inbound';
import type { LoadSpec } from './scim-load.ts';

/** The bearer token the inbound scenarios' SCIM endpoint accepts, as a writer. */
export const TOKEN = 'bench-token-0123456789abcdef';

/** What the load generator prints when its run is over. */
export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
}

/** Serves `server` on a free loopback port; `close` also drops kept-alive connections. */
export function listen(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/**
 * The SCIM endpoint as `provisio serve` mounts it (express, the scim-inbound router, the identity service)
 * over `store`, with no connector: writes plan no jobs. `close` stops the server; the store stays open.
 */
export async function serveScim(store: Store): Promise<{ url: string; identities: IdentityService; close(): Promise<void> }> {
  const identities = new IdentityService({
    store,
    targets: [],
    sealer: new PasswordSealer(randomBytes(32)),
    clock: systemClock,
    events: new JobEvents(),
  });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(
    '/scim',
    scimRouter({
      identities,
      store,
      authenticate: (h) => (h === `Bearer ${TOKEN}` ? { name: 'bench', readOnly: false } : undefined),
      logger: silentLogger(),
    }),
  );
  return { identities, ...(await listen(createServer(app))) };
}

/** Runs the load generator in a child process, so it does not share this process's event loop. */
export function load(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./scim-load.ts', import.meta.url)), JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited with ${code}`)),
    );
  });
}
