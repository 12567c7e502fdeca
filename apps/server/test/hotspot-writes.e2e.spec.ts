import { PostgresStore } from '@provisio/store-postgres';
import { DATABASE_URL, freshSchema, postgresAnswers, postgresStoreYaml } from './postgres-test-database.js';
import { startInProcessServer, type InProcessServer } from './in-process-server.js';

const TOKEN = 'hotspot-scim-token-0123456789';
const CONCURRENT = 32;
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const POSTGRES_SCHEMA = freshSchema('provisio_hotspot');
const postgresUp = await postgresAnswers('the PostgreSQL run of hotspot-writes');
// PostgreSQL: two servers on one database, so their writes to one identity race in the store, not only in a process.
const STORES: Array<[string, string, number]> = [
  ['SQLite, one server', '', 1],
  ...(postgresUp ? [['PostgreSQL, two servers', postgresStoreYaml(POSTGRES_SCHEMA), 2] as [string, string, number]] : []),
];

afterAll(async () => {
  if (postgresUp) await PostgresStore.dropSchemas(DATABASE_URL, POSTGRES_SCHEMA);
});

/**
 * Issue 21: hot-spot writes. 32 PATCHes of one user and 32 member-adds to one group, all at
 * once and without If-Match: every one answers 2xx and every change is kept (none lost to a
 * race). With If-Match, a stale version still gets 412.
 */
describe.each(STORES)('concurrent PATCHes of one identity (%s)', (_name, storeYaml, servers) => {
  const running: InProcessServer[] = [];
  const manifest = `${storeYaml}server: { port: 0, logLevel: silent }
inbound:
  scim:
    auth: { bearer: [{ name: hr, token: "${TOKEN}" }] }
`;

  beforeAll(async () => {
    for (let i = 0; i < servers; i += 1) running.push(await startInProcessServer(manifest, { prefix: 'provisio-hotspot-' }));
  }, 60000);
  afterAll(async () => {
    await Promise.all(running.map((s) => s.stop()));
  });

  const scim = async (i: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${running[i % running.length].url}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, etag: response.headers.get('etag'), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const createUser = async (userName: string) => {
    const created = await scim(0, 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName });
    expect(created.status).toBe(201);
    return String(created.body['id']);
  };

  it('32 PATCHes of one user at once: all 2xx, every added email kept', async () => {
    const id = await createUser('hot@example.com');
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) =>
        scim(i, 'PATCH', `/Users/${id}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'add', path: 'emails', value: [{ value: `hot${i}@example.com`, type: `t${i}` }] }],
        }),
      ),
    );
    expect(answers.map((a) => a.status).filter((s) => s < 200 || s >= 300)).toEqual([]);
    const user = await scim(0, 'GET', `/Users/${id}`);
    const emails = (user.body['emails'] as { value: string }[]).map((e) => e.value).sort();
    expect(emails).toEqual(Array.from({ length: CONCURRENT }, (_, i) => `hot${i}@example.com`).sort());
    expect(user.etag).toBe(`W/"${CONCURRENT + 1}"`);
  }, 60000);

  it('32 member-adds to one group at once: all 2xx, every member kept', async () => {
    const members = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => createUser(`member${i}@example.com`)));
    const group = await scim(0, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'hot' });
    expect(group.status).toBe(201);
    const id = String(group.body['id']);
    const answers = await Promise.all(
      members.map((member, i) =>
        scim(i, 'PATCH', `/Groups/${id}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'add', path: 'members', value: [{ value: member }] }],
        }),
      ),
    );
    expect(answers.map((a) => a.status).filter((s) => s < 200 || s >= 300)).toEqual([]);
    const after = await scim(0, 'GET', `/Groups/${id}`);
    expect((after.body['members'] as { value: string }[]).map((m) => m.value).sort()).toEqual([...members].sort());
  }, 60000);

  // The writes of one identity share a commit: one refused in it must not take the others with it, nor leave its change in them.
  it('a refused PATCH among 32 of one user: that one 409, the others 2xx, none keeps its userName', async () => {
    await createUser('taken@example.com');
    const id = await createUser('busy@example.com');
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) =>
        scim(i, 'PATCH', `/Users/${id}`, {
          schemas: [PATCH_OP],
          Operations:
            i === 5
              ? [{ op: 'replace', path: 'userName', value: 'taken@example.com' }]
              : [{ op: 'add', path: 'emails', value: [{ value: `busy${i}@example.com`, type: `t${i}` }] }],
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses[5]).toBe(409);
    expect(statuses.filter((s, i) => i !== 5 && (s < 200 || s >= 300))).toEqual([]);
    const user = await scim(0, 'GET', `/Users/${id}`);
    expect(user.body['userName']).toBe('busy@example.com');
    const emails = (user.body['emails'] as { value: string }[]).map((e) => e.value).sort();
    expect(emails).toEqual(
      Array.from({ length: CONCURRENT }, (_, i) => i)
        .filter((i) => i !== 5)
        .map((i) => `busy${i}@example.com`)
        .sort(),
    );
    expect(user.etag).toBe(`W/"${CONCURRENT}"`);
  }, 60000);

  it('with If-Match, a stale version still gets 412', async () => {
    const id = await createUser('pinned@example.com');
    const patch = (value: string, etag: string) =>
      scim(
        0,
        'PATCH',
        `/Users/${id}`,
        { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value }] },
        { 'if-match': etag },
      );
    expect((await patch('first', 'W/"1"')).status).toBe(200);
    const stale = await patch('second', 'W/"1"');
    expect(stale.status).toBe(412);
  }, 60000);
});
