import { randomBytes } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { silentLogger, systemClock } from '@provisio/core';
import { IdentityService, JobEvents, PasswordSealer, type ScimSchemasConfig, type Store } from '@provisio/core/engine';
import { InMemoryStore } from '@provisio/core/testing';
import { scimRouter, type Principal } from '../src/index.js';

export const TOKEN = 'scim-test-token-0123456789';
export const READER = 'scim-reader-token-0123456789';

export interface Harness {
  url: string;
  store: Store;
  identities: IdentityService;
  /** fetch relative to /scim with the writer's token unless `token: null`. */
  call(path: string, init?: RequestInit & { token?: string | null; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

const principals: Record<string, Principal> = {
  [TOKEN]: { name: 'tester', readOnly: false },
  [READER]: { name: 'reader', readOnly: true },
};

/** A bare Express app with the SCIM router over an in-memory store (or the given one) on a free loopback port. */
export async function startHarness(
  options: { store?: Store; bodyLimit?: string; bulkMaxOperations?: number; schemas?: ScimSchemasConfig } = {},
): Promise<Harness> {
  const store = options.store ?? new InMemoryStore();
  const identities = identitiesOver(store);
  const app = express();
  app.use(
    '/scim',
    scimRouter({
      identities,
      store,
      authenticate: (header) => (header?.startsWith('Bearer ') ? principals[header.slice(7)] : undefined),
      logger: silentLogger(),
      bodyLimit: options.bodyLimit ?? '64kb',
      bulkMaxOperations: options.bulkMaxOperations,
      schemas: options.schemas,
    }),
  );
  const { url, close } = await serveOnLoopback(app);
  return {
    url,
    store,
    identities,
    call: (path, init = {}) => {
      const { token, json, ...rest } = init;
      const headers: Record<string, string> = {
        ...(token === null ? {} : { authorization: `Bearer ${token ?? TOKEN}` }),
        ...(json === undefined ? {} : { 'content-type': 'application/scim+json' }),
        ...((rest.headers as Record<string, string>) ?? {}),
      };
      return fetch(`${url}/scim${path}`, { ...rest, headers, ...(json === undefined ? {} : { body: JSON.stringify(json) }) });
    },
    close,
  };
}

/** An identity service over `store` with no provisioning targets: SCIM writes land in the store and go nowhere else. */
export function identitiesOver(store: Store): IdentityService {
  return new IdentityService({
    store,
    targets: [],
    sealer: new PasswordSealer(randomBytes(32)),
    clock: systemClock,
    events: new JobEvents(),
  });
}

/** Serves `app` on a free loopback port; `close` also drops kept-alive connections. */
export async function serveOnLoopback(app: RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
