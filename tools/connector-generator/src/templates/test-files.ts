// test/ of a generated connector: a small node:http emulator and the connector-testkit suite against it.
import type { ConnectorNames } from '../connector-names.ts';

export function emulatorSource(n: ConnectorNames): string {
  return `// A loopback emulator of the ${n.pascal} API, with the faults the conformance suite injects.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface StoredUser {
  id: string;
  userName: string;
  active: boolean;
  [field: string]: unknown;
}

export interface ${n.pascal}Emulator {
  url: string;
  users: Map<string, StoredUser>;
  /** The next request is carried out, but its connection is destroyed before the answer. */
  dropNextResponse(): void;
  /** The next request answers \`status\` (with Retry-After when given) and changes nothing. */
  failNext(status: number, retryAfterSec?: number): void;
  /** Writes of this userName answer \`status\` with \`detail\`. */
  refuse(userName: string, status: number, detail: string): void;
  /** Adds \`count\` users straight into the store (a directory that already has people); their ids. */
  seed(count: number): string[];
  close(): Promise<void>;
}

export async function start${n.pascal}Emulator(token: string): Promise<${n.pascal}Emulator> {
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
    const id = url.pathname.match(/^\\/users\\/([^/]+)$/)?.[1];
    const user = id ? users.get(decodeURIComponent(id)) : undefined;
    const refusal = (userName: unknown) => (typeof userName === 'string' ? refusals.get(userName) : undefined);
    if (req.method === 'GET' && url.pathname === '/users' && url.searchParams.has('limit')) {
      // Keyset paging: users in id order after the cursor, so a deletion between pages skips nobody.
      const limit = Math.min(1000, Math.max(1, Number(url.searchParams.get('limit')) || 100));
      const after = url.searchParams.get('after') ?? '';
      const sorted = [...users.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      const rest = sorted.filter((u) => u.id > after);
      const page = rest.slice(0, limit);
      const last = page[page.length - 1];
      return { status: 200, body: { users: page, total: users.size, ...(rest.length > limit && last ? { nextCursor: last.id } : {}) } };
    }
    if (req.method === 'GET' && url.pathname === '/users') {
      const wanted = url.searchParams.get('userName');
      return { status: 200, body: [...users.values()].filter((u) => wanted === null || u.userName === wanted) };
    }
    if (req.method === 'POST' && url.pathname === '/users') {
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
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      if (req.headers.authorization !== \`Bearer \${token}\`) return send(res, 401, { error: 'unauthorized' });
      if (failNext) {
        const { status, retryAfterSec } = failNext;
        failNext = undefined;
        return send(res, status, { error: 'injected failure' }, retryAfterSec === undefined ? {} : { 'retry-after': String(retryAfterSec) });
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: \`http://127.0.0.1:\${port}\`,
    users,
    dropNextResponse: () => (dropNext = true),
    failNext: (status, retryAfterSec) => (failNext = { status, retryAfterSec }),
    refuse: (userName, status, detail) => refusals.set(userName, { status, detail }),
    seed: (count) =>
      Array.from({ length: count }, () => {
        const id = randomUUID();
        users.set(id, { id, userName: \`seed-\${id}@example.com\`, active: true });
        return id;
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
`;
}

export function conformanceSpecSource(n: ConnectorNames): string {
  return `import { createConnectorHttp, silentLogger, systemClock } from '@provisio/core';
import { describeConnectorConformance } from '@provisio/connector-testkit';
import { ${n.camel}ConfigSchema, ${n.pascal}Connector } from '../src/index.js';
import { start${n.pascal}Emulator } from './${n.type}-emulator.js';

const TOKEN = '${n.type}-test-token-0123456789';
// Small pages, so that the read cases page with a dozen users.
const PAGE_SIZE = 5;

describeConnectorConformance({
  name: '${n.type} against its emulator',
  setup: async () => {
    const target = await start${n.pascal}Emulator(TOKEN);
    const ctx = { instanceId: '${n.type}', logger: silentLogger(), clock: systemClock, http: createConnectorHttp() };
    const connector = new ${n.pascal}Connector(${n.camel}ConfigSchema.parse({ baseUrl: target.url, apiToken: TOKEN, timeoutMs: 5000, pageSize: PAGE_SIZE }), ctx);
    return { connector, secrets: [TOKEN], teardown: () => target.close(), target };
  },
  sampleUser: (n) => ({
    localId: \`local-\${n}\`,
    user: { userName: \`user\${n}@example.com\` },
    attributes: { userName: \`user\${n}@example.com\`, givenName: 'Ada', familyName: 'Lovelace' },
    accountName: \`user\${n}@example.com\`,
  }),
  changeUser: () => ({ title: 'Principal engineer' }),
  capabilities: { groups: false, passwords: false, deleteMode: 'delete' },
  faults: {
    dropNextResponse: (f) => f.target.dropNextResponse(),
    failNext: (f, status, { retryAfterSec }) => f.target.failNext(status, retryAfterSec),
    rejectUser: (f, payload, { status, detail }) => f.target.refuse(String(payload.accountName), status, detail),
    makeUnreachable: (f) => f.target.close(),
  },
  read: {
    pageSize: PAGE_SIZE,
    seedUsers: (f, count) => f.target.seed(count),
    removeUser: (f, remoteId) => void f.target.users.delete(remoteId),
  },
  inspect: {
    user: async (f, remoteId) => {
      const user = f.target.users.get(remoteId);
      if (!user) return null;
      const attributes: Record<string, unknown> = { ...user };
      delete attributes['id'];
      delete attributes['active'];
      return { active: user.active, attributes };
    },
  },
});
`;
}

export function readmeSource(n: ConnectorNames): string {
  return `# ${n.packageName}

A [Provisio](https://github.com/) connector plugin: connector type \`${n.type}\` provisions users to ${n.pascal}.

## Use it

\`\`\`sh
npm install ${n.packageName}
\`\`\`

\`\`\`yaml
# provisio.config.yaml
plugins:
  - ${n.packageName}
connectors:
  - id: ${n.type}
    type: ${n.type}
    config:
      baseUrl: https://${n.type}.example.com/api
      apiToken: "\${env:${n.type.toUpperCase().replace(/-/g, '_')}_TOKEN}"   # secret: masked and scrubbed from logs
\`\`\`

## Develop it

| file | what it is |
|---|---|
| \`src/${n.type}-config.ts\` | zod schema of the instance config; \`apiToken\` is secret |
| \`src/${n.type}-client.ts\` | the ${n.pascal} API over core's HTTP client (\`ctx.http.client\`: token, timeout, Retry-After, secret scrubbing) |
| \`src/${n.type}-errors.ts\` | the statuses ${n.pascal} means differently from core's usual reading (\`HttpStatusClassifier\`) |
| \`src/${n.type}-connector.ts\` | \`defineConnector(...)\` and the \`OutboundConnector\`, with the read side (\`listUsers\` page by page, \`getUser\`) |
| \`src/index.ts\` | the plugin: \`definePlugin({ name, connectors })\` |
| \`test/${n.type}-emulator.ts\` | a loopback emulator of the API (node:http) with fault injection |
| \`test/${n.type}.conformance.spec.ts\` | \`@provisio/connector-testkit\` against the emulator |

\`\`\`sh
npm install
npm run build && npm run lint && npm test
npm pack          # a tarball users can npm install
\`\`\`

Replace the emulator's routes and the client with your API's; keep the conformance test green.
`;
}
