import { ServerResponse } from 'node:http';
import { adminOpenApiDocument } from '@provisio/admin-contract';
import { createOpenApiResponseValidator, type AdminExchange } from './openapi-response-validator.js';

/**
 * Every /admin/v1 answer a test's clients receive, checked against the OpenAPI
 * document: answers of servers in this process (whoever asked: fetch, the CLI
 * child process, Chromium) and answers fetched from any server (a `provisio
 * serve` child). Mismatches wait in `problems` until `drainProblems()`.
 */
interface TapState {
  installed: boolean;
  /** The current test file's sink; jest runs the files of a worker one after another. */
  record: (exchange: AdminExchange) => void;
}

const STATE_KEY = Symbol.for('provisio.admin-response-tap');
const PREFIX = '/admin/v1';
const captured = new WeakMap<ServerResponse, Buffer[]>();
const pending = new Set<Promise<void>>();
const problems: string[] = [];
let validate: ((exchange: AdminExchange) => string[]) | undefined;
let checked = 0;

function check(exchange: AdminExchange): void {
  validate ??= createOpenApiResponseValidator(adminOpenApiDocument());
  checked += 1;
  for (const problem of validate(exchange)) if (!problems.includes(problem)) problems.push(problem);
}

const toBuffer = (chunk: unknown, encoding?: unknown): Buffer | undefined => {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return undefined;
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return Buffer.from(chunk as Uint8Array);
};

function adminPath(res: ServerResponse): string | undefined {
  const req = res.req as (typeof res.req & { originalUrl?: string }) | undefined;
  const url = req?.originalUrl ?? req?.url;
  return req && req.method !== 'HEAD' && url?.startsWith(`${PREFIX}/`) ? url : undefined;
}

/** Patches the process's http.ServerResponse once; each test file points `record` at its own check. */
function installServerTap(state: TapState): void {
  if (state.installed) return;
  state.installed = true;
  const proto = ServerResponse.prototype as unknown as { write: (...args: unknown[]) => boolean; end: (...args: unknown[]) => unknown };
  const write = proto.write;
  const end = proto.end;
  proto.write = function (this: ServerResponse, ...args: unknown[]) {
    if (adminPath(this)) {
      const chunk = toBuffer(args[0], args[1]);
      if (chunk) captured.set(this, [...(captured.get(this) ?? []), chunk]);
    }
    return write.apply(this, args);
  };
  proto.end = function (this: ServerResponse, ...args: unknown[]) {
    const path = adminPath(this);
    if (path && !this.writableEnded) {
      const chunk = toBuffer(args[0], args[1]);
      const body = Buffer.concat([...(captured.get(this) ?? []), ...(chunk ? [chunk] : [])]).toString('utf8');
      captured.delete(this);
      const header = this.getHeader('content-type');
      state.record({
        method: this.req.method ?? 'GET',
        path,
        status: this.statusCode,
        contentType: header === undefined ? undefined : String(header),
        body,
      });
    }
    return end.apply(this, args);
  };
}

/** Wraps this test file's fetch: admin answers are read from a clone and checked. */
function wrapFetch(): void {
  const original = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const response = await original(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (
      url.pathname.startsWith(`${PREFIX}/`) &&
      (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase() !== 'HEAD'
    ) {
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      const read = response
        .clone()
        .text()
        .then((body) =>
          check({
            method,
            path: `${url.pathname}${url.search}`,
            status: response.status,
            contentType: response.headers.get('content-type') ?? undefined,
            body,
          }),
        )
        .catch(() => undefined)
        .finally(() => pending.delete(read));
      pending.add(read);
    }
    return response;
  };
}

export function installAdminResponseTap(): void {
  const holder = globalThis.process as unknown as Record<symbol, TapState | undefined>;
  const state = (holder[STATE_KEY] ??= { installed: false, record: () => undefined });
  state.record = check;
  installServerTap(state);
  wrapFetch();
}

/** The mismatches seen since the last call (after in-flight fetch checks finish), and how many answers were checked. */
export async function drainProblems(): Promise<{ problems: string[]; checked: number }> {
  await Promise.all([...pending]);
  const result = { problems: problems.splice(0), checked };
  checked = 0;
  return result;
}
