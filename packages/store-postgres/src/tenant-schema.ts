/**
 * Version 10: tenants. Every table that holds a tenant's rows gets a `tenant` column; the rows
 * already there are the default tenant's (the migration's `provisio.default_tenant` setting, see
 * migrate-schema.ts), and so is a row written later by SQL that names no tenant. Names are unique
 * per tenant; identity ids, job ids and audit seqs stay unique across tenants. Every index a
 * tenant's query uses leads with the tenant (same names as before, so plans read as before).
 *
 * The second wall, row-level security, enabled and forced on each of those tables:
 * - `tenant_rows` (every role): a row is visible and writable only in a transaction whose
 *   `provisio.tenant` setting is its tenant; unset, no row is.
 * - `owner_reads`: the role that ran this migration (the schema's owner) reads every tenant's rows,
 *   for the store's own cross-tenant listing (`tenantsWithData`) and for operators; FORCE makes the
 *   owner subject to `tenant_rows` for everything else, so even the owner writes only a tenant it names.
 * The store's statements run as `<schema>_tenant` (the `provisio.tenant_role` setting): created here
 * when missing, granted to the owner so that its connections can log in as it, without BYPASSRLS, so
 * that the wall holds when the store connects as a superuser too (superusers ignore row-level
 * security, roles they switch to do not). It needs the tables of this schema and of pg-boss's queue
 * schema, whose tables the store's transactions write as well; default privileges cover tables a
 * later migration or pg-boss upgrade creates.
 */

/** The tables that hold a tenant's rows. */
export const TENANT_TABLES = [
  'users',
  'user_emails',
  'groups',
  'group_members',
  'links',
  'pending_passwords',
  'audit',
  'jobs',
  'deprovision_guards',
  'quarantines',
  'schedules',
  'target_reports',
] as const;

/** A constant default (PostgreSQL 11+ adds it without rewriting the table); DDL takes no parameters, hence format(). */
const tenantColumn = (table: string) =>
  `DO $$ BEGIN
     EXECUTE format('ALTER TABLE ${table} ADD COLUMN tenant text COLLATE "C" NOT NULL DEFAULT %L', current_setting('provisio.default_tenant'));
   END $$`;

/** An index rebuilt under its name, now leading with the tenant. */
const reindexed = (name: string, definition: string) => [`DROP INDEX ${name}`, `CREATE ${definition}`];

/** A key rebuilt under its name, now with the tenant. */
const rekeyed = (table: string, constraint: string, definition: string) => [
  `ALTER TABLE ${table} DROP CONSTRAINT ${constraint}`,
  `ALTER TABLE ${table} ADD CONSTRAINT ${constraint} ${definition}`,
];

const rowLevelSecurity = (table: string) => [
  `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`,
  `CREATE POLICY tenant_rows ON ${table} USING (tenant = current_setting('provisio.tenant', true)) WITH CHECK (tenant = current_setting('provisio.tenant', true))`,
  `CREATE POLICY owner_reads ON ${table} FOR SELECT TO CURRENT_USER USING (true)`,
];

/**
 * The tenant role and its grants. CREATE ROLE needs CREATEROLE (or a role made beforehand by whoever
 * has it); two schemas migrating at once each make their own role. The owner needs membership to log
 * in as the role (PostgreSQL 16 and later: with SET; a role made by a CREATEROLE owner is not SET by default).
 */
const TENANT_ROLE = `DO $$
DECLARE
  role text := current_setting('provisio.tenant_role');
  queue text := current_schema() || '_queue';
  can_set boolean;
  target text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role) THEN
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT', role);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    IF current_setting('server_version_num')::int >= 160000 THEN
      EXECUTE 'SELECT pg_has_role(current_user, $1, ''SET'')' INTO can_set USING role;
    ELSE
      can_set := pg_has_role(current_user, role, 'MEMBER');
    END IF;
    IF NOT can_set THEN
      EXECUTE format('GRANT %I TO %I', role, current_user);
    END IF;
  END IF;
  EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', queue);
  FOREACH target IN ARRAY ARRAY[current_schema(), queue] LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', target, role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', target, role);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', target, role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', target, role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I', target, role);
  END LOOP;
END $$`;

export const TENANT_SCHEMA: readonly string[] = [
  ...TENANT_TABLES.map(tenantColumn),

  ...rekeyed('users', 'users_user_name_unique', 'UNIQUE (tenant, user_name_lower)'),
  ...reindexed('users_seq', 'UNIQUE INDEX users_seq ON users (tenant, seq)'),
  ...reindexed('users_external_id', 'INDEX users_external_id ON users (tenant, external_id)'),
  ...reindexed('users_display_name_lower', 'INDEX users_display_name_lower ON users (tenant, display_name_lower)'),
  ...reindexed('users_active', 'INDEX users_active ON users (tenant, active, seq)'),
  ...reindexed('users_created_ms', 'INDEX users_created_ms ON users (tenant, created_ms)'),
  ...reindexed('users_updated_ms', 'INDEX users_updated_ms ON users (tenant, updated_ms)'),
  // Reconcile pages through a tenant's ids (the primary key keeps ids unique across tenants).
  'CREATE INDEX users_tenant_id ON users (tenant, id)',
  ...reindexed('user_emails_value', 'INDEX user_emails_value ON user_emails (tenant, value_lower)'),

  ...rekeyed('groups', 'groups_display_name_unique', 'UNIQUE (tenant, display_name)'),
  ...reindexed('groups_seq', 'UNIQUE INDEX groups_seq ON groups (tenant, seq)'),
  ...reindexed('groups_id_lower', 'INDEX groups_id_lower ON groups (tenant, id_lower)'),
  ...reindexed('groups_display_name_lower', 'INDEX groups_display_name_lower ON groups (tenant, display_name_lower)'),
  ...reindexed('groups_external_id', 'INDEX groups_external_id ON groups (tenant, external_id)'),
  ...reindexed('groups_updated_ms', 'INDEX groups_updated_ms ON groups (tenant, updated_ms)'),
  'CREATE INDEX groups_tenant_id ON groups (tenant, id)',
  ...reindexed('group_members_member', 'INDEX group_members_member ON group_members (tenant, member_id)'),
  ...reindexed('group_members_member_lower', 'INDEX group_members_member_lower ON group_members (tenant, member_id_lower)'),

  ...rekeyed('links', 'links_pkey', 'PRIMARY KEY (tenant, instance_id, entity_type, local_id)'),
  ...reindexed('links_local', 'INDEX links_local ON links (tenant, entity_type, local_id)'),
  ...rekeyed('pending_passwords', 'pending_passwords_pkey', 'PRIMARY KEY (tenant, user_id)'),

  ...reindexed('audit_entity', 'INDEX audit_entity ON audit (tenant, entity_id, seq)'),
  ...reindexed('audit_at', 'INDEX audit_at ON audit (tenant, at COLLATE "C", seq)'),
  'CREATE INDEX audit_tenant ON audit (tenant, seq)',

  ...reindexed(
    'jobs_open_by_identity',
    `INDEX jobs_open_by_identity ON jobs (tenant, instance_id, entity_type, local_id) WHERE status IN ('pending', 'running')`,
  ),
  ...reindexed('jobs_pending_run_at', `INDEX jobs_pending_run_at ON jobs (tenant, run_at) WHERE status = 'pending'`),
  ...reindexed('jobs_running_lease', `INDEX jobs_running_lease ON jobs (tenant, lease_until) WHERE status = 'running'`),
  ...reindexed('jobs_running_worker', `INDEX jobs_running_worker ON jobs (tenant, claimed_by) WHERE status = 'running'`),
  ...reindexed('jobs_status_instance', 'INDEX jobs_status_instance ON jobs (tenant, status, instance_id, id)'),
  ...reindexed('jobs_instance', 'INDEX jobs_instance ON jobs (tenant, instance_id, id)'),
  ...reindexed('jobs_local_id', 'INDEX jobs_local_id ON jobs (tenant, local_id, id)'),
  ...reindexed(
    'jobs_user_open',
    `INDEX jobs_user_open ON jobs (tenant, local_id) WHERE entity_type = 'user' AND status IN ('pending', 'running')`,
  ),
  ...reindexed('jobs_guard_window', 'INDEX jobs_guard_window ON jobs (tenant, instance_id, created_at) WHERE guard_counted'),
  ...reindexed('jobs_held', `INDEX jobs_held ON jobs (tenant, instance_id, id) WHERE status = 'held'`),
  ...reindexed(
    'jobs_finished',
    `INDEX jobs_finished ON jobs (tenant, status, updated_at COLLATE "C", id) WHERE status IN ('succeeded', 'superseded', 'failed')`,
  ),
  // A tenant's job list, newest first (claims find their records by boss_id, unique across tenants).
  'CREATE INDEX jobs_tenant ON jobs (tenant, id)',

  ...rekeyed('deprovision_guards', 'deprovision_guards_pkey', 'PRIMARY KEY (tenant, instance_id)'),
  ...rekeyed('quarantines', 'quarantines_pkey', 'PRIMARY KEY (tenant, instance_id)'),
  ...rekeyed('schedules', 'schedules_pkey', 'PRIMARY KEY (tenant, key)'),
  ...rekeyed('target_reports', 'target_reports_pkey', 'PRIMARY KEY (tenant, id)'),
  ...reindexed('target_reports_instance', 'INDEX target_reports_instance ON target_reports (tenant, instance_id, kind, started_at)'),

  // Which tenant the rows from before tenants went to: its pg-boss queues keep their names (see queueName).
  'CREATE TABLE store_settings (key text PRIMARY KEY, value text NOT NULL)',
  `INSERT INTO store_settings (key, value) VALUES ('default_tenant', current_setting('provisio.default_tenant'))`,

  ...TENANT_TABLES.flatMap(rowLevelSecurity),
  TENANT_ROLE,
];
