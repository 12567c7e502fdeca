// The REST API pipeline under /services/data/vXX.X/: session check, injected
// faults, API usage counting, dispatch, Sforce-Limit-Info on every answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleComposite } from './composite-handlers.js';
import { SalesforceRestError, restErrors } from './errors.js';
import type { SalesforceFaults } from './salesforce-faults.js';
import { readBody, sendJson, sendNoContent } from './http-io.js';
import type { OrgState } from './org-state.js';
import type { QueryCursors } from './query-cursors.js';
import { handleQuery } from './query-handlers.js';
import { type RestContext, type RestRequest, type RestResponse, ok } from './rest-context.js';
import type { Session, SessionStore } from './session-store.js';
import { handleSObjects } from './sobject-handlers.js';
import { requestOrigin } from '../http/request-origin.js';

export interface RestApiDeps {
  state: OrgState;
  sessions: SessionStore;
  faults: SalesforceFaults;
  cursors: QueryCursors;
  apiVersions: readonly string[];
}

/** The bearer token of a request: `Authorization: Bearer x` (or Salesforce's older `OAuth x`). */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

function resources(version: string): Record<string, string> {
  const base = `/services/data/v${version}`;
  return {
    sobjects: `${base}/sobjects`,
    query: `${base}/query`,
    queryAll: `${base}/queryAll`,
    limits: `${base}/limits`,
    composite: `${base}/composite`,
  };
}

function limits(state: OrgState): Record<string, { Max: number; Remaining: number }> {
  const { used, max } = state.apiUsage();
  return {
    DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) },
    DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
    DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
    DataStorageMB: { Max: 5, Remaining: 5 },
  };
}

function dispatch(ctx: RestContext, req: RestRequest): RestResponse {
  const head = req.segments[0];
  if (head === undefined) {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw restErrors.methodNotAllowed(req.method, ['GET', 'HEAD']);
    return ok(resources(ctx.version));
  }
  switch (head) {
    case 'sobjects':
      return handleSObjects(ctx, req);
    case 'query':
    case 'queryAll':
      return handleQuery(ctx, req);
    case 'composite':
      return handleComposite(ctx, req);
    case 'limits':
      if (req.segments.length > 1) throw restErrors.notFound();
      return ok(limits(ctx.state));
    default:
      throw restErrors.notFound();
  }
}

function authenticate(deps: RestApiDeps, httpReq: IncomingMessage): Session {
  const token = bearerToken(httpReq);
  const session = token ? deps.sessions.use(token) : undefined;
  if (!session) throw restErrors.invalidSession();
  return session;
}

function countCall(state: OrgState): void {
  const { used, max } = state.apiUsage();
  if (used >= max) throw restErrors.requestLimitExceeded();
  state.apiCalls++;
}

export async function serveRestApi(
  deps: RestApiDeps,
  httpReq: IncomingMessage,
  res: ServerResponse,
  version: string,
  segments: string[],
  query: URLSearchParams,
): Promise<number | 'dropped'> {
  const limitHeader = (): Record<string, string> => {
    const { used, max } = deps.state.apiUsage();
    return { 'Sforce-Limit-Info': `api-usage=${used}/${max}` };
  };
  let response: RestResponse;
  const origin = requestOrigin(httpReq.headers);
  const method = httpReq.method ?? 'GET';
  const soql = query.get('q')?.slice(0, 500);
  const record = (status: number | 'dropped') =>
    deps.state.recordRestCall({
      at: new Date().toISOString(),
      method,
      path: segments.join('/'),
      status,
      ...(origin ? { origin } : {}),
      ...(soql ? { soql } : {}),
    });
  try {
    if (!deps.apiVersions.includes(version)) throw restErrors.notFound();
    const body = await readBody(httpReq);
    const session = authenticate(deps, httpReq);
    deps.faults.throwIfFaulted();
    countCall(deps.state);
    const ctx: RestContext = { state: deps.state, session, version, cursors: deps.cursors, faults: deps.faults };
    deps.state.requestOrigin = origin;
    try {
      response = dispatch(ctx, { method, segments, query, headers: httpReq.headers, body });
    } finally {
      deps.state.requestOrigin = undefined;
    }
  } catch (error) {
    if (!(error instanceof SalesforceRestError)) throw error;
    response = { status: error.status, body: error.items, headers: error.extraHeaders };
  }
  // The call took effect (or failed) as above; its answer is lost on the way back.
  if (deps.faults.takeDrop()) {
    record('dropped');
    httpReq.socket.destroy();
    return 'dropped';
  }
  record(response.status);
  const headers = { ...limitHeader(), ...(response.headers ?? {}) };
  if (response.status === 204) sendNoContent(res, headers);
  else sendJson(res, response.status, response.body, headers);
  return response.status;
}
