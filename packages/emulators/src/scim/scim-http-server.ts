// node:http front door: body reading with limits, control and OAuth endpoints, latency and fault
// injection, authentication, JSON parsing, dialect dispatch, error rendering and deliberate drops.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readLimitedBody } from '../http/read-limited-body.js';
import type { ScimAuthenticator } from './scim-auth.js';
import { handleBulk } from './scim-bulk.js';
import type { ScimContext, ScimRequest, ScimResponse } from './scim-context.js';
import { handleControl } from './scim-control-routes.js';
import { ERROR_SCHEMA_V2, ScimError, type ScimType } from './scim-errors.js';
import { nestsDeeperThan, type JsonValue } from './scim-json.js';
import type { ScimRequestLog } from './scim-request-log.js';
import type { ScimEmulatorState } from './scim-state.js';
import { v1ErrorBody } from './scim-v1-translation.js';
import { handleV1 } from './scim-v1-routes.js';
import { handleV2 } from './scim-v2-routes.js';
import { requestOrigin } from '../http/request-origin.js';

export const V2_BASE = '/scim/v2';
export const V1_BASE = '/scim/v1';
type Dialect = 'v2' | 'v1';
// No SCIM document nests anywhere near this deep; the cap keeps recursive code safe from hostile bodies.
const MAX_JSON_DEPTH = 32;

export interface ScimServerParts {
  ctx: ScimContext;
  auth: ScimAuthenticator;
  log: ScimRequestLog;
  state: ScimEmulatorState;
  origin: () => string;
}

const CONTENT_TYPE: Record<Dialect, string> = { v2: 'application/scim+json', v1: 'application/json' };

function renderError(dialect: Dialect, err: ScimError): ScimResponse {
  const body =
    dialect === 'v1'
      ? v1ErrorBody(err)
      : { schemas: [ERROR_SCHEMA_V2], status: String(err.status), ...(err.scimType ? { scimType: err.scimType } : {}), detail: err.detail };
  return { status: err.status, headers: err.headers, body };
}

function dialectOf(pathname: string): { dialect: Dialect; rest: string } | undefined {
  for (const [dialect, base] of [
    ['v2', V2_BASE],
    ['v1', V1_BASE],
  ] as const) {
    if (pathname === base || pathname.startsWith(base + '/')) return { dialect, rest: pathname.slice(base.length) || '/' };
  }
  return undefined;
}

function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return true; // tolerated: some clients omit it on small bodies
  const type = value.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type === 'application/scim+json' || /^application\/[\w.-]+\+json$/.test(type);
}

function write(res: ServerResponse, response: ScimResponse, contentType: string): void {
  const headers: Record<string, string> = { ...response.headers };
  const hasBody = response.body !== undefined && response.status !== 204 && response.status !== 304;
  if (hasBody) headers['Content-Type'] = contentType;
  res.writeHead(response.status, headers);
  res.end(hasBody ? JSON.stringify(response.body) : undefined);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createScimListener(parts: ScimServerParts): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(parts, req, res).catch(() => {
      if (!res.headersSent) write(res, { status: 500, body: { error: 'internal emulator error' } }, 'application/json');
      else res.destroy();
    });
  };
}

async function handle(parts: ScimServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { ctx, auth, log } = parts;
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const limit = Math.max(2 * 1024 * 1024, ctx.options.bulk.maxPayloadSize + 1);
  const { raw, tooLarge } = await readLimitedBody(req, limit);
  const text = raw.toString('utf8');

  if (url.pathname.startsWith('/__emulator/')) {
    let body: JsonValue | undefined;
    try {
      body = text === '' ? undefined : (JSON.parse(text) as JsonValue);
    } catch {
      return write(res, { status: 400, body: { error: 'Malformed JSON' } }, 'application/json');
    }
    return write(res, handleControl(method, url.pathname, body, ctx.faults, parts.state), 'application/json');
  }
  if (url.pathname === '/oauth/token') {
    log.tokenRequests += 1;
    if (method !== 'POST') return write(res, { status: 405, body: { error: 'invalid_request' } }, 'application/json');
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const issued =
      type === 'application/x-www-form-urlencoded'
        ? auth.issueToken(req.headers, new URLSearchParams(text))
        : { status: 400, body: { error: 'invalid_request', error_description: 'Use application/x-www-form-urlencoded' } };
    return write(res, { status: issued.status, headers: { 'Cache-Control': 'no-store' }, body: issued.body }, 'application/json');
  }

  const routed = dialectOf(url.pathname);
  if (!routed) return write(res, { status: 404, body: { error: `Nothing at ${url.pathname}` } }, 'application/json');
  const { dialect, rest } = routed;
  if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);
  const drop = ctx.faults.takeDrop();
  const origin = requestOrigin(req.headers);
  // Known before the call: a DELETE leaves nothing to read the userName from.
  const written = method !== 'GET' && method !== 'POST' ? userNameAt(ctx, rest) : undefined;
  const response = respond(parts, dialect, method, rest, url, req, text, raw.length, tooLarge);
  log.record({ method, path: url.pathname, status: response.status, dropped: drop, ...(origin ? { origin } : {}) });
  if (text.trim() !== '') log.recordBody({ method, path: url.pathname, status: response.status, text, ...(origin ? { origin } : {}) });
  if (method === 'POST' && rest === '/Users') recordUserCreate(log, text, response.status, origin);
  if (written !== undefined) log.recordUserWrite(written, method, response.status, origin);
  // The work is done; the client just never hears about it (a lost response).
  if (drop) return void res.socket?.destroy();
  write(res, response, CONTENT_TYPE[dialect]);
}

/** The userName of the user at `/Users/{id}`, if there is one. */
function userNameAt(ctx: ScimContext, rest: string): string | undefined {
  const match = /^\/Users\/([^/]+)$/.exec(rest);
  const user = match ? ctx.store.get('User', match[1]) : undefined;
  const userName = user?.attrs['userName'];
  return typeof userName === 'string' ? userName : undefined;
}

/** Which userName a create carried, for the "created twice?" inspection; unreadable bodies count as "". */
function recordUserCreate(log: ScimRequestLog, text: string, status: number, origin: string | undefined): void {
  let userName = '';
  try {
    const body = JSON.parse(text) as { userName?: unknown };
    if (typeof body.userName === 'string') userName = body.userName;
  } catch {
    // a malformed body is answered 400 and logged under ""
  }
  log.recordUserCreate(userName, status, origin);
}

function respond(
  parts: ScimServerParts,
  dialect: Dialect,
  rawMethod: string,
  path: string,
  url: URL,
  req: IncomingMessage,
  text: string,
  rawLength: number,
  tooLarge: boolean,
): ScimResponse {
  const { ctx, auth } = parts;
  const failure = ctx.faults.takeFailure();
  if (failure) {
    const headers: Record<string, string> = failure.retryAfterSec === undefined ? {} : { 'Retry-After': String(failure.retryAfterSec) };
    const detail = failure.message ?? (failure.status === 429 ? 'Too many requests' : 'Service temporarily unavailable');
    return renderError(dialect, new ScimError(failure.status, failure.code as ScimType | undefined, detail, headers));
  }
  const outcome = auth.check(req.headers);
  if (!outcome.ok) return renderError(dialect, new ScimError(401, undefined, outcome.detail, { 'WWW-Authenticate': outcome.challenge }));
  if (tooLarge) return renderError(dialect, new ScimError(413, undefined, 'Request body is too large'));
  // SCIM 1.1 §3.2: clients that cannot send PATCH tunnel it through POST.
  const override = req.headers['x-http-method-override'];
  const method = dialect === 'v1' && rawMethod === 'POST' && typeof override === 'string' ? override.toUpperCase() : rawMethod;
  let body: JsonValue | undefined;
  if (text.trim() !== '') {
    if (!isJsonContentType(req.headers['content-type'])) {
      return renderError(dialect, new ScimError(415, undefined, `Unsupported Content-Type "${req.headers['content-type']}"`));
    }
    try {
      body = JSON.parse(text) as JsonValue;
    } catch {
      return renderError(dialect, new ScimError(400, 'invalidSyntax', 'Request body is not valid JSON'));
    }
    if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
      return renderError(dialect, new ScimError(400, 'invalidSyntax', `Request body nests deeper than ${MAX_JSON_DEPTH} levels`));
    }
  }
  const scimReq: ScimRequest = {
    method,
    path,
    query: url.searchParams,
    headers: req.headers,
    body,
    baseUrl: parts.origin() + (dialect === 'v2' ? V2_BASE : V1_BASE),
  };
  const safe = (r: ScimRequest): ScimResponse => {
    try {
      return dialect === 'v2' ? handleV2(ctx, r) : handleV1(ctx, r);
    } catch (err) {
      if (err instanceof ScimError) return renderError(dialect, err);
      throw err;
    }
  };
  if (dialect === 'v2' && /^\/Bulk\/?$/.test(path)) {
    try {
      return handleBulk(ctx, scimReq, rawLength, safe, (err) => renderError('v2', err));
    } catch (err) {
      if (err instanceof ScimError) return renderError(dialect, err);
      throw err;
    }
  }
  return safe(scimReq);
}
