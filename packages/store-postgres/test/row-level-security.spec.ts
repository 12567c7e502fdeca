import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DEFAULT_TENANT, type Store } from '@provisio/core/engine';
import { contractGroup, contractJob, contractUser } from '@provisio/core/testing';
import { PostgresStore } from '../src/index.js';
import type { Queryable } from '../src/queryable.js';
import { createPool } from '../src/store-connection.js';
import { TENANT_TABLES } from '../src/tenant-schema.js';
import { tenantRoleOf } from '../src/tenant-scope.js';
import { scopedStatements, scopedTransaction } from '../src/tenant-session.js';
import { freshSchema, postgresAvailable, TEST_DATABASE_URL } from './test-database.js';

const describeWithPostgres = (await postgresAvailable()) ? describe : describe.skip;

const ACME = 'acme.example.com';
const GLOBEX = 'globex.example.com';
const HOUR = 3_600_000;

/** A row in every tenant table for `tenant`, written through the store as the server writes them. */
async function fillEveryTable(view: Store): Promise<void> {
  const prefix = view.tenant.split('.')[0];
  const user = contractUser(`${prefix}-u`, 'ada', { resource: { userName: 'ada', emails: [{ value: 'ada@example.com' }] } });
  await view.commit({
    putUsers: [user],
    putGroups: [contractGroup(`${prefix}-g`, 'Admins', [user.id])],
    putLinks: [{ instanceId: 'target', entityType: 'user', localId: user.id, remoteId: 'r1', status: 'synced' }],
    pendingPasswords: [{ userId: user.id, sealed: 'sealed', awaiting: ['target'], expiresAt: Date.now() + HOUR }],
    jobs: [
      contractJob(user.id),
      contractJob(`${prefix}-gone`, { action: 'delete', reason: 'deleted', guard: { maxCount: 5, windowMs: HOUR, counts: true } }),
    ],
    audit: [{ at: new Date().toISOString(), actor: 'test', action: 'user.create', entityType: 'user', entityId: user.id }],
  });
  await view.quarantines.enter({ instanceId: 'target', reason: 'auth refused', since: Date.now(), nextProbeAt: Date.now(), probeCount: 0 });
  await view.schedules.take('reconcile:target', Date.now(), Date.now() + HOUR);
  await view.saveTargetReport({
    id: `${prefix}-report`,
    instanceId: 'target',
    kind: 'import',
    status: 'done',
    apply: false,
    actor: 'test',
    startedAt: new Date().toISOString(),
    read: 0,
    counts: {},
    samples: {},
  });
}

/** The tenants whose rows `db` sees in each tenant table. */
async function tenantsSeen(db: Queryable): Promise<Record<string, string[]>> {
  const seen: Record<string, string[]> = {};
  for (const table of TENANT_TABLES) {
    const { rows } = await db.query<{ tenant: string }>(`SELECT DISTINCT tenant FROM ${table} ORDER BY tenant`);
    seen[table] = rows.map((row) => row.tenant);
  }
  return seen;
}

const everyTable = (tenants: string[]) => Object.fromEntries(TENANT_TABLES.map((table) => [table, tenants]));

/** Thrown to roll a transaction back. */
class Rollback extends Error {}

describeWithPostgres('row-level security, the second wall between tenants', () => {
  const schema = freshSchema('provisio_rls');
  let store: PostgresStore;
  // The store's own kind of pool (logged in as the tenant role), of one connection: what one statement leaves, the next one finds.
  let pool: pg.Pool;
  let owner: pg.Client;

  beforeAll(async () => {
    store = await PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false });
    await fillEveryTable(store.forTenant(ACME));
    await fillEveryTable(store.forTenant(GLOBEX));
    pool = createPool({ url: TEST_DATABASE_URL, pool: { max: 1 } }, schema, tenantRoleOf(schema));
    owner = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
    await owner.connect();
  });

  afterAll(async () => {
    await owner?.end();
    await pool?.end();
    await store?.close();
    await PostgresStore.dropSchemas(TEST_DATABASE_URL, schema);
  });

  it('holds rows of both tenants in every tenant table (seen by the connecting superuser)', async () => {
    expect(await tenantsSeen(owner)).toEqual(everyTable([ACME, GLOBEX]));
  });

  it("shows a statement without a tenant predicate, in a tenant's transaction or as its single statement, only that tenant's rows", async () => {
    const inTransaction = await scopedTransaction(pool, { tenant: ACME }, (client) => tenantsSeen(client));
    expect(inTransaction).toEqual(everyTable([ACME]));
    expect(await tenantsSeen(scopedStatements(pool, { tenant: GLOBEX }))).toEqual(everyTable([GLOBEX]));
    // A tenant without rows sees an empty store.
    expect(await tenantsSeen(scopedStatements(pool, { tenant: DEFAULT_TENANT }))).toEqual(everyTable([]));
  });

  it('shows a statement with no tenant set no rows at all, also right after a tenant statement on the same connection', async () => {
    await scopedStatements(pool, { tenant: ACME }).query('SELECT count(*) FROM users');
    expect(await tenantsSeen(scopedStatements(pool, 'no tenant'))).toEqual(everyTable([]));
    expect(await scopedTransaction(pool, 'no tenant', (client) => tenantsSeen(client))).toEqual(everyTable([]));
    // Nor after a tenant's statement that failed, or a tenant's transaction that rolled back.
    await expect(scopedStatements(pool, { tenant: ACME }).query('SELECT 1/0 FROM users')).rejects.toThrow(/division by zero/);
    await expect(
      scopedTransaction(pool, { tenant: ACME }, async (client) => {
        await client.query('SELECT 1 FROM users');
        throw new Rollback();
      }),
    ).rejects.toThrow(Rollback);
    expect(await tenantsSeen(scopedStatements(pool, 'no tenant'))).toEqual(everyTable([]));
  });

  it("refuses to write another tenant's row or to move a row to another tenant", async () => {
    const acme = scopedStatements(pool, { tenant: ACME });
    await expect(
      acme.query(`INSERT INTO audit (tenant, at, actor, action, entity_type, entity_id) VALUES ($1, 'x', 'x', 'x', 'user', 'x')`, [GLOBEX]),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(acme.query(`UPDATE users SET tenant = $1`, [GLOBEX])).rejects.toMatchObject({ code: '42501' });
    expect((await acme.query(`UPDATE users SET version = version WHERE id = 'globex-u'`)).rowCount).toBe(0);
    expect(await tenantsSeen(owner)).toEqual(everyTable([ACME, GLOBEX]));
  });

  it("runs the store's statements as the schema's tenant role, which cannot bypass row-level security", async () => {
    const { rows } = await scopedStatements(pool, { tenant: ACME }).query<{ role: string; rolsuper: boolean; rolbypassrls: boolean }>(
      'SELECT current_user AS role, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    expect(rows).toEqual([{ role: tenantRoleOf(schema), rolsuper: false, rolbypassrls: false }]);
    // The store's own pool too: its readiness probe and reads run there.
    await store.probeWrite();
    expect(await store.forTenant(ACME).getUser('globex-u')).toBeUndefined();
  });

  it('has row-level security enabled and forced on exactly the tables that have a tenant column, with the two policies', async () => {
    const { rows } = await owner.query<{ table: string; enabled: boolean; forced: boolean; policies: string[] }>(
      `SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
              ARRAY(SELECT polname::text FROM pg_policy WHERE polrelid = c.oid ORDER BY polname) AS policies
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind = 'r' AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant')
       ORDER BY c.relname`,
      [schema],
    );
    expect(rows).toEqual(
      [...TENANT_TABLES].sort().map((table) => ({ table, enabled: true, forced: true, policies: ['owner_reads', 'tenant_rows'] })),
    );
  });
  // Last: it deletes (and writes back) acme's rows.
  it("lets a DELETE without a predicate, in a tenant's transaction, remove that tenant's rows and no other's", async () => {
    await scopedTransaction(pool, { tenant: ACME }, async (client) => {
      for (const table of TENANT_TABLES) await client.query(`DELETE FROM ${table}`);
    });
    expect(await tenantsSeen(owner)).toEqual(everyTable([GLOBEX]));
    await fillEveryTable(store.forTenant(ACME));
    expect(await tenantsSeen(owner)).toEqual(everyTable([ACME, GLOBEX]));
  });
});

/**
 * The deployment docs/scale-out.md recommends: the URL's role owns the schema and is no superuser. It
 * migrates (creating the tenant role), lists every tenant, and cannot write a tenant's rows without naming it.
 */
describeWithPostgres('row-level security with an owner that is not a superuser', () => {
  const schema = freshSchema('provisio_rls_owner');
  const ownerRole = `provisio_test_owner_${randomBytes(4).toString('hex')}`;
  const ownerUrl = (() => {
    const url = new URL(TEST_DATABASE_URL);
    url.username = ownerRole;
    url.password = '';
    return url.toString();
  })();
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  let store: PostgresStore | undefined;

  beforeAll(async () => {
    await admin.connect();
    const database = new URL(TEST_DATABASE_URL).pathname.slice(1);
    await admin.query(`CREATE ROLE ${ownerRole} LOGIN CREATEROLE`);
    await admin.query(`GRANT CREATE ON DATABASE "${database}" TO ${ownerRole}`);
  });

  afterAll(async () => {
    await store?.close();
    await PostgresStore.dropSchemas(TEST_DATABASE_URL, schema);
    await admin.query(`DROP OWNED BY ${ownerRole}`);
    await admin.query(`DROP ROLE ${ownerRole}`);
    await admin.end();
  });

  it('migrates, keeps tenants apart, lists them all, and walls the owner in for writes', async () => {
    store = await PostgresStore.open({ url: ownerUrl, schema, maintenance: false });
    await fillEveryTable(store.forTenant(ACME));
    await fillEveryTable(store.forTenant(GLOBEX));
    expect(await store.tenantsWithData()).toEqual([ACME, GLOBEX]);
    expect(await store.forTenant(GLOBEX).getUserByUserName('ada')).toMatchObject({ id: 'globex-u' });
    const [claimed] = await store.forTenant(ACME).claimJobs({ workerId: 'w', now: Date.now(), leaseMs: 30_000, slots: { target: 5 } });
    expect(claimed.localId).toBe('acme-u');

    const asOwner = new pg.Client({ connectionString: ownerUrl, options: `-c search_path=${schema}` });
    await asOwner.connect();
    try {
      // Reads every tenant's rows (owner_reads), as tenantsWithData does.
      expect(await tenantsSeen(asOwner)).toEqual(everyTable([ACME, GLOBEX]));
      // FORCE: without a tenant named, even the owner writes no tenant's row.
      await expect(
        asOwner.query(`INSERT INTO audit (tenant, at, actor, action, entity_type, entity_id) VALUES ($1, 'x', 'x', 'x', 'user', 'x')`, [
          ACME,
        ]),
      ).rejects.toMatchObject({ code: '42501' });
      expect((await asOwner.query(`UPDATE users SET version = version + 1`)).rowCount).toBe(0);
      expect((await asOwner.query(`DELETE FROM audit`)).rowCount).toBe(0);
    } finally {
      await asOwner.end();
    }
  }, 60_000);
});
