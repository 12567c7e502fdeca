import type pg from 'pg';
import { IDENTITY_SCHEMA_V1 } from './identity-schema.js';
import { JOB_SCHEMA_GUARD, JOB_SCHEMA_V1, JOB_SCHEMA_V2 } from './job-schema.js';
import { RETENTION_SCHEMA } from './retention.js';
import { QUARANTINE_SCHEMA_V1 } from './quarantine-schema.js';
import { TARGET_REPORTS_SCHEMA } from './target-reports.js';
import { SCHEDULES_SCHEMA } from './schedules.js';
import { TENANT_SCHEMA } from './tenant-schema.js';

export interface Migration {
  version: number;
  description: string;
  statements: readonly string[];
}

/** Append only: a released migration is never edited, a change is a new version. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'identities, links, audit, job records, rate buckets', statements: [...IDENTITY_SCHEMA_V1, ...JOB_SCHEMA_V1] },
  {
    version: 2,
    description: 'takeovers, outcome-unknown mark, claim fencing token and last known identity of jobs',
    statements: JOB_SCHEMA_V2,
  },
  {
    version: 3,
    description: 'the request id that caused a job',
    statements: ['ALTER TABLE jobs ADD COLUMN request_id text'],
  },
  { version: 4, description: 'retention: finished jobs by status and finish time, audit by time', statements: RETENTION_SCHEMA },
  { version: 5, description: 'accidental-deletion guard: one row per connector instance, jobs it counts', statements: JOB_SCHEMA_GUARD },
  { version: 6, description: 'quarantine states of connector instances', statements: QUARANTINE_SCHEMA_V1 },
  { version: 7, description: 'reports of runs that read a target (import, later reconcile)', statements: TARGET_REPORTS_SCHEMA },
  {
    version: 8,
    description: 'pending passwords wait for each target that has not received them, until they expire',
    // A waiting password awaits the targets of its user's open jobs, and expires 7 days from now (the default TTL).
    statements: [
      `ALTER TABLE pending_passwords ADD COLUMN awaiting text[] NOT NULL DEFAULT '{}', ADD COLUMN expires_at bigint NOT NULL DEFAULT 0`,
      `UPDATE pending_passwords p SET
         awaiting = COALESCE((SELECT array_agg(DISTINCT j.instance_id) FROM jobs j
           WHERE j.entity_type = 'user' AND j.local_id = p.user_id AND j.status IN ('pending', 'running')), '{}'),
         expires_at = (extract(epoch FROM now()) * 1000)::bigint + 7 * 86400000`,
      `DELETE FROM pending_passwords WHERE cardinality(awaiting) = 0`,
    ],
  },
  { version: 9, description: 'when scheduled runs (reconcile.every) are next due', statements: SCHEDULES_SCHEMA },
  {
    version: 10,
    description: 'tenants: a tenant column (existing rows: the default tenant) and row-level security on every tenant table',
    statements: TENANT_SCHEMA,
  },
  {
    version: 11,
    description: "a group's members by position within the tenant: a member added goes after the last without reading the others",
    // Row-level security adds the tenant to every statement: with the key alone (group_id, position) the planner may read the whole group.
    statements: ['CREATE INDEX group_members_position ON group_members (tenant, group_id, position)'],
  },
];

/** What a migration reads besides the schema: the tenant existing rows go to, and the role tenant statements run as. */
export interface MigrationSettings {
  defaultTenant: string;
  tenantRole: string;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Brings the schema to the newest version, on a connection of the schema's owner (not the store's
 * tenant role). Safe when several processes start at once: a transaction-scoped advisory lock per
 * schema lets one migrate while the others wait, then find nothing left to do. All versions commit
 * together with their records. Returns the versions and the tenant the rows from before tenants
 * went to (version 10).
 *
 * Since version 10 the tenant tables have forced row-level security: a later migration that reads or
 * writes their rows must not silently see none (an owner that is not a superuser sees only what a
 * policy lets it), so row_security is off here and such a statement fails instead, unless the owner
 * bypasses row-level security.
 */
export async function migrateSchema(
  client: pg.ClientBase,
  schema: string,
  settings: MigrationSettings,
): Promise<{ from: number; to: number; migratedTenant: string }> {
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey(schema)]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await client.query(`SET LOCAL search_path TO ${quoteIdentifier(schema)}`);
    await client.query(`SELECT set_config('provisio.default_tenant', $1, true), set_config('provisio.tenant_role', $2, true)`, [
      settings.defaultTenant,
      settings.tenantRole,
    ]);
    await client.query('SET LOCAL row_security = off');
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    const from = rows[0]?.version ?? 0;
    const newest = MIGRATIONS[MIGRATIONS.length - 1].version;
    if (from > newest)
      throw new Error(
        `the database schema "${schema}" is at version ${from}, newer than this Provisio knows (${newest}); upgrade Provisio`,
      );
    for (const migration of MIGRATIONS.filter((m) => m.version > from)) {
      for (const statement of migration.statements) await client.query(statement);
      await client.query('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [
        migration.version,
        migration.description,
      ]);
    }
    const { rows: tenant } = await client.query<{ value: string }>(`SELECT value FROM store_settings WHERE key = 'default_tenant'`);
    await client.query('COMMIT');
    return { from, to: newest, migratedTenant: tenant[0].value };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** A stable 63-bit key for the schema's advisory lock. */
function lockKey(schema: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(`provisio.migrate.${schema}`)) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return BigInt.asIntN(64, hash).toString();
}
