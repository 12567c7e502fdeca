// Wires the Google Workspace emulator together and starts it on loopback.
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { BATCH_PATHS, handleBatch } from './google-batch-endpoint.js';
import { CONTROL_PREFIX, handleControl } from './google-control.js';
import { GoogleDirectoryApi } from './google-directory-api.js';
import type { DirectoryContext } from './google-directory-context.js';
import { GoogleFaults } from './google-faults.js';
import { createGoogleHttpServer } from './google-http-server.js';
import { type ApiRequest, type ApiResponse, notFoundPage } from './google-http-types.js';
import { newEtag, newUserId } from './google-ids.js';
import { GoogleEmulatorState } from './google-inspection.js';
import { GoogleTokenEndpoint } from './google-oauth.js';
import { type GoogleEmulatorOptions, resolveGoogleOptions } from './google-options.js';
import { UserRateLimiter } from './google-rate-limit.js';
import { GoogleDirectoryState, storePassword } from './google-state.js';
import { GoogleTokenStore } from './google-token-store.js';

export const TOKEN_PATHS = ['/token', '/oauth2/v4/token'];

export interface GoogleEmulator {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:41234; pass `url + '/'` as googleapis' rootUrl. */
  url: string;
  port: number;
  /** Where the JWT-bearer grant is answered (`${url}/token`). */
  tokenUrl: string;
  customerId: string;
  state: GoogleEmulatorState;
  faults: GoogleFaults;
  /** Changes the per-user queries-per-minute quota while running. */
  setUserRateLimit(limitPerMinute: number): void;
  close(): Promise<void>;
}

export async function startGoogleEmulator(options: GoogleEmulatorOptions = {}): Promise<GoogleEmulator> {
  const resolved = resolveGoogleOptions(options);
  const directory = new GoogleDirectoryState();
  const tokens = new GoogleTokenStore(resolved.now);
  const faults = new GoogleFaults(resolved.latencyMs, tokens, resolved.now);
  const limiter = new UserRateLimiter(resolved.userRateLimitPerMinute, resolved.now);
  const ctx: DirectoryContext = { state: directory, options: resolved };

  const seedAdmins = () => {
    limiter.reset();
    for (const email of resolved.admins) {
      const id = newUserId();
      directory.users.set(id, {
        id,
        primaryEmail: email,
        fields: { name: { givenName: 'Admin', familyName: email.slice(0, email.indexOf('@')) } },
        aliases: [],
        isAdmin: true,
        creationTime: new Date(resolved.now()).toISOString(),
        etag: newEtag(email),
        // Nobody signs in as an emulated admin; an unguessable password keeps the record well-formed.
        password: storePassword(randomBytes(24).toString('base64url')),
      });
    }
  };
  seedAdmins();

  const api = new GoogleDirectoryApi(ctx, tokens, faults, limiter);
  const tokenEndpoint = new GoogleTokenEndpoint(resolved, directory, tokens, faults);
  const state = new GoogleEmulatorState(directory, tokens, faults, resolved, seedAdmins);

  // The call is carried out; only its answer may be lost (faults.dropNextResponses).
  const answered = (response: ApiResponse): ApiResponse => (faults.takeDrop() ? { ...response, dropConnection: true } : response);
  const dispatch = (req: ApiRequest): ApiResponse => {
    if (TOKEN_PATHS.includes(req.path)) return tokenEndpoint.handle(req);
    if (BATCH_PATHS.includes(req.path)) return answered(handleBatch(req, api, directory));
    if (req.path.startsWith('/admin/directory/v1/')) return answered(api.handle(req));
    if (req.path.startsWith(`${CONTROL_PREFIX}/`)) return handleControl(req, state, faults);
    return notFoundPage();
  };

  const server = createGoogleHttpServer(dispatch, () => faults.latencyMs);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host}:${port}`;

  return {
    url,
    port,
    tokenUrl: `${url}/token`,
    customerId: resolved.customerId,
    state,
    faults,
    setUserRateLimit: (limit) => limiter.setLimit(limit),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Clients keep connections alive; without this close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}
