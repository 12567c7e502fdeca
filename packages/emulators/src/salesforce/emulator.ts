// startSalesforceEmulator: the login listener (token endpoint, identity URL,
// version list) and the instance listener (REST API), which are one and the
// same unless `separateInstance` asks for a second host.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveControl } from './control-routes.js';
import { OAuthError, restErrors } from './errors.js';
import { SalesforceFaults } from './salesforce-faults.js';
import { readBody, sendJson, sleep } from './http-io.js';
import { serveIdentity } from './identity-endpoint.js';
import { handleTokenRequest } from './oauth-token.js';
import { DEFAULT_API_VERSIONS, DEFAULT_DAILY_API_LIMIT, DEFAULT_TOKEN_TTL_MS, type SalesforceEmulatorOptions } from './options.js';
import { OrgState } from './org-state.js';
import { QueryCursors } from './query-cursors.js';
import { type RestApiDeps, serveRestApi } from './rest-api.js';
import { seedOrg } from './seed.js';
import { SessionStore } from './session-store.js';
import { SalesforceStateView } from './state-view.js';

export interface SalesforceEmulator {
  /** Login URL (e.g. http://127.0.0.1:41234): jsforce `loginUrl`, JWT `aud`. */
  url: string;
  port: number;
  /** Where instance_url points (equals `url` unless `separateInstance`). */
  instanceUrl: string;
  instancePort: number;
  state: SalesforceStateView;
  faults: SalesforceFaults;
  close(): Promise<void>;
}

/** "Winter '24" for 59.0: three releases a year since Winter '11 (20.0). */
function releaseLabel(version: string): string {
  const n = Math.floor(Number(version)) - 20;
  const season = ['Winter', 'Spring', 'Summer'][((n % 3) + 3) % 3];
  const year = 11 + Math.floor(n / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startSalesforceEmulator(options: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  const host = options.host ?? '127.0.0.1';
  const apiVersions = options.apiVersions ?? DEFAULT_API_VERSIONS;
  const state = new OrgState(options.orgId, options.dailyApiLimit ?? DEFAULT_DAILY_API_LIMIT);
  state.passwordMinLength = options.passwordMinLength ?? 8;
  const sessions = new SessionStore(state.orgId, options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS);
  const faults = new SalesforceFaults(() => void sessions.expireAll(), options.latencyMs ?? 0);
  seedOrg(state, sessions, options);
  const cursors = new QueryCursors();
  const view = new SalesforceStateView(state, sessions, cursors);
  const restDeps: RestApiDeps = { state, sessions, faults, cursors, apiVersions };
  const urls = { login: '', instance: '' };
  const tokenContext = {
    state,
    sessions,
    clients: options.clients ?? [],
    loginUrl: () => urls.login,
    instanceUrl: () => urls.instance,
    audiences: () => [...new Set([urls.login, urls.instance])],
  };

  async function serveToken(req: IncomingMessage, res: ServerResponse): Promise<number> {
    if (req.method !== 'POST') {
      sendJson(res, 400, { error: 'invalid_request', error_description: 'must use HTTP POST' });
      return 400;
    }
    const body = await readBody(req);
    // Salesforce reads the grant from a form body only; JSON bodies carry no grant_type.
    const isForm = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
    const params = new URLSearchParams(isForm ? body : '');
    try {
      sendJson(res, 200, handleTokenRequest(tokenContext, params, req.headers.authorization), {
        'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private',
      });
      return 200;
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      sendJson(res, error.status, { error: error.error, error_description: error.description });
      return error.status;
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse, isInstance: boolean): Promise<number | 'dropped'> {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    if (path.startsWith('/__emulator/')) return serveControl(req, res, path, view, faults);
    await sleep(faults.latencyMs);
    if (path === '/services/oauth2/token') return serveToken(req, res);
    if (path === '/services/oauth2/revoke' && req.method === 'POST') {
      sessions.revoke(new URLSearchParams(await readBody(req)).get('token') ?? '');
      res.writeHead(200).end();
      return 200;
    }
    const segments = path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
    if (segments[0] === 'id' && segments.length === 3) {
      return serveIdentity(req, res, segments.slice(1), url.searchParams, {
        state,
        sessions,
        loginUrl: urls.login,
        instanceUrl: urls.instance,
      });
    }
    if (path === '/services/data' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendJson(
        res,
        200,
        apiVersions.map((version) => ({ label: releaseLabel(version), url: `/services/data/v${version}`, version })),
      );
      return 200;
    }
    const versioned = /^v(\d+\.\d+)$/.exec(segments[2] ?? '');
    if (segments[0] === 'services' && segments[1] === 'data' && versioned && isInstance) {
      return serveRestApi(restDeps, req, res, versioned[1], segments.slice(3), url.searchParams);
    }
    const notFound = restErrors.notFound();
    sendJson(res, notFound.status, notFound.items);
    return notFound.status;
  }

  function handler(isInstance: boolean) {
    return (req: IncomingMessage, res: ServerResponse): void => {
      const started = Date.now();
      const path = (req.url ?? '/').split('?')[0];
      route(req, res, isInstance)
        .catch(() => {
          // Details stay out of the answer: they could quote request data.
          if (!res.headersSent) sendJson(res, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred.' }]);
          else res.end();
          return 500;
        })
        .then((status) => options.log?.(`${req.method ?? '?'} ${path} ${status} ${Date.now() - started}ms`));
    };
  }

  const split = options.separateInstance !== undefined && options.separateInstance !== false;
  const loginServer = createServer(handler(!split));
  const loginPort = await listen(loginServer, options.port ?? 0, host);
  // IPv6 literals need brackets in a URL.
  const origin = (port: number): string => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  urls.login = origin(loginPort);
  let instanceServer: Server | undefined;
  let instancePort = loginPort;
  if (split) {
    const wanted = typeof options.separateInstance === 'object' ? (options.separateInstance.port ?? 0) : 0;
    instanceServer = createServer(handler(true));
    instancePort = await listen(instanceServer, wanted, host);
  }
  urls.instance = origin(instancePort);

  return {
    url: urls.login,
    port: loginPort,
    instanceUrl: urls.instance,
    instancePort,
    state: view,
    faults,
    async close() {
      await Promise.all([closeServer(loginServer), ...(instanceServer ? [closeServer(instanceServer)] : [])]);
    },
  };
}
