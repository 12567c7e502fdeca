// node:http front door: reads the request, applies latency, dispatches to the token endpoint,
// the batch endpoint, the Directory API or the control plane, and writes the answer.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readLimitedBody } from '../http/read-limited-body.js';
import type { ApiRequest, ApiResponse } from './google-http-types.js';

export type RequestDispatcher = (req: ApiRequest) => ApiResponse;

const MAX_BODY_BYTES = 32 * 1024 * 1024;

export function createGoogleHttpServer(dispatch: RequestDispatcher, latencyMs: () => number): Server {
  return createServer((incoming, outgoing) => {
    void serve(incoming, outgoing, dispatch, latencyMs);
  });
}

async function serve(incoming: IncomingMessage, outgoing: ServerResponse, dispatch: RequestDispatcher, latencyMs: () => number) {
  try {
    const body = await readBody(incoming);
    if (body === undefined) return write(outgoing, { status: 413, json: { error: { code: 413, message: 'Request Entity Too Large' } } });
    const url = new URL(incoming.url ?? '/', 'http://emulator.invalid');
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(incoming.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const request: ApiRequest = { method: incoming.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body };
    const delay = latencyMs();
    if (delay > 0 && !url.pathname.startsWith('/__emulator')) await new Promise((resolve) => setTimeout(resolve, delay));
    write(outgoing, dispatch(request));
  } catch {
    if (!outgoing.headersSent) write(outgoing, { status: 500, json: { error: { code: 500, message: 'Internal error encountered.' } } });
  }
}

/** The body as text; undefined when it is larger than Google would take. */
async function readBody(incoming: IncomingMessage): Promise<string | undefined> {
  const { raw, tooLarge } = await readLimitedBody(incoming, MAX_BODY_BYTES);
  return tooLarge ? undefined : raw.toString('utf8');
}

function write(outgoing: ServerResponse, response: ApiResponse): void {
  if (response.dropConnection) {
    outgoing.socket?.destroy();
    return;
  }
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let payload = '';
  if (response.json !== undefined) {
    headers['content-type'] = 'application/json; charset=UTF-8';
    payload = JSON.stringify(response.json);
  } else if (response.text !== undefined) {
    headers['content-type'] = response.text.contentType;
    payload = response.text.body;
  }
  if (response.status !== 204) headers['content-length'] = String(Buffer.byteLength(payload));
  outgoing.writeHead(response.status, headers);
  outgoing.end(response.status === 204 ? undefined : payload);
}
