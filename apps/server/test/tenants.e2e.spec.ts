import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_ROUTES } from '@provisio/admin-contract';
import { startScimEmulator, type ScimEmulator } from '@provisio/emulators';
import { loadConfiguration } from '../src/config/load-configuration.js';
import { DOMAIN, startEmulatedTargets, type EmulatedTargets } from './faults/emulated-targets.js';
import { settleJobs, startInProcessServer, type InProcessServer } from './in-process-server.js';
import { freshSchema, postgresAnswers, postgresStoreYaml } from './postgres-test-database.js';
import { manifestHead } from './test-manifest.js';

/**
 * Tenants (issue #19) through the public surface: two organisations beside the default tenant, each with its own
 * SCIM endpoint (/t/<domain>/scim/v2), credential and connector instances. Both tenants provision to ONE SCIM
 * application, ONE Salesforce org and ONE Google domain, and keep their accounts apart by the pattern's {TD};
 * the default tenant provisions to a SCIM application of its own. Runs on SQLite and on PostgreSQL.
 */
const DEFAULT_TOKEN = 'tenants-e2e-default-token-0123456789';
const TOKENS: Record<string, string> = {
  'acme.example.com': 'tenants-e2e-acme-token-0123456789',
  'globex.example.com': 'tenants-e2e-globex-token-0123456789',
  'initech.example.com': 'tenants-e2e-initech-token-0123456789',
};
const ACME = 'acme.example.com';
const GLOBEX = 'globex.example.com';
const OWN_TARGET_TOKEN = 'tenants-e2e-own-target-token-0123456789';
const SUPER_ADMIN = 'tenants-e2e-super-admin-token-0123456789';
// The suite sends hundreds of refused requests from one address on purpose: the failed-attempt throttle would answer 429 to most.
const MANY_FAILURES = 'failedAttempts: { limit: 10000, windowSeconds: 60 }';
const ADMINS: Record<string, string> = {
  'acme.example.com': 'tenants-e2e-acme-admin-token-0123456789',
  'globex.example.com': 'tenants-e2e-globex-admin-token-0123456789',
};

interface Answer {
  status: number;
  body: Record<string, unknown>;
  challenge: string | null;
}

async function call(url: string, token: string | undefined, method = 'GET', body?: unknown): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/scim+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    challenge: response.headers.get('www-authenticate'),
  };
}

/** A refusal without its request id (each answer names its own). */
const refusal = (answer: Answer) => ({
  status: answer.status,
  challenge: answer.challenge,
  body: { ...answer.body, detail: String(answer.body['detail']).replace(/ \(request [^)]*\)$/, '') },
});

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const person = (userName: string, givenName: string) => ({
  schemas: [USER],
  userName,
  name: { givenName, familyName: 'Lee' },
  emails: [{ value: userName, primary: true, type: 'work' }],
  active: true,
});

/** What each tenant's account of `userName` is called in every shared target: the pattern puts the tenant in it. */
const accountOf = (userName: string, tenant: string) => `${userName.replace('@', '.')}_${tenant}@${DOMAIN}`;

const stores: [string, () => Promise<string | undefined>][] = [
  ['SQLite', async () => 'store: { type: sqlite, path: data/provisio.db }\n'],
  [
    'PostgreSQL',
    async () => ((await postgresAnswers('the tenants e2e on PostgreSQL')) ? postgresStoreYaml(freshSchema('tenants')) : undefined),
  ],
];

describe.each(stores)('tenants on %s: several organisations in one Provisio, isolated', (_name, storeYaml) => {
  let own: ScimEmulator;
  let targets: EmulatedTargets;
  let server: InProcessServer | undefined;
  let store: string | undefined;

  // Each tenant's three instances, re-indented under `tenants:` (targets.connectorsYaml is written for the top level).
  const tenantYaml = (domain: string) => `  - domain: ${domain}
    inbound: { scim: { auth: { bearer: [{ name: ${domain.split('.')[0]}-hr, token: "${TOKENS[domain]}" }], ${MANY_FAILURES} } } }
${ADMINS[domain] ? `    admin: { auth: { bearer: [{ name: ${domain.split('.')[0]}-ops, token: "${ADMINS[domain]}" }], ${MANY_FAILURES} } }\n` : ''}    connectors:
${targets
  .connectorsYaml(`    pattern: { template: "{UN, TD}", separator: "_", domain: ${DOMAIN} }`)
  .split('\n')
  .map((line) => (line ? `    ${line}` : line))
  .join('\n')}`;
  const manifest = (tenants: string[]) =>
    `${manifestHead()}${store}inbound: { scim: { auth: { bearer: [{ name: hr, token: "${DEFAULT_TOKEN}" }], ${MANY_FAILURES} } } }
admin: { auth: { bearer: [{ name: ops, token: "${SUPER_ADMIN}" }], ${MANY_FAILURES} } }
connectors:
  - id: own-app
    type: scim2
    config: { baseUrl: "${own.baseUrl2}", auth: { type: bearer, token: "${OWN_TARGET_TOKEN}" } }
tenants:
${tenants.map(tenantYaml).join('\n')}
`;
  const at = (domain: string | undefined, path: string) => `${server?.url}${domain ? `/t/${domain}` : ''}/scim/v2${path}`;
  const settled = async () => {
    for (const tenant of [undefined, ACME, GLOBEX]) if (server) await settleJobs(server, { tenant, failOnFailed: true, timeoutMs: 30_000 });
  };

  beforeAll(async () => {
    store = await storeYaml();
    if (!store) return;
    own = await startScimEmulator({ auth: { type: 'bearer', token: OWN_TARGET_TOKEN } });
    targets = await startEmulatedTargets();
    server = await startInProcessServer(manifest([ACME, GLOBEX]), { prefix: 'provisio-tenants-e2e-', files: targets.files });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await own?.close();
    await targets?.close();
  });

  it('the same userName in two tenants lands as two accounts named after each tenant in the one SCIM app, Salesforce org and Google domain', async () => {
    if (!server) return;
    const acme = await call(at(ACME, '/Users'), TOKENS[ACME], 'POST', person('kim@example.com', 'Acme'));
    const globex = await call(at(GLOBEX, '/Users'), TOKENS[GLOBEX], 'POST', person('kim@example.com', 'Globex'));
    expect([acme.status, globex.status]).toEqual([201, 201]);
    expect(acme.body['id']).not.toEqual(globex.body['id']);
    // meta.location names the tenant's own path.
    expect(String((acme.body['meta'] as Record<string, unknown>)['location'])).toContain(`/t/${ACME}/scim/v2/Users/`);
    await settled();
    const expected = [accountOf('kim@example.com', ACME), accountOf('kim@example.com', GLOBEX)];
    const held = targets.holdings();
    expect(held.scim.sort()).toEqual(expected);
    expect(held.salesforce.sort()).toEqual(expected);
    expect(held.google.sort()).toEqual(expected);
    expect(own.state.users()).toEqual([]);
    // Each tenant lists only its own kim; the default tenant none.
    const listed = await call(at(ACME, '/Users?filter=userName eq "kim@example.com"'), TOKENS[ACME]);
    expect(listed.body['totalResults']).toBe(1);
    expect((listed.body['Resources'] as { id: string }[])[0].id).toBe(acme.body['id']);
    expect((await call(at(undefined, '/Users'), DEFAULT_TOKEN)).body['totalResults']).toBe(0);
  });

  it("deleting kim in one tenant removes that tenant's accounts and leaves the other's untouched", async () => {
    if (!server) return;
    const acme = await call(at(ACME, '/Users?filter=userName eq "kim@example.com"'), TOKENS[ACME]);
    const id = (acme.body['Resources'] as { id: string }[])[0].id;
    expect((await call(at(ACME, `/Users/${id}`), TOKENS[ACME], 'DELETE')).status).toBe(204);
    await settled();
    const held = targets.holdings();
    const globexKim = accountOf('kim@example.com', GLOBEX);
    expect(held.scim).toEqual([globexKim]);
    // Google suspends by default: acme's kim is suspended, globex's is not.
    const google = targets.google.state.users().filter((u) => String(u['primaryEmail']).includes('kim.example.com'));
    expect(google.map((u) => [String(u['primaryEmail']).toLowerCase(), u['suspended'] === true]).sort()).toEqual([
      [accountOf('kim@example.com', ACME), true],
      [globexKim, false],
    ]);
    // Salesforce deactivates: acme's kim is inactive, globex's still active.
    const active = targets.salesforce.state.users().filter((u) => String(u['Username']).includes('kim.example.com'));
    expect(active.map((u) => [String(u['Username']).toLowerCase(), u['IsActive']]).sort()).toEqual([
      [accountOf('kim@example.com', ACME), false],
      [globexKim, true],
    ]);
    expect((await call(at(GLOBEX, '/Users?filter=userName eq "kim@example.com"'), TOKENS[GLOBEX])).body['totalResults']).toBe(1);
  });

  it("a tenant's credential opens only its own tenant; another's, an unknown domain and no credential get one and the same 401", async () => {
    if (!server) return;
    const created = await call(at(ACME, '/Users'), TOKENS[ACME], 'POST', person('ada@acme.example.com', 'Ada'));
    expect(created.status).toBe(201);
    const id = String(created.body['id']);
    const answers = [
      await call(at(GLOBEX, `/Users/${id}`), TOKENS[ACME]),
      await call(at(GLOBEX, '/Users'), TOKENS[ACME]),
      await call(at(ACME, `/Users/${id}`), TOKENS[GLOBEX]),
      await call(at(ACME, `/Users/${id}`), DEFAULT_TOKEN),
      await call(at('nobody.example.com', `/Users/${id}`), TOKENS[ACME]),
      await call(at('nobody.example.com', '/Users'), undefined),
      await call(at(GLOBEX, '/Users'), undefined),
      await call(at('nobody.example.com', '/ServiceProviderConfig'), TOKENS[ACME]),
      await call(at(GLOBEX, '/Users/.search'), TOKENS[ACME], 'POST', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'] }),
    ];
    const first = refusal(answers[0]);
    expect(first.status).toBe(401);
    for (const answer of answers) expect(refusal(answer)).toEqual(first);
    // The default tenant's path does not see a tenant's user either, and a tenant's credential does not open it.
    expect((await call(at(undefined, `/Users/${id}`), DEFAULT_TOKEN)).status).toBe(404);
    expect((await call(at(undefined, `/Users/${id}`), TOKENS[ACME])).status).toBe(401);
    expect((await call(at(ACME, `/Users/${id}`), TOKENS[ACME])).status).toBe(200);
  });

  it("with its own credential, a tenant never reaches another's identities: by id, filter, .search, sortBy and paging totals, PATCH members, Bulk", async () => {
    if (!server) return;
    const globexUser = await call(at(GLOBEX, '/Users'), TOKENS[GLOBEX], 'POST', person('grace@globex.example.com', 'Grace'));
    const foreign = String(globexUser.body['id']);
    const acme = (path: string, method = 'GET', body?: unknown) => call(at(ACME, path), TOKENS[ACME], method, body);
    expect((await acme(`/Users/${foreign}`)).status).toBe(404);
    expect(
      (
        await acme(`/Users/${foreign}`, 'PATCH', {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'replace', path: 'active', value: false }],
        })
      ).status,
    ).toBe(404);
    expect((await acme(`/Users/${foreign}`, 'DELETE')).status).toBe(404);
    expect((await acme(`/Users?filter=id eq "${foreign}"`)).body['totalResults']).toBe(0);
    expect((await acme('/Users?filter=userName sw "grace"')).body['totalResults']).toBe(0);
    const everyone = await acme('/Users?sortBy=userName&startIndex=1&count=100');
    const names = (everyone.body['Resources'] as { userName: string }[]).map((u) => u.userName);
    expect(names.every((n) => n.endsWith('acme.example.com'))).toBe(true);
    expect(everyone.body['totalResults']).toBe(names.length);
    const searched = await acme('/Users/.search', 'POST', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'name.givenName eq "Grace"',
    });
    expect(searched.body['totalResults']).toBe(0);
    // A group naming another tenant's user as a member is refused, and no membership appears anywhere.
    const group = await acme('/Groups', 'POST', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Acme staff',
      members: [{ value: foreign }],
    });
    expect(group.status).toBe(400);
    const made = await acme('/Groups', 'POST', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Acme staff' });
    expect(made.status).toBe(201);
    const patched = await acme(`/Groups/${String(made.body['id'])}`, 'PATCH', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: [{ value: foreign }] }],
    });
    expect(patched.status).toBe(400);
    // Bulk: a bulkId reference resolves within the request; a foreign id is not found.
    const bulk = await acme('/Bulk', 'POST', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        { method: 'POST', bulkId: 'u1', path: '/Users', data: person('bob@acme.example.com', 'Bob') },
        {
          method: 'POST',
          bulkId: 'g1',
          path: '/Groups',
          data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Bulk group', members: [{ value: 'bulkId:u1' }] },
        },
        {
          method: 'PATCH',
          path: `/Users/${foreign}`,
          data: {
            schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
            Operations: [{ op: 'replace', path: 'active', value: false }],
          },
        },
        { method: 'DELETE', path: `/Users/${foreign}` },
      ],
    });
    const statuses = (bulk.body['Operations'] as { status: string }[]).map((o) => String(o.status));
    expect(statuses).toEqual(['201', '201', '404', '404']);
    const still = await call(at(GLOBEX, `/Users/${foreign}`), TOKENS[GLOBEX]);
    expect(still.status).toBe(200);
    expect(still.body['active']).toBe(true);
    expect((await call(at(GLOBEX, '/Groups'), TOKENS[GLOBEX])).body['totalResults']).toBe(0);
  });

  it('the super admin sees every tenant and each one beneath /t/<domain>/admin/v1; a tenant admin only its own, 404 elsewhere', async () => {
    if (!server) return;
    const admin = (path: string, token: string | undefined, domain?: string) =>
      call(`${server?.url}${domain ? `/t/${domain}` : ''}/admin/v1${path}`, token);
    const listed = await admin('/tenants', SUPER_ADMIN);
    expect(listed.status).toBe(200);
    const tenants = listed.body['tenants'] as { domain: string; default: boolean; users: number }[];
    expect(tenants.map((t) => [t.domain, t.default])).toEqual([
      ['carbon.super', true],
      [ACME, false],
      [GLOBEX, false],
    ]);
    expect(tenants.find((t) => t.domain === GLOBEX)?.users).toBe(2);
    // The super admin steers a tenant through its path; the session says which tenant and that it is the super admin.
    expect((await admin('/session', SUPER_ADMIN, GLOBEX)).body).toMatchObject({ tenant: GLOBEX, superAdmin: true, name: 'ops' });
    const globexUsers = await admin('/users', SUPER_ADMIN, GLOBEX);
    expect((globexUsers.body['users'] as { userName: string }[]).map((u) => u.userName).sort()).toEqual([
      'grace@globex.example.com',
      'kim@example.com',
    ]);
    // A tenant admin: its own tenant, as a tenant admin.
    expect((await admin('/session', ADMINS[ACME], ACME)).body).toMatchObject({ tenant: ACME, superAdmin: false, name: 'acme-ops' });
    const acmeUsers = (await admin('/users', ADMINS[ACME], ACME)).body['users'] as { id: string; userName: string }[];
    expect(acmeUsers.every((u) => u.userName.endsWith('acme.example.com'))).toBe(true);
    const globexId = (globexUsers.body['users'] as { id: string }[])[0].id;
    // Anything else is 404 for it, never data, never a count; so is a domain that is no tenant, even for the super admin.
    for (const [path, domain] of [
      ['/users', GLOBEX],
      [`/users/${globexId}`, GLOBEX],
      ['/jobs', GLOBEX],
      ['/users', undefined],
      ['/tenants', undefined],
      ['/tenants', ACME],
      [`/users/${globexId}`, ACME],
      ['/users', 'nobody.example.com'],
    ] as [string, string | undefined][]) {
      const answer = await admin(path, ADMINS[ACME], domain);
      expect([path, domain, answer.status]).toEqual([path, domain, 404]);
      expect(JSON.stringify(answer.body)).not.toContain('grace');
    }
    expect((await admin('/users', SUPER_ADMIN, 'nobody.example.com')).status).toBe(404);
    // Readiness checks every tenant's instances, each named <domain>/<id> beside the default tenant's.
    const ready = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(20_000) });
    const components = ((await ready.json()) as { components: { connectors: Record<string, { ok: boolean | null }> } }).components;
    expect(Object.keys(components.connectors).sort()).toEqual(
      ['own-app', ...[ACME, GLOBEX].flatMap((d) => ['google', 'salesforce', 'scim-app'].map((id) => `${d}/${id}`))].sort(),
    );
    // A guess gets the same 401 on a tenant and on a domain that is no tenant.
    expect(refusal(await admin('/users', 'not-a-token-of-anyone-0123', GLOBEX))).toEqual(
      refusal(await admin('/users', 'not-a-token-of-anyone-0123', 'nobody.example.com')),
    );
    expect((await admin('/users', 'not-a-token-of-anyone-0123', GLOBEX)).status).toBe(401);
  });

  it("every admin route and every SCIM route of another tenant: 404 for a tenant admin, one and the same 401 for a tenant's SCIM credential", async () => {
    if (!server) return;
    const globex = await call(at(GLOBEX, '/Users?filter=userName eq "grace@globex.example.com"'), TOKENS[GLOBEX]);
    const graceId = (globex.body['Resources'] as { id: string }[])[0].id;
    const send = (url: string, token: string, method: string) => call(url, token, method.toUpperCase(), method === 'get' ? undefined : {});
    const adminRoutes = Object.values(ADMIN_ROUTES).filter((r) => r.authenticated);
    expect(adminRoutes.length).toBeGreaterThan(20);
    for (const route of adminRoutes) {
      const path = route.path.replace('{id}', route.path.startsWith('/connectors') ? 'scim-app' : graceId);
      for (const domain of [GLOBEX, undefined, 'nobody.example.com']) {
        const answer = await send(`${server.url}${domain ? `/t/${domain}` : ''}/admin/v1${path}`, ADMINS[ACME], route.method);
        expect([route.operationId, domain, answer.status]).toEqual([route.operationId, domain, 404]);
        expect(JSON.stringify(answer.body)).not.toMatch(/grace|globex/i);
      }
    }
    const scimRoutes: [string, string][] = [
      ['get', '/scim/v2/Users'],
      ['post', '/scim/v2/Users'],
      ['get', `/scim/v2/Users/${graceId}`],
      ['put', `/scim/v2/Users/${graceId}`],
      ['patch', `/scim/v2/Users/${graceId}`],
      ['delete', `/scim/v2/Users/${graceId}`],
      ['post', '/scim/v2/Users/.search'],
      ['get', '/scim/v2/Groups'],
      ['post', '/scim/v2/Groups'],
      ['post', '/scim/v2/Groups/.search'],
      ['post', '/scim/v2/.search'],
      ['post', '/scim/v2/Bulk'],
      ['get', '/scim/v2/ServiceProviderConfig'],
      ['get', '/scim/v2/Schemas'],
      ['get', '/scim/v2/ResourceTypes'],
      ['get', '/scim/v1/Users'],
      ['get', `/scim/v1/Users/${graceId}`],
      ['get', '/scim/v1/ServiceProviderConfigs'],
      ['get', `/scim2/Users/${graceId}`],
      ['get', '/wso2/scim/Users'],
    ];
    const first = refusal(await send(`${server.url}/t/nobody.example.com/scim/v2/Users`, TOKENS[ACME], 'get'));
    for (const [method, path] of scimRoutes) {
      for (const domain of [GLOBEX, 'nobody.example.com']) {
        const answer = await send(`${server.url}/t/${domain}${path}`, TOKENS[ACME], method);
        // SCIM 1.1 paths answer in their own error shape; every answer is a 401 that says nothing of the tenant.
        expect([method, path, domain, answer.status]).toEqual([method, path, domain, 401]);
        expect(JSON.stringify(answer.body)).not.toMatch(/grace|globex/i);
        if (path.startsWith('/scim/v2')) expect(refusal(answer)).toEqual(first);
      }
    }
    expect((await call(at(GLOBEX, `/Users/${graceId}`), TOKENS[GLOBEX])).body['active']).toBe(true);
  });

  it("serves WSO2's tenant paths (/t/<domain>/scim2) with the tenant's credential", async () => {
    if (!server) return;
    const answer = await call(`${server.url}/t/${ACME}/scim2/Users?filter=userName eq "ada@acme.example.com"`, TOKENS[ACME]);
    expect(answer.status).toBe(200);
    expect(answer.body['totalResults']).toBe(1);
    expect(refusal(await call(`${server.url}/t/${GLOBEX}/scim2/Users`, TOKENS[ACME]))).toEqual(
      refusal(await call(`${server.url}/t/nobody.example.com/scim2/Users`, TOKENS[ACME])),
    );
  });

  it('a reload adds a tenant at once, and refuses to drop one that still holds data', async () => {
    if (!server) return;
    const manifestPath = join(server.dir, 'provisio.config.yaml');
    writeFileSync(manifestPath, manifest([ACME, GLOBEX, 'initech.example.com']));
    const added = await server.reload(await loadConfiguration({ manifestPath, cwd: server.dir, env: {} }));
    expect(added).toMatchObject({ ok: true });
    expect((await call(`${server.url}/t/initech.example.com/scim/v2/Users`, TOKENS['initech.example.com'])).status).toBe(200);
    // Dropping globex (it holds kim and grace) is refused; the running configuration keeps serving it.
    writeFileSync(manifestPath, manifest([ACME]));
    const dropped = await server.reload(await loadConfiguration({ manifestPath, cwd: server.dir, env: {} }));
    expect(dropped.ok).toBe(false);
    expect(dropped.ok ? '' : dropped.reason).toContain(`tenant ${GLOBEX} removed from the manifest still holds data`);
    expect(readFileSync(manifestPath, 'utf8')).not.toContain(GLOBEX);
    expect((await call(at(GLOBEX, '/Users'), TOKENS[GLOBEX])).body['totalResults']).toBe(2);
  });
});

describe('tenants: the failed-attempt throttle', () => {
  let server: InProcessServer;
  const FEW = 'failedAttempts: { limit: 3, windowSeconds: 60 }';

  beforeAll(async () => {
    server = await startInProcessServer(
      `${manifestHead()}inbound: { scim: { auth: { bearer: [{ name: hr, token: "${DEFAULT_TOKEN}" }], ${FEW} } } }
tenants:
  - domain: ${GLOBEX}
    inbound: { scim: { auth: { bearer: [{ name: globex-hr, token: "${TOKENS[GLOBEX]}" }], ${FEW} } } }
`,
      { prefix: 'provisio-tenants-throttle-' },
    );
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('slows guesses down alike on a tenant and on a domain that is no tenant, so the 429 tells nothing either', async () => {
    const statuses = async (domain: string) => {
      const seen: number[] = [];
      for (let i = 0; i < 5; i += 1)
        seen.push((await call(`${server.url}/t/${domain}/scim/v2/Users`, `a-guess-of-${i}-0123456789abcdef`)).status);
      return seen;
    };
    expect(await statuses(GLOBEX)).toEqual([401, 401, 401, 429, 429]);
    expect(await statuses('nobody.example.com')).toEqual([401, 401, 401, 429, 429]);
  });
});
