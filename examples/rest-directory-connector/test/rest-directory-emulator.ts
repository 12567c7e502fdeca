// A loopback emulator of the Rest Directory API, with the faults the conformance suite injects.
// Only node builtins, so it runs straight from source (`node` strips the types) as well as under Jest.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface StoredUser {
  id: string;
  userName: string;
  active: boolean;
  [field: string]: unknown;
}

export interface RestDirectoryEmulator {
  /** Base URL of the API (`baseUrl` in the connector config). */
  url: string;
  users: Map<string, StoredUser>;
  /** The next request is carried out, but its connection is destroyed before the answer. */
  dropNextResponse(): void;
  /** The next request answers `status` (with Retry-After when given) and changes nothing. */
  failNext(status: number, retryAfterSec?: number): void;
  /** Writes of this userName answer `status` with `detail`. */
  refuse(userName: string, status: number, detail: string): void;
  /** Adds `count` users straight into the store (a target that already has people); their ids. */
  seed(count: number): string[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

/**
 * Routes: GET/POST /api/users (GET with `limit` and `after`: one page `{ users, total, nextCursor? }`),
 * GET/PATCH/DELETE /api/users/:id; every request needs `Bearer <token>`.
 */
export async function startRestDirectoryEmulator(token: string, options: { port?: number } = {}): Promise<RestDirectoryEmulator> {
  const users = new Map<string, StoredUser>();
  const refusals = new Map<string, { status: number; detail: string }>();
  let dropNext = false;
  let failNext: { status: number; retryAfterSec?: number } | undefined;

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, body: Record<string, unknown>): { status: number; body?: unknown } => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/api/')) return { status: 404, body: { error: 'not found' } };
    const path = url.pathname.slice('/api'.length);
    const id = path.match(/^\/users\/([^/]+)$/)?.[1];
    const user = id ? users.get(decodeURIComponent(id)) : undefined;
    const refusal = (userName: unknown) => (typeof userName === 'string' ? refusals.get(userName) : undefined);
    if (req.method === 'GET' && path === '/users' && url.searchParams.has('limit')) {
      // Keyset paging: users in id order after the cursor, so a deletion between pages skips nobody.
      const limit = Math.min(1000, Math.max(1, Number(url.searchParams.get('limit')) || 100));
      const after = url.searchParams.get('after') ?? '';
      const rest = [...users.values()].filter((u) => u.id > after).sort((a, b) => (a.id < b.id ? -1 : 1));
      const page = rest.slice(0, limit);
      const last = page[page.length - 1];
      return { status: 200, body: { users: page, total: users.size, ...(rest.length > limit && last ? { nextCursor: last.id } : {}) } };
    }
    if (req.method === 'GET' && path === '/users') {
      const wanted = url.searchParams.get('userName');
      return { status: 200, body: [...users.values()].filter((u) => wanted === null || u.userName === wanted) };
    }
    if (req.method === 'POST' && path === '/users') {
      if (typeof body['userName'] !== 'string' || body['userName'] === '') return { status: 400, body: { error: 'userName is required' } };
      const refused = refusal(body['userName']);
      if (refused) return { status: refused.status, body: { error: refused.detail } };
      if ([...users.values()].some((u) => u.userName === body['userName'])) return { status: 409, body: { error: 'userName is taken' } };
      const created: StoredUser = { ...body, id: randomUUID(), userName: body['userName'], active: true };
      users.set(created.id, created);
      return { status: 201, body: created };
    }
    if (!id) return { status: 404, body: { error: 'not found' } };
    if (!user) return { status: 404, body: { error: 'no such user' } };
    if (req.method === 'GET') return { status: 200, body: user };
    if (req.method === 'PATCH') {
      const refused = refusal(user.userName);
      if (refused) return { status: refused.status, body: { error: refused.detail } };
      Object.assign(user, body, { id: user.id });
      return { status: 200, body: user };
    }
    if (req.method === 'DELETE') {
      users.delete(user.id);
      return { status: 204 };
    }
    return { status: 405, body: { error: 'method not allowed' } };
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
      if (raw.length > MAX_BODY_BYTES) req.destroy();
    });
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { error: 'unauthorized' });
      if (failNext) {
        const { status, retryAfterSec } = failNext;
        failNext = undefined;
        return send(
          res,
          status,
          { error: 'injected failure' },
          retryAfterSec === undefined ? {} : { 'retry-after': String(retryAfterSec) },
        );
      }
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        return send(res, 400, { error: 'invalid JSON' });
      }
      const answer = handle(req, body);
      if (dropNext) {
        dropNext = false;
        res.socket?.destroy();
        return;
      }
      send(res, answer.status, answer.body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    users,
    dropNextResponse: () => (dropNext = true),
    failNext: (status, retryAfterSec) => (failNext = { status, retryAfterSec }),
    refuse: (userName, status, detail) => refusals.set(userName, { status, detail }),
    seed: (count) =>
      Array.from({ length: count }, () => {
        const id = randomUUID();
        users.set(id, { id, userName: `seed-${id}@example.com`, active: true });
        return id;
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
