import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startInProcessServer, type InProcessServer } from './in-process-server.js';
import { manifestHead } from './test-manifest.js';

/**
 * A SQLite file written before tenants existed (schema version 11, made by the store of commit e29e38f: two users,
 * a group, a link, a failed job and an audit entry) opens under this version: everything is the default tenant's,
 * and the old paths answer as they did. A new tenant may then reuse its userNames.
 */
const FIXTURE = fileURLToPath(new URL('./fixtures/pre-tenants-v11.db', import.meta.url));
const SCIM = 'migration-e2e-scim-token-0123456789';
const ADMIN = 'migration-e2e-admin-token-0123456789';
const ACME = 'migration-e2e-acme-token-0123456789';
const ADA = '0b6c1f4e-1111-4c1a-9d7e-000000000001';
const ENGINEERING = '0b6c1f4e-2222-4c1a-9d7e-000000000001';

async function get<T = Record<string, unknown>>(url: string, token: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as T };
}

describe('a store written before tenants', () => {
  let server: InProcessServer;

  beforeAll(async () => {
    server = await startInProcessServer(
      `${manifestHead({ scimToken: SCIM, adminToken: ADMIN, sqlite: true })}connectors:
  - id: directory
    type: memory
tenants:
  - domain: acme.example.com
    inbound: { scim: { auth: { bearer: [{ name: acme-hr, token: "${ACME}" }] } } }
`,
      {
        prefix: 'provisio-tenant-migration-',
        // The fixture goes where the manifest's store points, before the server opens it.
        beforeStart: (dir) => {
          mkdirSync(join(dir, 'data'));
          copyFileSync(FIXTURE, join(dir, 'data', 'provisio.db'));
        },
      },
    );
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('serves its users, groups and jobs at the old paths, all in the default tenant', async () => {
    const users = await get(`${server.url}/scim/v2/Users?sortBy=userName`, SCIM);
    expect(users.status).toBe(200);
    expect((users.body['Resources'] as { id: string; userName: string }[]).map((u) => [u.id, u.userName])).toEqual([
      [ADA, 'ada@example.com'],
      ['0b6c1f4e-1111-4c1a-9d7e-000000000002', 'kim@example.com'],
    ]);
    expect((await get(`${server.url}/scim/v2/Users?filter=externalId eq "hr-${ADA}"`, SCIM)).body['totalResults']).toBe(1);
    const group = await get(`${server.url}/scim/v2/Groups/${ENGINEERING}`, SCIM);
    expect(group.body).toMatchObject({ displayName: 'Engineering', members: [{ value: ADA }] });
    const failed = await get(`${server.url}/admin/v1/jobs?status=failed`, ADMIN);
    expect((failed.body['jobs'] as { lastError: string }[]).map((j) => j.lastError)).toEqual(['refused by the target']);
    const links = await get<unknown[]>(`${server.url}/admin/v1/users/${ADA}/links`, ADMIN);
    expect(links.body).toEqual([expect.objectContaining({ connector: 'directory', remoteId: 'remote-ada', status: 'synced' })]);
    const tenants = await get(`${server.url}/admin/v1/tenants`, ADMIN);
    expect(
      (tenants.body['tenants'] as { domain: string; users: number; groups: number }[]).map((t) => [t.domain, t.users, t.groups]),
    ).toEqual([
      ['carbon.super', 2, 1],
      ['acme.example.com', 0, 0],
    ]);
  });

  it('lets a new tenant hold the same userName, and keeps the old one where it was', async () => {
    const response = await fetch(`${server.url}/t/acme.example.com/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ACME}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com' }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status).toBe(201);
    expect((await get(`${server.url}/scim/v2/Users/${ADA}`, SCIM)).body['userName']).toBe('ada@example.com');
  });
});
