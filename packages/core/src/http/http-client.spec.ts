import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { CallDeadline } from '../connector/remote-call.js';
import { isConflictError, isPermanentError, isTransientError, type TransientError } from '../errors.js';
import { createConnectorHttp, type ConnectorHttp } from './connector-http.js';
import { HttpClient, type HttpAuth } from './http-client.js';
import { OAuth2TokenCache } from './oauth2-token-cache.js';
import { parseRetryAfter } from './retry-after.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A loopback server whose answer each test sets. */
async function loopback(): Promise<{ url: string; handle(h: Handler): void; server: Server }> {
  let handler: Handler = (_req, res) => res.end();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, handle: (h) => (handler = h), server };
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

// One loopback target for the file; each test gets fresh agents and sets the target's answers.
let target: Awaited<ReturnType<typeof loopback>>;
let http: ConnectorHttp;

beforeAll(async () => {
  target = await loopback();
});
afterAll(async () => {
  await new Promise((resolve) => target.server.close(resolve));
});
beforeEach(() => {
  http = createConnectorHttp();
});
afterEach(() => {
  http.httpAgent.destroy();
  http.httpsAgent.destroy();
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-02T10:00:00Z');
  it('reads delta-seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 02 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 02 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(['5', '9'], now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('HttpClient (ctx.http.client)', () => {
  it('sends JSON to a path under the base URL and parses the answer', async () => {
    target.handle((req, res, body) =>
      answer(res, 201, { method: req.method, url: req.url, type: req.headers['content-type'], got: JSON.parse(body) as unknown }),
    );
    const client = http.client({ baseUrl: `${target.url}/api/` });
    const response = await client.request({ method: 'POST', url: '/users', json: { userName: 'ada' } });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ method: 'POST', url: '/api/users', type: 'application/json', got: { userName: 'ada' } });
  });

  it('turns 429 and 503 into TransientError with Retry-After in both forms', async () => {
    const client = http.client({
      baseUrl: target.url,
      clock: { now: () => Date.parse('2026-12-02T10:00:00Z'), sleep: async () => undefined },
    });
    target.handle((_req, res) => answer(res, 429, { message: 'slow down' }, { 'Retry-After': '7' }));
    const limited = await failureOf(client.request({ method: 'GET', url: '/users' }));
    expect(isTransientError(limited)).toBe(true);
    expect((limited as TransientError).retryAfterMs).toBe(7000);
    expect(limited.message).toBe(`GET ${target.url}/users answered 429: slow down`);

    target.handle((_req, res) => answer(res, 503, {}, { 'Retry-After': 'Wed, 02 Dec 2026 10:01:00 GMT' }));
    const unavailable = await failureOf(client.request({ method: 'GET', url: '/users' }));
    expect(isTransientError(unavailable)).toBe(true);
    expect((unavailable as TransientError).retryAfterMs).toBe(60_000);
    expect((unavailable as TransientError).remoteCode).toBe(503);
  });

  it('classifies 4xx as permanent and 409 as conflict by default, and lets the connector override', async () => {
    const client = http.client({ baseUrl: target.url });
    target.handle((_req, res) => answer(res, 400, { detail: 'userName is required' }));
    const invalid = await failureOf(client.request({ method: 'POST', url: '/users', json: {}, action: 'create user' }));
    expect(isPermanentError(invalid)).toBe(true);
    expect(invalid.message).toBe(`create user: POST ${target.url}/users answered 400: userName is required`);

    target.handle((_req, res) => answer(res, 409, { detail: 'exists' }));
    expect(isConflictError(await failureOf(client.request({ method: 'POST', url: '/users', json: {} })))).toBe(true);

    const lenient = http.client({ baseUrl: target.url, classify: (response) => (response.status === 409 ? 'transient' : undefined) });
    expect(isTransientError(await failureOf(lenient.request({ method: 'PATCH', url: '/users/1', json: {} })))).toBe(true);
    target.handle((_req, res) => answer(res, 404, {}));
    expect(isPermanentError(await failureOf(lenient.request({ method: 'GET', url: '/users/1' })))).toBe(true);
    expect((await lenient.request({ method: 'DELETE', url: '/users/1', accept: [404] })).status).toBe(404);
  });

  it('turns a refused connection and a timeout into TransientError', async () => {
    const closed = await loopback();
    await new Promise((resolve) => closed.server.close(resolve));
    const refused = await failureOf(http.client().request({ method: 'GET', url: `${closed.url}/users` }));
    expect(isTransientError(refused)).toBe(true);
    expect(refused.message).toMatch(/ECONNREFUSED/);

    target.handle(() => undefined); // never answers
    const slow = await failureOf(http.client({ baseUrl: target.url, timeoutMs: 200 }).request({ method: 'GET', url: '/users' }));
    expect(isTransientError(slow)).toBe(true);
    expect(slow.message).toMatch(/no complete response within 200 ms/);
  });

  it('sends an idempotent call again, once, when a kept-alive connection turns out closed; a POST is not resent', async () => {
    // The server drops every request that arrives on a connection it answered before, as a server does
    // whose keep-alive timeout closed the connection just as the client reused it.
    const seen = new WeakSet<object>();
    const arrived: string[] = [];
    target.handle((req, res) => {
      arrived.push(req.method ?? '');
      if (seen.has(req.socket)) return void req.socket.destroy();
      seen.add(req.socket);
      answer(res, 200, { ok: true });
    });
    const client = http.client({ baseUrl: target.url });
    await client.request({ method: 'GET', url: '/users' });
    expect((await client.request({ method: 'GET', url: '/users?startIndex=201' })).body).toEqual({ ok: true });
    expect(arrived).toEqual(['GET', 'GET', 'GET']);
    const post = await failureOf(client.request({ method: 'POST', url: '/users', json: {} }));
    expect(isTransientError(post)).toBe(true);
    expect(post.message).toMatch(/ECONNRESET/);
    expect(arrived.slice(3)).toEqual(['POST']);
  });

  it('scrubs secrets and sensitive values from error text', async () => {
    target.handle((_req, res, body) => answer(res, 400, { detail: `rejected ${body} with key s3cret-api-key` }));
    const client = http.client({ baseUrl: target.url, secrets: ['s3cret-api-key'] });
    const error = await failureOf(client.request({ method: 'POST', url: '/users', body: 'password=Hunter2!x', sensitive: ['Hunter2!x'] }));
    expect(error.message).not.toMatch(/s3cret-api-key|Hunter2!x/);
    expect(error.message).toContain('********');
  });

  it('renews credentials once on 401 and replays; a second 401 is permanent with the hint', async () => {
    let current = 'old';
    const renewals: string[] = [];
    const auth: HttpAuth = {
      headers: () => ({ Authorization: `Bearer ${current}` }),
      renew: (rejected) => {
        renewals.push(rejected['Authorization'] ?? '');
        current = 'new';
        return true;
      },
    };
    target.handle((req, res) => (req.headers.authorization === 'Bearer new' ? answer(res, 200, { ok: true }) : answer(res, 401, {})));
    const client = http.client({ baseUrl: target.url, auth, authHint: 'check auth.token' });
    expect((await client.request({ method: 'GET', url: '/me' })).body).toEqual({ ok: true });
    expect(renewals).toEqual(['Bearer old']);

    target.handle((_req, res) => answer(res, 401, {}, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }));
    const refused = await failureOf(client.request({ method: 'GET', url: '/me' }));
    expect(isPermanentError(refused)).toBe(true);
    expect(refused.message).toBe(
      `GET ${target.url}/me answered 401: authentication rejected (Bearer error="invalid_token"); check auth.token`,
    );
    expect(renewals).toHaveLength(2); // once per call, never a loop
  });
});

describe('OAuth2TokenCache', () => {
  let issued: number;
  let now: number;
  const clock = { now: () => now, sleep: async () => undefined };

  beforeEach(() => {
    issued = 0;
    now = 1_000_000;
    // /token issues tok-1, tok-2...; /api accepts only the latest token.
    target.handle((req, res, body) => {
      if (req.url === '/token') {
        const basic = Buffer.from(`client-1:${encodeURIComponent('se cret').replace(/%20/g, '+')}`).toString('base64');
        if (req.headers.authorization !== `Basic ${basic}` || !body.includes('grant_type=client_credentials'))
          return answer(res, 401, { error: 'invalid_client' });
        issued += 1;
        return setTimeout(() => answer(res, 200, { access_token: `tok-${issued}`, expires_in: 3600 }), 20);
      }
      answer(res, req.headers.authorization === `Bearer tok-${issued}` ? 200 : 401, { token: req.headers.authorization });
    });
  });
  const cacheWith = (clientSecret = 'se cret') =>
    new OAuth2TokenCache(
      { tokenUrl: `${target.url}/token`, clientId: 'client-1', clientSecret },
      { client: http.client(), clock, hint: 'check auth.clientSecret' },
    );

  it('shares one token request among concurrent calls and reuses the token', async () => {
    const tokens = cacheWith();
    const api = http.client({ baseUrl: target.url, auth: tokens });
    const answers = await Promise.all(Array.from({ length: 8 }, () => api.request({ method: 'GET', url: '/api' })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    await api.request({ method: 'GET', url: '/api' });
    expect(issued).toBe(1);
  });

  it('fetches a new token shortly before the old one expires', async () => {
    const tokens = cacheWith();
    expect(await tokens.token()).toBe('tok-1');
    now += 3600_000 - 29_000; // inside the renewal margin
    expect(await tokens.token()).toBe('tok-2');
  });

  it('after a 401, concurrent calls share one refresh and replay with the new token', async () => {
    const tokens = cacheWith();
    const api = http.client({ baseUrl: target.url, auth: tokens });
    await api.request({ method: 'GET', url: '/api' });
    // The target revokes tok-1: only the next token it issues passes.
    target.handle((req, res) => {
      if (req.url === '/token') {
        issued += 1;
        return setTimeout(() => answer(res, 200, { access_token: `tok-${issued}`, expires_in: 3600 }), 20);
      }
      answer(res, req.headers.authorization === 'Bearer tok-2' ? 200 : 401, {});
    });
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.request({ method: 'GET', url: '/api' })));
    expect(answers.map((a) => a.status)).toEqual(Array(5).fill(200));
    expect(issued).toBe(2);
  });

  it('reports a refused client secret as permanent, with the hint and without the secret', async () => {
    const error = await failureOf(cacheWith('wrong-secret-value').token());
    expect(isPermanentError(error)).toBe(true);
    expect(error.message).toMatch(/OAuth token request: POST .*\/token answered 401: invalid_client; check auth.clientSecret/);
    expect(error.message).not.toContain('wrong-secret-value');
  });
});

describe('HttpClient under a call deadline (the job lease)', () => {
  /** A clock the test moves by hand; the deadline's own timer is far off, so only a check can see the deadline pass. */
  function manualClock(start: number) {
    let now = start;
    return { now: () => now, sleep: async () => undefined, advance: (ms: number) => (now += ms) };
  }

  it('sends nothing once the deadline has passed, even if its timer has not fired yet', async () => {
    let received = 0;
    target.handle((_req, res) => {
      received += 1;
      answer(res, 201, {});
    });
    const clock = manualClock(1_000_000);
    const deadline = new CallDeadline(clock.now() + 60_000, clock, () => 'the job lease ends');
    clock.advance(60_001);
    const error = await failureOf(
      http.client({ baseUrl: target.url }).request({ method: 'POST', url: '/users', json: {}, signal: deadline.signal }),
    );
    deadline.dispose();
    expect(isTransientError(error)).toBe(true);
    expect(error.message).toBe(`POST ${target.url}/users failed: not sent: the job lease ends`);
    expect(received).toBe(0);
  });

  it('does not send a request that waited for a free connection past its deadline', async () => {
    const seen: string[] = [];
    let finishFirst!: () => void;
    target.handle((req, res) => {
      seen.push(req.url ?? '');
      if (req.url === '/first') finishFirst = () => answer(res, 200, {});
      else answer(res, 201, {});
    });
    // One connection: the second request queues behind the first.
    const agents = { httpAgent: new Agent({ keepAlive: true, maxSockets: 1 }), httpsAgent: new HttpsAgent() };
    const client = new HttpClient(agents, { baseUrl: target.url });
    const clock = manualClock(1_000_000);
    const deadline = new CallDeadline(clock.now() + 60_000, clock, () => 'the job lease ends');
    const first = client.request({ method: 'GET', url: '/first' });
    for (let i = 0; i < 200 && seen.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const second = failureOf(client.request({ method: 'POST', url: '/second', json: {}, signal: deadline.signal }));
    clock.advance(60_001);
    finishFirst();
    await first;
    const error = await second;
    deadline.dispose();
    agents.httpAgent.destroy();
    expect(error.message).toBe(`POST ${target.url}/second failed: not sent: the job lease ends`);
    expect(seen).toEqual(['/first']);
  });

  it('cuts off a request under way when the deadline passes', async () => {
    target.handle(() => undefined); // never answers
    const deadline = new CallDeadline(
      Date.now() + 100,
      { now: () => Date.now(), sleep: async () => undefined },
      () => 'the job lease ends',
    );
    const error = await failureOf(http.client({ baseUrl: target.url }).request({ method: 'GET', url: '/users', signal: deadline.signal }));
    expect(isTransientError(error)).toBe(true);
    expect(error.message).toBe(`GET ${target.url}/users failed: aborted: the job lease ends`);
    expect(deadline.signal.aborted).toBe(true);
  });

  it('names the job and attempt of a worker deadline in every request it sends, and nothing for a bare signal', async () => {
    const seen: { job?: string | string[]; worker?: string | string[] }[] = [];
    target.handle((req, res) => {
      seen.push({ job: req.headers['x-provisio-job'], worker: req.headers['x-provisio-worker'] });
      answer(res, 201, {});
    });
    const clock = { now: () => Date.now(), sleep: async () => undefined };
    const origin = {
      workerId: 'worker-7',
      jobs: [
        { id: '41', claim: 3 },
        { id: '42', claim: 1 },
      ],
    };
    const deadline = new CallDeadline(Date.now() + 60_000, clock, () => 'the job lease ends', origin);
    const client = http.client({ baseUrl: target.url });
    await client.request({ method: 'POST', url: '/users', json: {}, signal: deadline.signal });
    await client.request({ method: 'GET', url: '/users', signal: new AbortController().signal });
    deadline.dispose();
    expect(seen).toEqual([
      { job: '41.3,42.1', worker: 'worker-7' },
      { job: undefined, worker: undefined },
    ]);
  });

  it('moves the deadline on renewal: a call that outlives the first deadline but not the moved one completes', async () => {
    target.handle((_req, res) => setTimeout(() => answer(res, 200, { ok: true }), 150));
    const clock = { now: () => Date.now(), sleep: async () => undefined };
    const deadline = new CallDeadline(Date.now() + 60, clock, () => 'the job lease ends');
    deadline.moveTo(Date.now() + 5000);
    const response = await http.client({ baseUrl: target.url }).request({ method: 'GET', url: '/users', signal: deadline.signal });
    deadline.dispose();
    expect(response.body).toEqual({ ok: true });
    expect(deadline.signal.aborted).toBe(false);
  });
});
