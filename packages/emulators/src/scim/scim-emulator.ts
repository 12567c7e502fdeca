// startScimEmulator: wires store, rules, faults, auth and the HTTP server together on loopback.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScimAuthenticator } from './scim-auth.js';
import type { ScimContext } from './scim-context.js';
import { ScimFaults } from './scim-faults.js';
import { createScimListener, V1_BASE, V2_BASE } from './scim-http-server.js';
import { resolveScimOptions, type ScimEmulatorOptions } from './scim-options.js';
import { ScimRequestLog } from './scim-request-log.js';
import { ScimResourceService } from './scim-resource-service.js';
import { ScimSchemas } from './scim-schema-registry.js';
import { createScimState, type ScimEmulatorState } from './scim-state.js';
import { ScimStore } from './scim-store.js';

export interface ScimEmulator {
  /** Origin, e.g. "http://127.0.0.1:41234". */
  url: string;
  port: number;
  /** SCIM 2.0 base URL: url + "/scim/v2". */
  baseUrl2: string;
  /** SCIM 1.1 base URL: url + "/scim/v1". */
  baseUrl11: string;
  /** OAuth 2.0 token endpoint (auth type "oauth2"): url + "/oauth/token". */
  tokenUrl: string;
  state: ScimEmulatorState;
  faults: ScimFaults;
  close(): Promise<void>;
}

export async function startScimEmulator(options: ScimEmulatorOptions = {}): Promise<ScimEmulator> {
  const resolved = resolveScimOptions(options);
  const schemas = new ScimSchemas(resolved.userExtensions);
  const store = new ScimStore();
  const faults = new ScimFaults({ patchSupported: resolved.patch, bulkSupported: resolved.bulk.supported, latencyMs: resolved.latencyMs });
  const service = new ScimResourceService(store, faults, { immutableUserAttributes: resolved.immutableUserAttributes });
  const log = new ScimRequestLog();
  const auth = new ScimAuthenticator(resolved.auth, () => faults.tokenGeneration);
  let origin = '';
  const ctx: ScimContext = {
    store,
    service,
    faults,
    options: resolved,
    schemas,
    capabilities: () => ({
      patch: faults.patchSupported,
      bulk: faults.bulkSupported,
      maxOperations: resolved.bulk.maxOperations,
      maxPayloadSize: resolved.bulk.maxPayloadSize,
      maxResults: resolved.maxResults,
      authType: resolved.auth.type,
    }),
  };
  const state = createScimState(store, service, log, schemas, () => origin + V2_BASE);
  const server = createServer(createScimListener({ ctx, auth, log, state, origin: () => origin }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host}:${port}`;
  return {
    url: origin,
    port,
    baseUrl2: origin + V2_BASE,
    baseUrl11: origin + V1_BASE,
    tokenUrl: origin + '/oauth/token',
    state,
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
