import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { silentLogger, systemClock } from '@provisio/core';
import { IdentityService, JobEvents, PasswordSealer, type Store, type UserRecord } from '@provisio/core/engine';
import { scimRouter, ScimRouters } from '@provisio/scim-inbound';
import type { LoadSpec } from './scim-load.ts';
import type { ScimServerChildSpec, ScimServerReady, ScimServerReport } from './scim-server-child.ts';

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
  const options = scimOptions(store);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/scim', scimRouter(options));
  return { identities: options.identities, ...(await listen(createServer(app))) };
}

/**
 * The SCIM endpoints of several tenants as `provisio serve` routes them: /t/<domain>/scim answered by one set of
 * SCIM routes shared by every tenant (ScimRouters), each request serving its tenant's endpoint over its view of
 * `store` (Store.forTenant).
 */
export async function serveTenantsScim(store: Store, domains: readonly string[]): Promise<{ url: string; close(): Promise<void> }> {
  const routers = new ScimRouters();
  const endpoints = new Map(domains.map((domain) => [domain, routers.serving(scimOptions(store.forTenant(domain)))]));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const tenants = express.Router();
  tenants.use('/:domain/scim', (req, res, next) => {
    const endpoint = endpoints.get(req.params['domain'] ?? '');
    if (endpoint) endpoint(req, res, next);
    else res.status(401).end();
  });
  app.use('/t', tenants);
  return listen(createServer(app));
}

/** The scim-inbound options of one store (no connector: writes plan no jobs). */
function scimOptions(store: Store) {
  const identities = new IdentityService({
    store,
    targets: [],
    sealer: new PasswordSealer(randomBytes(32)),
    clock: systemClock,
    events: new JobEvents(),
  });
  return {
    identities,
    store,
    authenticate: (h: string | undefined) => (h === `Bearer ${TOKEN}` ? { name: 'bench', readOnly: false } : undefined),
    logger: silentLogger(),
  };
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

/** The SCIM server of scim-server-child.ts, started in its own process with `users` seeded users. */
export interface ScimServerProcess extends ScimServerReady {
  users: number;
  /** Its memory now; resolves once it has stopped. */
  report(): Promise<ScimServerReport>;
  /** Ends it if it still runs. */
  kill(): void;
}

/** Starts the SCIM server in a child process (as `provisio serve` runs: its own heap policy) and waits until it listens. */
export function spawnScimServer(spec: ScimServerChildSpec): Promise<ScimServerProcess> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./scim-server-child.ts', import.meta.url))], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`SCIM server process exited with ${code}`));
      child.once('exit', exited);
      child.once('error', reject);
      child.once('message', (message) => {
        child.off('exit', exited);
        child.off('error', reject);
        resolve(message);
      });
    });
  const ready = next();
  child.send(spec);
  return ready.then((message) => ({
    ...(message as ScimServerReady),
    users: spec.users,
    report: async () => {
      const report = next();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('report');
      const answer = (await report) as ScimServerReport;
      await exited;
      return answer;
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  }));
}

/**
 * Seeds `users` users (user0@example.com, ...) straight through the store's commit, 1,000 per transaction;
 * `idOf` names each (ids are unique across the tenants of one store).
 */
export async function seedUsers(store: Store, users: number, idOf: (i: number) => string = (i) => `seed-${i}`): Promise<void> {
  const at = new Date().toISOString();
  for (let start = 0; start < users; start += 1000) {
    const batch: UserRecord[] = [];
    for (let i = start; i < Math.min(users, start + 1000); i += 1) {
      const userName = `user${i}@example.com`;
      batch.push({
        id: idOf(i),
        userName,
        active: true,
        version: 1,
        createdAt: at,
        updatedAt: at,
        resource: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName,
          active: true,
          name: { familyName: `Family${i}` },
          emails: [{ value: userName, type: 'work', primary: true }],
        },
      });
    }
    await store.commit({ putUsers: batch });
  }
}
