import { startInProcessServer, type InProcessServer } from './in-process-server.js';

const TOKEN = 'public-url-token-0123456789abcdef';
const FORWARDED = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'id.example.com' };

const manifest = (server: string) => `server: { port: 0${server ? `, ${server}` : ''} }
store: { type: sqlite, path: data/provisio.db }
inbound: { scim: { auth: { bearer: [{ name: hr, token: "${TOKEN}" }] } } }
`;

/** Creates a user with the given extra headers; its Location and meta.location, and the discovery document's location. */
async function locations(server: InProcessServer, userName: string, headers: Record<string, string> = {}) {
  const created = await fetch(`${server.url}/scim/v2/Users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json', ...headers },
    body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName }),
    signal: AbortSignal.timeout(10000),
  });
  expect(created.status).toBe(201);
  const body = (await created.json()) as { id: string; meta: { location: string } };
  const config = await fetch(`${server.url}/scim/v2/ServiceProviderConfig`, {
    headers: { authorization: `Bearer ${TOKEN}`, ...headers },
    signal: AbortSignal.timeout(10000),
  });
  const discovery = (await config.json()) as { meta: { location: string } };
  return { header: created.headers.get('location'), meta: body.meta.location, id: body.id, discovery: discovery.meta.location };
}

/**
 * server.publicUrl and server.trustProxy (issue 17 item 2): the absolute URLs
 * SCIM writes come from publicUrl when set, else from the request, where
 * X-Forwarded-Proto/-Host count only when the peer (here loopback) is trusted.
 */
describe('absolute URLs: server.publicUrl and server.trustProxy', () => {
  const servers: InProcessServer[] = [];
  const start = async (server: string) => {
    const started = await startInProcessServer(manifest(server), { prefix: 'provisio-public-url-' });
    servers.push(started);
    return started;
  };

  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  it('uses publicUrl (with its path) for Location, meta.location and discovery, whatever the request says', async () => {
    const server = await start('publicUrl: "https://id.example.com/provisio/", trustProxy: [loopback]');
    const seen = await locations(server, 'ada', { 'x-forwarded-host': 'evil.example.net' });
    expect(seen.header).toBe(`https://id.example.com/provisio/scim/v2/Users/${seen.id}`);
    expect(seen.meta).toBe(seen.header);
    expect(seen.discovery).toBe('https://id.example.com/provisio/scim/v2/ServiceProviderConfig');
  });

  it('without trustProxy, ignores X-Forwarded-* and answers with the address the request reached', async () => {
    const server = await start('');
    const seen = await locations(server, 'grace', FORWARDED);
    expect(seen.header).toBe(`${server.url}/scim/v2/Users/${seen.id}`);
    expect(seen.discovery).toBe(`${server.url}/scim/v2/ServiceProviderConfig`);
  });

  it('honours X-Forwarded-Proto and -Host from a trusted peer (CIDR or hop count), and only from one', async () => {
    const byCidr = await start('trustProxy: ["127.0.0.0/8", "::1"]');
    const trusted = await locations(byCidr, 'alan', FORWARDED);
    expect(trusted.header).toBe(`https://id.example.com/scim/v2/Users/${trusted.id}`);
    expect(trusted.discovery).toBe('https://id.example.com/scim/v2/ServiceProviderConfig');

    const byHops = await start('trustProxy: 1');
    const hop = await locations(byHops, 'edsger', FORWARDED);
    expect(hop.meta).toBe(`https://id.example.com/scim/v2/Users/${hop.id}`);

    const elsewhere = await start('trustProxy: ["10.0.0.0/8"]');
    const untrusted = await locations(elsewhere, 'barbara', FORWARDED);
    expect(untrusted.header).toBe(`${elsewhere.url}/scim/v2/Users/${untrusted.id}`);
  });
});
