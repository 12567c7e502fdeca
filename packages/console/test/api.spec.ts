import { AdminApi, ApiError, authorizationFor, query } from '../app/src/lib/api.js';

type Call = { url: string; init?: RequestInit };

/** A stand-in for the server: records each request and answers what the test says. */
function fakeServer(answer: (call: Call) => { status: number; body?: unknown; text?: string }) {
  const calls: Call[] = [];
  const fetchImpl = async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const { status, body, text } = answer({ url, init });
    return new Response(text ?? (body === undefined ? '' : JSON.stringify(body)), { status });
  };
  return { calls, fetchImpl };
}

describe('admin API client', () => {
  it('builds bearer and basic Authorization headers (UTF-8 passwords included)', () => {
    expect(authorizationFor({ token: '  abc  ' })).toBe('Bearer abc');
    expect(authorizationFor({ username: 'ops', password: 'pässword' })).toBe(
      `Basic ${Buffer.from('ops:pässword', 'utf8').toString('base64')}`,
    );
  });

  it('leaves empty filters out of the query string and encodes the rest', () => {
    expect(query({ status: 'failed', connector: '', user: undefined, limit: 10 })).toBe('?status=failed&limit=10');
    expect(query({ q: 'a&b c' })).toBe('?q=a%26b+c');
    expect(query({})).toBe('');
  });

  it('sends the credentials, JSON bodies and encoded ids', async () => {
    const server = fakeServer(() => ({ status: 200, body: { connector: 'scim app', outcome: 'succeeded', steps: [] } }));
    const api = new AdminApi('Bearer t0k3n', '/admin/v1', server.fetchImpl);
    await api.provision('scim app', 'ada@example.com');
    expect(server.calls[0].url).toBe('/admin/v1/connectors/scim%20app/provision');
    expect(server.calls[0].init?.method).toBe('POST');
    expect(server.calls[0].init?.headers).toMatchObject({ authorization: 'Bearer t0k3n', 'content-type': 'application/json' });
    expect(server.calls[0].init?.body).toBe('{"user":"ada@example.com"}');
  });

  it('turns error answers into ApiError with the server message, but reads a failed health check as a report', async () => {
    const server = fakeServer(({ url }) =>
      url.endsWith('/check')
        ? { status: 503, body: { connector: 'x', ok: false, message: 'target unreachable', tookMs: 3 } }
        : url.includes('/jobs')
          ? { status: 400, body: { error: { status: 400, message: 'status must be one of ...' } } }
          : { status: 502, text: '<html>bad gateway</html>' },
    );
    const api = new AdminApi('Bearer t', '/admin/v1', server.fetchImpl);
    await expect(api.check('x')).resolves.toMatchObject({ ok: false, message: 'target unreachable' });
    await expect(api.jobs({ status: 'broken' })).rejects.toEqual(new ApiError(400, 'status must be one of ...'));
    const proxyError = await api.session().catch((e: unknown) => e);
    expect(proxyError).toBeInstanceOf(ApiError);
    expect((proxyError as ApiError).status).toBe(502);
  });
});
