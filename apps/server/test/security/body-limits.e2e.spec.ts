import { startInProcessServer, type InProcessServer } from '../in-process-server.js';

const SCIM_TOKEN = 'limits-scim-token-9d2e4f';
const ADMIN_TOKEN = 'limits-admin-token-1b3c5d';
const LIMIT = 16 * 1024;

/** A body of `bytes` bytes sent chunked (no Content-Length), so the limit must be enforced while streaming. */
function chunked(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode('x'.repeat(1024));
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.length;
    },
  });
}

/**
 * Bodies over `server.bodyLimit` are refused with 413 (a SCIM error on SCIM, the
 * admin error body on the admin API), with or without Content-Length, before any
 * write; the server keeps serving.
 */
describe('request body limits', () => {
  let server: InProcessServer;

  beforeAll(async () => {
    server = await startInProcessServer(
      `server: { port: 0, bodyLimit: 16kb }
inbound: { scim: { auth: { bearer: [{ name: hr, token: "${SCIM_TOKEN}" }] } } }
admin: { auth: { bearer: [{ name: ops, token: "${ADMIN_TOKEN}" }] } }
`,
      { prefix: 'provisio-limits-' },
    );
  });

  afterAll(async () => {
    await server?.stop();
  });

  const scimHeaders = { authorization: `Bearer ${SCIM_TOKEN}`, 'content-type': 'application/scim+json' };
  const bigUser = () =>
    JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'big@example.com', title: 'x'.repeat(LIMIT * 2) });

  it.each([
    ['POST', '/scim/v2/Users'],
    ['PUT', '/scim/v2/Users/x'],
    ['PATCH', '/scim/v2/Users/x'],
    ['POST', '/scim/v2/Bulk'],
    ['POST', '/scim/v2/Users/.search'],
  ])('%s %s over the limit: 413 with a SCIM error', async (method, path) => {
    const response = await fetch(`${server.url}${path}`, { method, headers: scimHeaders, body: bigUser() });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '413' });
  });

  it('a chunked SCIM body over the limit: 413 too, and nothing was stored', async () => {
    const response = await fetch(`${server.url}/scim/v2/Users`, {
      method: 'POST',
      headers: scimHeaders,
      body: chunked(LIMIT * 4),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ status: '413' });
    const list = (await (await fetch(`${server.url}/scim/v2/Users`, { headers: scimHeaders })).json()) as { totalResults: number };
    expect(list.totalResults).toBe(0);
  });

  it('SCIM 1.1 over the limit: 413 with a SCIM 1.1 error', async () => {
    const response = await fetch(`${server.url}/scim/v1/Users`, {
      method: 'POST',
      headers: { ...scimHeaders, 'content-type': 'application/json' },
      body: bigUser(),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ Errors: [{ code: '413' }] });
  });

  it('the admin API over the limit: 413 with its error body, sized or chunked', async () => {
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const sized = await fetch(`${server.url}/admin/v1/connectors/none/reconcile`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ pad: 'x'.repeat(LIMIT * 2) }),
    });
    expect(sized.status).toBe(413);
    expect(await sized.json()).toEqual({ error: { status: 413, message: 'the body is larger than 16kb' } });
    const streamed = await fetch(`${server.url}/admin/v1/connectors/none/reconcile`, {
      method: 'POST',
      headers,
      body: chunked(LIMIT * 4),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('bodies within the limit still work afterwards', async () => {
    const response = await fetch(`${server.url}/scim/v2/Users`, {
      method: 'POST',
      headers: scimHeaders,
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'small@example.com',
        title: 'x'.repeat(LIMIT / 2),
      }),
    });
    expect(response.status).toBe(201);
  });
});
