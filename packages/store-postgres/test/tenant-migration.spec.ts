import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { DEFAULT_TENANT, parseFilter } from '@provisio/core/engine';
import { contractGroup, contractUser } from '@provisio/core/testing';
import { MIGRATIONS, PostgresStore, queueName, queueSchemaOf } from '../src/index.js';
import { TENANT_TABLES } from '../src/tenant-schema.js';
import { freshSchemasForSuite, postgresAvailable, TEST_DATABASE_URL } from './test-database.js';

const describeWithPostgres = (await postgresAvailable()) ? describe : describe.skip;

const ACME = 'acme.example.com';
const TENANTS_VERSION = MIGRATIONS.find((m) => m.description.startsWith('tenants:'))!.version;
const AT = '2026-01-01T00:00:00.000Z';

/**
 * A database as the schema before tenants wrote it: every table holds a row (users with an email,
 * a group with its member, a link, a pending password, audit, a guard, a quarantine, a schedule, a
 * report), and a pending job that pg-boss holds in the instance's queue. Returns the job's id.
 */
async function databaseBeforeTenants(schema: string): Promise<string> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  const bossId = randomUUID();
  let jobId: string;
  try {
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    await client.query(
      'CREATE TABLE schema_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    for (const migration of MIGRATIONS.filter((m) => m.version < TENANTS_VERSION)) {
      for (const statement of migration.statements) await client.query(statement);
      await client.query('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [
        migration.version,
        migration.description,
      ]);
    }
    const resource = { userName: 'ada', emails: [{ value: 'ada@example.com', primary: true }] };
    await client.query(
      `INSERT INTO users (id, user_name, user_name_lower, email_sort, active, resource, version, created_at, updated_at)
       VALUES ('u1', 'ada', 'ada', 'ada@example.com', true, $1, 1, $2, $2)`,
      [JSON.stringify(resource), AT],
    );
    await client.query(
      `INSERT INTO user_emails (user_id, position, value_lower, is_primary, present) VALUES ('u1', 0, 'ada@example.com', true, true)`,
    );
    await client.query(
      `INSERT INTO groups (id, id_lower, display_name, display_name_lower, resource, version, created_at, updated_at)
       VALUES ('g1', 'g1', 'Admins', 'admins', '{"displayName":"Admins"}', 1, $1, $1)`,
      [AT],
    );
    await client.query(`INSERT INTO group_members (group_id, position, member_id, member_id_lower) VALUES ('g1', 0, 'u1', 'u1')`);
    await client.query(
      `INSERT INTO links (instance_id, entity_type, local_id, remote_id, status) VALUES ('target', 'user', 'u1', 'r1', 'synced')`,
    );
    await client.query(`INSERT INTO pending_passwords (user_id, sealed, awaiting, expires_at) VALUES ('u1', 'sealed', '{target}', $1)`, [
      Date.now() + 3_600_000,
    ]);
    await client.query(
      `INSERT INTO audit (at, actor, action, entity_type, entity_id) VALUES ($1, 'scim:hr', 'user.create', 'user', 'u1')`,
      [AT],
    );
    ({
      rows: [{ id: jobId }],
    } = await client.query<{ id: string }>(
      `INSERT INTO jobs (instance_id, entity_type, local_id, action, reason, status, max_attempts, run_at, created_at, updated_at, boss_id)
       VALUES ('target', 'user', 'u1', 'sync', 'created', 'pending', 5, 0, $1, $1, $2) RETURNING id`,
      [AT, bossId],
    ));
    await client.query(`INSERT INTO deprovision_guards (instance_id, tripped_at, counting_since) VALUES ('target', $1, $1)`, [AT]);
    await client.query(`INSERT INTO quarantines (instance_id, since, reason, next_probe_at) VALUES ('target', 0, 'auth refused', 0)`);
    await client.query(`INSERT INTO schedules (key, next_at) VALUES ('reconcile:target', 42)`);
    await client.query(`INSERT INTO target_reports (id, instance_id, kind, started_at, body) VALUES ('rep1', 'target', 'import', $1, $2)`, [
      AT,
      JSON.stringify({ id: 'rep1', instanceId: 'target', kind: 'import', status: 'done', startedAt: AT }),
    ]);
  } finally {
    await client.end();
  }
  // The job's pg-boss job, in the queue the instance had before tenants.
  const boss = new PgBoss({ connectionString: TEST_DATABASE_URL, schema: queueSchemaOf(schema), supervise: false, schedule: false });
  await boss.start();
  try {
    await boss.createQueue('provisio.target', { policy: 'singleton' });
    await boss.insert('provisio.target', [{ id: bossId, data: { jobId }, singletonKey: 'user:u1' }]);
  } finally {
    await boss.stop({ graceful: false, close: true });
  }
  return jobId;
}

/** The tenants of each tenant table's rows, as the connecting superuser sees them. */
async function tenantsOfRows(schema: string): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    const seen: Record<string, string[]> = {};
    for (const table of TENANT_TABLES)
      seen[table] = (await client.query<{ tenant: string }>(`SELECT DISTINCT tenant FROM ${table}`)).rows.map((row) => row.tenant);
    return seen;
  } finally {
    await client.end();
  }
}

describeWithPostgres('the migration to tenants', () => {
  const fresh = freshSchemasForSuite('provisio_tenant_migration');

  it('gives every existing row to the default tenant, where all of it is read as before and another tenant reuses the names', async () => {
    const schema = fresh();
    const jobId = await databaseBeforeTenants(schema);
    const store = await PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false });
    try {
      expect(await tenantsOfRows(schema)).toEqual(Object.fromEntries(TENANT_TABLES.map((table) => [table, [DEFAULT_TENANT]])));
      expect(store.tenant).toBe(DEFAULT_TENANT);
      expect(await store.tenantsWithData()).toEqual([DEFAULT_TENANT]);

      expect(await store.getUserByUserName('ADA')).toMatchObject({ id: 'u1', userName: 'ada', createdAt: AT });
      expect((await store.queryUsers({ filter: parseFilter('emails.value sw "ada@"') })).records.map((u) => u.id)).toEqual(['u1']);
      expect((await store.getGroup('g1'))?.members).toEqual([{ value: 'u1' }]);
      expect((await store.groupsOfMember('u1')).map((g) => g.id)).toEqual(['g1']);
      expect((await store.queryUsers({ filter: parseFilter('groups.value eq "g1"') })).totalResults).toBe(1);
      expect(await store.getLink('target', 'user', 'u1')).toMatchObject({ remoteId: 'r1' });
      expect(await store.pendingPassword('u1')).toMatchObject({ sealed: 'sealed', awaiting: ['target'] });
      expect((await store.listAudit({ entityId: 'u1' })).map((a) => a.action)).toEqual(['user.create']);
      expect(await store.deprovisionGuard('target')).toMatchObject({ tripped: true });
      expect((await store.quarantines.list()).map((q) => q.instanceId)).toEqual(['target']);
      expect(await store.schedules.nextAt('reconcile:target')).toBe(42);
      expect((await store.getTargetReport('rep1'))?.id).toBe('rep1');
      // The job waiting on pg-boss from before is claimed from the queue it was in.
      const [claimed] = await store.claimJobs({ workerId: 'w', now: Date.now(), leaseMs: 30_000, slots: { target: 5 } });
      expect(claimed).toMatchObject({ id: jobId, localId: 'u1', status: 'running' });

      // Names are per tenant now: another tenant takes the same userName and displayName, and sees none of the old rows.
      const acme = store.forTenant(ACME);
      await acme.commit({ putUsers: [contractUser('a1', 'Ada')], putGroups: [contractGroup('ag', 'Admins', ['a1'])] });
      expect((await acme.getUserByUserName('ada'))?.id).toBe('a1');
      expect((await store.getUserByUserName('ada'))?.id).toBe('u1');
      expect(await acme.getLink('target', 'user', 'u1')).toBeUndefined();
      expect(await acme.deprovisionGuard('target')).toMatchObject({ tripped: false });
      expect(await store.tenantsWithData()).toEqual([ACME, DEFAULT_TENANT]);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('gives the rows to the configured default tenant instead, whose queues keep their names', async () => {
    const schema = fresh();
    const jobId = await databaseBeforeTenants(schema);
    const store = await PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false, defaultTenant: ACME });
    try {
      expect(store.tenant).toBe(ACME);
      expect((await tenantsOfRows(schema)).users).toEqual([ACME]);
      expect((await store.getUser('u1'))?.userName).toBe('ada');
      expect(await store.forTenant(DEFAULT_TENANT).getUser('u1')).toBeUndefined();
      const [claimed] = await store.claimJobs({ workerId: 'w', now: Date.now(), leaseMs: 30_000, slots: { target: 5 } });
      expect(claimed?.id).toBe(jobId);
      // Other tenants' queues are their own, this one's keeps the name it had.
      expect(queueName('target', ACME, ACME)).toBe('provisio.target');
      expect(queueName('target', DEFAULT_TENANT, ACME)).toBe('provisio.carbon.super/target');
    } finally {
      await store.close();
    }
    // Reopened bound to another tenant, the store still finds the migrated tenant's queues.
    const reopened = await PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false });
    try {
      expect(reopened.tenant).toBe(DEFAULT_TENANT);
      expect(await reopened.forTenant(ACME).getJob(jobId)).toMatchObject({ status: 'running' });
    } finally {
      await reopened.close();
    }
  }, 60_000);

  it('fails to open, naming the role, when the tenant role is gone (a restore into a cluster without it)', async () => {
    const schema = fresh();
    await (await PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false })).close();
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    const role = `${schema}_tenant`;
    try {
      // What a restore without roles leaves: the tables, no role (its grants go with it).
      await client.query(`DROP OWNED BY "${role}"`);
      await client.query(`DROP ROLE "${role}"`);
    } finally {
      await client.end();
    }
    await expect(PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false })).rejects.toThrow(
      new RegExp(`could not open the store .*role "${role}" does not exist`),
    );
  });

  it('refuses a tenant that is no tenant domain, as the default (before touching the database) and for a view', async () => {
    await expect(PostgresStore.open({ url: TEST_DATABASE_URL, schema: fresh(), defaultTenant: 'Not A Domain' })).rejects.toThrow(
      /"Not A Domain" is not a tenant domain/,
    );
    await expect(PostgresStore.migrate({ url: TEST_DATABASE_URL, schema: fresh(), defaultTenant: "x'; DROP" })).rejects.toThrow(
      /is not a tenant domain/,
    );
    const store = await PostgresStore.open({ url: TEST_DATABASE_URL, schema: fresh(), maintenance: false });
    try {
      expect(() => store.forTenant('Acme.example.com')).toThrow(/"Acme.example.com" is not a tenant domain/);
      expect(() => store.forTenant('*')).toThrow(/is not a tenant domain/);
    } finally {
      await store.close();
    }
  });
});
