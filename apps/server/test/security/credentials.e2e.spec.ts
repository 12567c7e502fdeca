import { startInProcessServer, type InProcessServer } from '../in-process-server.js';

const SCIM_TOKEN = 'scim-bearer-token-7c1f0e9a2b';
const SCIM_BASIC = { username: 'hr-system', password: 'scim-basic-password-5e8d' };
const ADMIN_TOKEN = 'admin-bearer-token-3a9b6c1d4e';
const ADMIN_BASIC = { username: 'ops', password: 'admin-basic-password-2f7a' };

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/**
 * SCIM and admin endpoints each accept only their own credentials: missing,
 * wrong, malformed or the other API's credentials get 401 with a challenge and
 * an error body in that API's format, never a 5xx and never data.
 */
describe('credentials on the SCIM and admin APIs', () => {
  let server: InProcessServer;

  beforeAll(async () => {
    server = await startInProcessServer(
      `server: { port: 0 }
inbound:
  scim:
    auth:
      bearer: [{ name: entra, token: "${SCIM_TOKEN}" }]
      basic: [{ username: ${SCIM_BASIC.username}, password: "${SCIM_BASIC.password}" }]
      # Every refusal below comes from one address: keep the failed-attempt throttle out of the way.
      failedAttempts: { limit: 1000 }
admin:
  auth:
    bearer: [{ name: ops-token, token: "${ADMIN_TOKEN}" }]
    basic: [{ username: ${ADMIN_BASIC.username}, password: "${ADMIN_BASIC.password}" }]
    failedAttempts: { limit: 1000 }
`,
      { prefix: 'provisio-credentials-' },
    );
  });

  afterAll(async () => {
    await server?.stop();
  });

  const get = (path: string, authorization?: string) =>
    fetch(`${server.url}${path}`, { headers: authorization === undefined ? {} : { authorization } });
  /** A write with these credentials (a SCIM body when given): refused before it is read. */
  const post = (path: string, authorization: string | undefined, scimBody?: object) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { ...(authorization ? { authorization } : {}), ...(scimBody ? { 'content-type': 'application/scim+json' } : {}) },
      ...(scimBody ? { body: JSON.stringify(scimBody) } : {}),
    });

  /** GET `path` with these credentials: refused with 401 and a challenge matching `challenge`. */
  const refused = async (path: string, authorization: string | undefined, challenge: RegExp) => {
    const response = await get(path, authorization);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(challenge);
    return response;
  };

  /** Everything an API must refuse: `own` is its bearer token, `other` the other API's credentials. */
  const refusedBy = (own: string, other: { token: string; username: string; password: string }): [string, string | undefined][] => [
    ['no Authorization header', undefined],
    ['an empty header', ''],
    ['a wrong bearer token', 'Bearer not-the-token'],
    ['its token one character short', `Bearer ${own.slice(0, -1)}`],
    ['its token with a suffix', `Bearer ${own}x`],
    ['"Bearer" alone', 'Bearer'],
    ['an unknown scheme', `Token ${own}`],
    ['basic with a wrong password', basic(SCIM_BASIC.username, 'wrong')],
    ['basic that is not base64', 'Basic !!!not-base64!!!'],
    ['basic without a colon', `Basic ${Buffer.from('nocolon').toString('base64')}`],
    ['the other API’s bearer token', `Bearer ${other.token}`],
    ['the other API’s basic credentials', basic(other.username, other.password)],
  ];

  it.each(refusedBy(SCIM_TOKEN, { token: ADMIN_TOKEN, ...ADMIN_BASIC }))(
    'SCIM refuses %s with 401, a challenge and a SCIM error',
    async (_what, authorization) => {
      for (const path of ['/scim/v2/Users', '/scim/v2/Groups?filter=displayName%20pr', '/scim/v1/Users']) {
        const response = await refused(path, authorization, /Bearer realm="provisio-scim"/);
        const body = (await response.json()) as Record<string, unknown>;
        if (path.startsWith('/scim/v2'))
          expect(body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });
        else expect(body).toMatchObject({ Errors: [{ code: '401' }] });
        expect(JSON.stringify(body)).not.toMatch(/Resources|userName/);
      }
      const write = await post('/scim/v2/Users', authorization, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'intruder',
      });
      expect(write.status).toBe(401);
    },
  );

  it.each(refusedBy(ADMIN_TOKEN, { token: SCIM_TOKEN, ...SCIM_BASIC }))(
    'the admin API refuses %s with 401, a challenge and an error body',
    async (_what, authorization) => {
      for (const path of ['/admin/v1/jobs', '/admin/v1/connectors', '/admin/v1/audit']) {
        const response = await refused(path, authorization, /^Bearer realm="provisio-admin"$/);
        expect(await response.json()).toEqual({ error: { status: 401, message: 'missing or invalid credentials' } });
      }
      expect((await post('/admin/v1/connectors/none/reconcile', authorization)).status).toBe(401);
    },
  );

  it('accepts each API’s own credentials', async () => {
    expect((await get('/scim/v2/Users', `Bearer ${SCIM_TOKEN}`)).status).toBe(200);
    expect((await get('/scim/v2/Users', basic(SCIM_BASIC.username, SCIM_BASIC.password))).status).toBe(200);
    expect((await get('/admin/v1/jobs', `Bearer ${ADMIN_TOKEN}`)).status).toBe(200);
    expect((await get('/admin/v1/jobs', basic(ADMIN_BASIC.username, ADMIN_BASIC.password))).status).toBe(200);
  });
});
