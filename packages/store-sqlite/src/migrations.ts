import type { Database } from 'better-sqlite3';
import { DEFAULT_TENANT, emailIndexEntries, getAttribute, lowerText } from '@provisio/core/engine';
import { writePlannerPriors } from './planner-priors.js';
import { tenantDomain } from './tenant-domain.js';

/** What a migration may depend on besides the file: the tenant existing rows are assigned to. */
export interface MigrationContext {
  defaultTenant: string;
}

/** Versioned schema changes, applied in order at start, each in its own transaction. Never edit a released one: add the next. */
export interface Migration {
  version: number;
  name: string;
  /** The DDL; a function when it depends on the context (a column default). */
  sql: string | ((context: MigrationContext) => string);
  /** Data backfill that needs JavaScript (e.g. lower-casing exactly as the store does), run after `sql` in the same transaction. */
  run?: (db: Database, context: MigrationContext) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'identities, links, jobs, audit',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        user_name TEXT NOT NULL,
        user_name_lower TEXT NOT NULL UNIQUE,
        external_id TEXT,
        active INTEGER NOT NULL,
        resource TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        password_hash TEXT
      );
      CREATE INDEX users_external_id ON users(external_id);

      CREATE TABLE groups (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL UNIQUE,
        external_id TEXT,
        resource TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE group_members (
        group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        member_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        display TEXT,
        type TEXT,
        PRIMARY KEY (group_id, member_id)
      );
      CREATE INDEX group_members_member ON group_members(member_id);

      CREATE TABLE links (
        instance_id TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        local_id TEXT NOT NULL,
        remote_id TEXT,
        remote_name TEXT,
        status TEXT NOT NULL,
        last_error TEXT,
        last_synced_at TEXT,
        synced_attributes TEXT,
        synced_members TEXT,
        remote_active INTEGER,
        PRIMARY KEY (instance_id, entity_type, local_id)
      );
      CREATE INDEX links_local ON links(entity_type, local_id);

      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        instance_id TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        local_id TEXT NOT NULL,
        action TEXT NOT NULL,
        reason TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        run_at INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_error TEXT,
        last_error_kind TEXT,
        claimed_by TEXT,
        lease_until INTEGER,
        history TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX jobs_due ON jobs(instance_id, status, run_at);
      CREATE INDEX jobs_pair ON jobs(instance_id, entity_type, local_id, status);
      CREATE INDEX jobs_local ON jobs(local_id);
      CREATE INDEX jobs_status ON jobs(status);

      CREATE TABLE pending_passwords (
        user_id TEXT PRIMARY KEY,
        sealed TEXT NOT NULL
      );

      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        details TEXT
      );
      CREATE INDEX audit_entity ON audit(entity_id, seq);
    `,
  },
  {
    version: 2,
    name: 'query columns and indexes for SCIM filters (displayName, emails, meta dates, active)',
    sql: `
      ALTER TABLE users ADD COLUMN display_name_lower TEXT;
      CREATE INDEX users_display_name_lower ON users(display_name_lower);
      CREATE INDEX users_updated_at ON users(updated_at);
      CREATE INDEX users_created_at ON users(created_at);
      CREATE INDEX users_active ON users(active);

      CREATE TABLE user_emails (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        value_lower TEXT,
        type_lower TEXT,
        is_primary INTEGER,
        PRIMARY KEY (user_id, position)
      );
      CREATE INDEX user_emails_value ON user_emails(value_lower);

      ALTER TABLE groups ADD COLUMN display_name_lower TEXT;
      CREATE INDEX groups_display_name_lower ON groups(display_name_lower);
      CREATE INDEX groups_updated_at ON groups(updated_at);
      CREATE INDEX group_members_member_lower ON group_members(lower(member_id));
    `,
    run: (db) => {
      const users = db.prepare('SELECT id, resource FROM users').all() as { id: string; resource: string }[];
      const setUser = db.prepare('UPDATE users SET display_name_lower = ? WHERE id = ?');
      const insertEmail = db.prepare(
        'INSERT INTO user_emails (user_id, position, value_lower, type_lower, is_primary) VALUES (?, ?, ?, ?, ?)',
      );
      for (const row of users) {
        const resource = JSON.parse(row.resource) as Record<string, unknown>;
        setUser.run(lowerText(getAttribute(resource, 'displayName')), row.id);
        emailRows(resource).forEach((e, position) => insertEmail.run(row.id, position, e.value, e.type, e.primary));
      }
      const groups = db.prepare('SELECT id, display_name FROM groups').all() as { id: string; display_name: string }[];
      const setGroup = db.prepare('UPDATE groups SET display_name_lower = ? WHERE id = ?');
      for (const row of groups) setGroup.run(row.display_name.toLowerCase(), row.id);
    },
  },
  {
    version: 3,
    name: 'the earliest due job without a scan of every pending job',
    // nextDueJobAt runs on every idle turn of the worker: with 20,000 jobs queued, scanning them took half its CPU.
    // (status, run_at) answers MIN(run_at) for one status from the index's edge, and replaces the (status) index.
    sql: `CREATE INDEX jobs_status_run_at ON jobs(status, run_at); DROP INDEX jobs_status;`,
  },
  {
    version: 4,
    name: 'takeovers, outcome-unknown mark, claim fencing token and last known identity of jobs',
    sql: `
      ALTER TABLE jobs ADD COLUMN takeovers INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE jobs ADD COLUMN outcome_unknown INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE jobs ADD COLUMN claim_token TEXT;
      ALTER TABLE jobs ADD COLUMN last_known TEXT;
    `,
  },
  {
    version: 5,
    name: 'the request id that caused a job, and a heartbeat row the readiness probe writes',
    sql: `
      ALTER TABLE jobs ADD COLUMN request_id TEXT;
      CREATE TABLE store_heartbeat (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL);
    `,
  },
  {
    version: 6,
    name: 'retention: finished jobs by status and finish time, audit by time',
    // The pruner deletes the oldest finished jobs of a status (updated_at is when they finished) and the oldest audit
    // entries, in small batches: each batch must find its rows from an index's edge, not by scanning the table.
    sql: `CREATE INDEX jobs_status_updated_at ON jobs(status, updated_at); CREATE INDEX audit_at ON audit(at);`,
  },
  {
    version: 7,
    name: 'accidental-deletion guard: one row per connector instance, jobs it counts',
    sql: `
      CREATE TABLE deprovision_guards (
        instance_id TEXT PRIMARY KEY,
        tripped_at TEXT,
        counting_since TEXT
      );
      ALTER TABLE jobs ADD COLUMN guard_counted INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX jobs_guard_window ON jobs(instance_id, created_at) WHERE guard_counted = 1;
    `,
  },
  {
    version: 8,
    name: 'quarantine states of connector instances',
    sql: `
      CREATE TABLE quarantines (
        instance_id TEXT PRIMARY KEY,
        since INTEGER NOT NULL,
        reason TEXT NOT NULL,
        next_probe_at INTEGER NOT NULL,
        probe_count INTEGER NOT NULL DEFAULT 0,
        last_probe_error TEXT
      );
    `,
  },
  {
    version: 9,
    name: 'reports of runs that read a target (import, later reconcile)',
    sql: `
      CREATE TABLE target_reports (
        id TEXT PRIMARY KEY,
        instance_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        started_at TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX target_reports_instance ON target_reports(instance_id, kind, started_at);
    `,
  },
  {
    version: 10,
    name: 'pending passwords wait for each target that has not received them, until they expire',
    // A waiting password awaits the targets of its user's open jobs, and expires 7 days from now (the default TTL).
    sql: `
      ALTER TABLE pending_passwords ADD COLUMN awaiting TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE pending_passwords ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
      UPDATE pending_passwords SET
        awaiting = COALESCE((SELECT json_group_array(DISTINCT instance_id) FROM jobs
          WHERE entity_type = 'user' AND local_id = pending_passwords.user_id AND status IN ('pending', 'running')), '[]'),
        expires_at = (CAST(strftime('%s', 'now') AS INTEGER) + 7 * 86400) * 1000;
      DELETE FROM pending_passwords WHERE awaiting = '[]';
    `,
  },
  {
    version: 11,
    name: 'when scheduled runs (reconcile.every) are next due',
    sql: `CREATE TABLE schedules (key TEXT PRIMARY KEY, next_at INTEGER NOT NULL);`,
  },
  {
    version: 12,
    name: 'tenants: every row belongs to one, names and instance ids are unique per tenant, indexes lead with it',
    sql: ({ defaultTenant }) => tenantsSql(quoted(defaultTenant)),
    // Figures a past ANALYZE left describe indexes this replaced; the planner starts again from writePlannerPriors.
    run: (db) => {
      for (const table of ['sqlite_stat1', 'sqlite_stat4'])
        if (db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table)) db.exec(`DELETE FROM ${table}`);
    },
  },
  {
    version: 13,
    name: 'fewer indexes that every write of every tenant touches: no (tenant), date or active indexes, optional values indexed where present, audit moments lead with time',
    sql: timeLeadingIndexesSql(),
    // An ANALYZE's figures for the indexes replaced describe their old keys.
    run: (db) => {
      if (!db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'").get()) return;
      const replaced = [
        'users_tenant',
        'groups_tenant',
        'audit_tenant',
        'users_active',
        'users_created_at',
        'users_updated_at',
        'users_external_id',
        'users_display_name_lower',
        'audit_at',
      ];
      db.prepare(`DELETE FROM sqlite_stat1 WHERE idx IN (${replaced.map(() => '?').join(', ')})`).run(...replaced);
    },
  },
  {
    version: 14,
    name: "a group's members by position: a member added goes after the last without reading the others",
    sql: 'CREATE INDEX group_members_position ON group_members(group_id, position);',
  },
];

/** A tenant domain as an SQL literal (TENANT_DOMAIN allows no quote; doubled anyway). */
const quoted = (tenant: string) => `'${tenantDomain(tenant, 'defaultTenant').replaceAll("'", "''")}'`;

/** A table version 12 rebuilds: its new column definitions, each led by its name, and its key. */
interface RebuiltTable {
  columns: readonly string[];
  /** A key over several columns (a column's own PRIMARY KEY is in its definition). */
  key?: string;
  /** The rowid is copied too (users and groups: the order of an unsorted list). */
  keepRowid?: boolean;
}

/** The tables version 12 rebuilds, by name. */
const REBUILT_IN_V12 = {
  users: {
    keepRowid: true,
    columns: [
      'id TEXT PRIMARY KEY',
      'tenant TEXT NOT NULL',
      'user_name TEXT NOT NULL',
      'user_name_lower TEXT NOT NULL',
      'external_id TEXT',
      'active INTEGER NOT NULL',
      'resource TEXT NOT NULL',
      'version INTEGER NOT NULL',
      'created_at TEXT NOT NULL',
      'updated_at TEXT NOT NULL',
      'password_hash TEXT',
      'display_name_lower TEXT',
    ],
  },
  groups: {
    keepRowid: true,
    columns: [
      'id TEXT PRIMARY KEY',
      'tenant TEXT NOT NULL',
      'display_name TEXT NOT NULL',
      'external_id TEXT',
      'resource TEXT NOT NULL',
      'version INTEGER NOT NULL',
      'created_at TEXT NOT NULL',
      'updated_at TEXT NOT NULL',
      'display_name_lower TEXT',
    ],
  },
  links: {
    key: '(tenant, instance_id, entity_type, local_id)',
    columns: [
      'tenant TEXT NOT NULL',
      'instance_id TEXT NOT NULL',
      'entity_type TEXT NOT NULL',
      'local_id TEXT NOT NULL',
      'remote_id TEXT',
      'remote_name TEXT',
      'status TEXT NOT NULL',
      'last_error TEXT',
      'last_synced_at TEXT',
      'synced_attributes TEXT',
      'synced_members TEXT',
      'remote_active INTEGER',
    ],
  },
  pending_passwords: {
    key: '(tenant, user_id)',
    columns: [
      'tenant TEXT NOT NULL',
      'user_id TEXT NOT NULL',
      'sealed TEXT NOT NULL',
      "awaiting TEXT NOT NULL DEFAULT '[]'",
      'expires_at INTEGER NOT NULL DEFAULT 0',
    ],
  },
  target_reports: {
    key: '(tenant, id)',
    columns: [
      'tenant TEXT NOT NULL',
      'id TEXT NOT NULL',
      'instance_id TEXT NOT NULL',
      'kind TEXT NOT NULL',
      'started_at TEXT NOT NULL',
      'body TEXT NOT NULL',
    ],
  },
  deprovision_guards: {
    key: '(tenant, instance_id)',
    columns: ['tenant TEXT NOT NULL', 'instance_id TEXT NOT NULL', 'tripped_at TEXT', 'counting_since TEXT'],
  },
  quarantines: {
    key: '(tenant, instance_id)',
    columns: [
      'tenant TEXT NOT NULL',
      'instance_id TEXT NOT NULL',
      'since INTEGER NOT NULL',
      'reason TEXT NOT NULL',
      'next_probe_at INTEGER NOT NULL',
      'probe_count INTEGER NOT NULL DEFAULT 0',
      'last_probe_error TEXT',
    ],
  },
  schedules: {
    key: '(tenant, key)',
    columns: ['tenant TEXT NOT NULL', 'key TEXT NOT NULL', 'next_at INTEGER NOT NULL'],
  },
} satisfies Record<string, RebuiltTable>;

/**
 * Version 12. Existing rows go to the default tenant `t` (an SQL literal). A table whose key or
 * column-level UNIQUE changes is rebuilt (rebuiltWithTenant) with no default for its
 * tenant: the store always names it. The others gain the column by ALTER TABLE, which needs a
 * default: `t`, so rows written without a tenant (raw SQL, older tools) stay the default tenant's.
 * Users and groups keep their rowids: insertion order is the order of an unsorted list.
 * Ids of users and groups stay the primary key: unique across tenants.
 */
function tenantsSql(t: string): string {
  return `
    ${rebuiltWithTenant(t, 'users')}
    CREATE UNIQUE INDEX users_user_name_lower ON users(tenant, user_name_lower);
    -- (tenant) alone orders a tenant's rows by rowid: an unsorted list pages without sorting; (tenant, id) serves reconcile's paging.
    CREATE INDEX users_tenant ON users(tenant);
    CREATE UNIQUE INDEX users_tenant_id ON users(tenant, id);
    CREATE INDEX users_external_id ON users(tenant, external_id);
    CREATE INDEX users_display_name_lower ON users(tenant, display_name_lower);
    CREATE INDEX users_updated_at ON users(tenant, updated_at);
    CREATE INDEX users_created_at ON users(tenant, created_at);
    CREATE INDEX users_active ON users(tenant, active);

    ALTER TABLE user_emails ADD COLUMN tenant TEXT NOT NULL DEFAULT ${t};
    DROP INDEX user_emails_value;
    CREATE INDEX user_emails_value ON user_emails(tenant, value_lower);

    ${rebuiltWithTenant(t, 'groups')}
    CREATE UNIQUE INDEX groups_display_name ON groups(tenant, display_name);
    CREATE INDEX groups_tenant ON groups(tenant);
    CREATE UNIQUE INDEX groups_tenant_id ON groups(tenant, id);
    CREATE INDEX groups_display_name_lower ON groups(tenant, display_name_lower);
    CREATE INDEX groups_updated_at ON groups(tenant, updated_at);

    -- Read without the group: a user's groups (groupsOfMember, the derived "groups" filter) and the members filter.
    ALTER TABLE group_members ADD COLUMN tenant TEXT NOT NULL DEFAULT ${t};
    DROP INDEX group_members_member;
    DROP INDEX group_members_member_lower;
    CREATE INDEX group_members_member ON group_members(tenant, member_id);
    CREATE INDEX group_members_member_lower ON group_members(tenant, lower(member_id));

    ${rebuiltWithTenant(t, 'links')}
    CREATE INDEX links_local ON links(tenant, entity_type, local_id);

    ALTER TABLE jobs ADD COLUMN tenant TEXT NOT NULL DEFAULT ${t};
    DROP INDEX jobs_due;
    DROP INDEX jobs_pair;
    DROP INDEX jobs_local;
    DROP INDEX jobs_status_run_at;
    DROP INDEX jobs_status_updated_at;
    DROP INDEX jobs_guard_window;
    CREATE INDEX jobs_due ON jobs(tenant, instance_id, status, run_at);
    CREATE INDEX jobs_pair ON jobs(tenant, instance_id, entity_type, local_id, status);
    CREATE INDEX jobs_local ON jobs(tenant, local_id);
    CREATE INDEX jobs_status_run_at ON jobs(tenant, status, run_at);
    CREATE INDEX jobs_status_updated_at ON jobs(tenant, status, updated_at);
    CREATE INDEX jobs_guard_window ON jobs(tenant, instance_id, created_at) WHERE guard_counted = 1;
    CREATE INDEX jobs_tenant ON jobs(tenant);

    ${rebuiltWithTenant(t, 'pending_passwords')}

    ALTER TABLE audit ADD COLUMN tenant TEXT NOT NULL DEFAULT ${t};
    DROP INDEX audit_entity;
    DROP INDEX audit_at;
    CREATE INDEX audit_entity ON audit(tenant, entity_id, seq);
    CREATE INDEX audit_at ON audit(tenant, at);
    CREATE INDEX audit_tenant ON audit(tenant);

    ${rebuiltWithTenant(t, 'target_reports')}
    CREATE INDEX target_reports_instance ON target_reports(tenant, instance_id, kind, started_at);

    ${rebuiltWithTenant(t, 'deprovision_guards')}

    ${rebuiltWithTenant(t, 'quarantines')}

    ${rebuiltWithTenant(t, 'schedules')}
  `;
}

/**
 * Version 13. With many tenants writing at once, an index that leads with the tenant takes each
 * group commit's writes at one place per tenant, a dirty page each (and the WAL writes every dirty
 * page), where one tenant's writes share the last page. So the indexes that cost every write and
 * narrow little go:
 * - `(tenant)` of users, groups and audit: an unfiltered list walks the table in rowid (insertion)
 *   order keeping the tenant's rows (runIdentityQuery, SqliteAudit.list), and counts come from (tenant, id);
 * - `(tenant, created_at)`, `(tenant, updated_at)`, `(tenant, active)`: meta date and `active` filters
 *   are answered exactly in SQL over the tenant's rows (a date range or a boolean narrows a tenant little);
 * - externalId and displayName, which most rows leave empty, are indexed only where they hold a value
 *   (their filters, `eq` `sw` `pr`..., imply one);
 * - the audit's moments lead with time, the tenant second: retention prunes a tenant's oldest from the first pages.
 */
function timeLeadingIndexesSql(): string {
  return `
    DROP INDEX users_tenant;
    DROP INDEX groups_tenant;
    DROP INDEX users_active;
    DROP INDEX users_created_at;
    DROP INDEX users_updated_at;
    DROP INDEX users_external_id;
    DROP INDEX users_display_name_lower;
    CREATE INDEX users_external_id ON users(tenant, external_id) WHERE external_id IS NOT NULL;
    CREATE INDEX users_display_name_lower ON users(tenant, display_name_lower) WHERE display_name_lower IS NOT NULL;

    DROP INDEX audit_tenant;
    DROP INDEX audit_at;
    CREATE INDEX audit_at ON audit(at, tenant);
  `;
}

/**
 * SQLite's way to change a table's key or a column's UNIQUE: a new table, a copy, a drop, a rename.
 * The new table's `tenant` is filled with `t`; every other column is copied from the old table.
 */
function rebuiltWithTenant(t: string, table: keyof typeof REBUILT_IN_V12): string {
  const { columns, key, keepRowid }: RebuiltTable = REBUILT_IN_V12[table];
  const names = columns.map((column) => column.split(' ', 1)[0]);
  const copied = keepRowid ? ['rowid', ...names] : names;
  const definitions = key === undefined ? columns : [...columns, `PRIMARY KEY ${key}`];
  return `CREATE TABLE ${table}_new (
      ${definitions.join(',\n      ')}
    );
    INSERT INTO ${table}_new (${copied.join(', ')})
      SELECT ${copied.map((name) => (name === 'tenant' ? t : name)).join(', ')} FROM ${table};
    DROP TABLE ${table};
    ALTER TABLE ${table}_new RENAME TO ${table};`;
}

export interface EmailRow {
  value: string | null;
  type: string | null;
  primary: number | null;
}

/** The rows of user_emails for a resource (core's email index entries, SQLite's 0/1 for booleans). */
export function emailRows(resource: unknown): EmailRow[] {
  return emailIndexEntries(resource).map((e) => ({ value: e.value, type: e.type, primary: e.primary === null ? null : e.primary ? 1 : 0 }));
}

/**
 * Applies every migration newer than the file's version; refuses a file newer than this code. Existing rows
 * go to `defaultTenant` (DEFAULT_TENANT unless given). Then gives the planner its figures (writePlannerPriors).
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS, options: { defaultTenant?: string } = {}): number[] {
  const context: MigrationContext = { defaultTenant: tenantDomain(options.defaultTenant ?? DEFAULT_TENANT, 'defaultTenant') };
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const current = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new Error(`this database is at schema version ${current}, newer than this Provisio (${latest}); upgrade Provisio`);
  }
  const pending = migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  if (pending.length > 0) applyWithoutForeignKeys(db, pending, context);
  writePlannerPriors(db);
  return pending.map((m) => m.version);
}

/**
 * Each migration in its own transaction, foreign keys off and checked before it commits: SQLite's
 * procedure for rebuilding a table (with them on, dropping the old users or groups table would cascade
 * into their emails and members).
 */
function applyWithoutForeignKeys(db: Database, migrations: readonly Migration[], context: MigrationContext): void {
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    for (const migration of migrations) {
      db.transaction(() => {
        db.exec(typeof migration.sql === 'string' ? migration.sql : migration.sql(context));
        migration.run?.(db, context);
        const orphans = db.pragma('foreign_key_check') as { table: string }[];
        if (orphans.length > 0)
          throw new Error(
            `migration ${migration.version} would leave ${orphans.length} row(s) of ${orphans[0].table} without their parent`,
          );
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
          migration.version,
          migration.name,
          new Date().toISOString(),
        );
      })();
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}
