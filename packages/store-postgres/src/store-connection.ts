import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { migrateSchema, quoteIdentifier, type MigrationSettings } from './migrate-schema.js';

/** How the store reaches PostgreSQL (the connection part of PostgresStoreOptions). */
export interface ConnectionOptions {
  url: string;
  pool?: { max?: number; idleTimeoutMs?: number; connectionTimeoutMs?: number };
}

export function queueSchemaOf(schema: string): string {
  return `${schema}_queue`;
}

/** A value of a startup `-c name=value` option: PostgreSQL splits them at white space, `\` escapes. */
const startupValue = (value: string) => value.replace(/[\\\s]/g, (ch) => `\\${ch}`);

/**
 * The store's pool. Its connections log in as the tenant role (see tenant-session.ts): a statement that
 * names no tenant sees no tenant's rows, and a connection on which the role cannot be taken fails
 * rather than run as the owner.
 */
export function createPool(options: ConnectionOptions, schema: string, tenantRole: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.pool?.max ?? 10,
    idleTimeoutMillis: options.pool?.idleTimeoutMs ?? 30000,
    connectionTimeoutMillis: options.pool?.connectionTimeoutMs ?? 10000,
    // Every statement of ours names tables without a schema.
    options: `-c search_path=${quoteIdentifier(schema)} -c role=${startupValue(tenantRole)}`,
    application_name: 'provisio',
  });
  // An idle connection that breaks (database restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

/** pg-boss, on connections of its own as the owner (its tables have no tenants). */
export function createBoss(options: ConnectionOptions, schema: string, maintenance: boolean): PgBoss {
  return new PgBoss({
    connectionString: options.url,
    schema: queueSchemaOf(schema),
    max: 3,
    application_name: 'provisio-queue',
    supervise: maintenance,
    schedule: false,
    migrate: true,
  });
}

/** Migrates on a connection of its own, as the role of the URL (the schema's owner), not as the tenant role. */
export async function migrateAsOwner(
  options: ConnectionOptions,
  schema: string,
  settings: MigrationSettings,
): Promise<{ from: number; to: number; migratedTenant: string }> {
  const client = new pg.Client({
    connectionString: options.url,
    connectionTimeoutMillis: options.pool?.connectionTimeoutMs ?? 10000,
    application_name: 'provisio-migrate',
  });
  // A connection lost mid-migration fails the migration, not the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await migrateSchema(client, schema, settings);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Connection errors name the server, never the URL (it may carry a password). */
export function describeConnectionError(error: unknown, url: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  let where = 'the PostgreSQL server';
  try {
    const parsed = new URL(url);
    where = `PostgreSQL at ${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    // not a URL: keep the generic name
  }
  const scrubbed = message.split(url).join('<store.url>');
  const wrapped = new Error(`could not open the store (${where}): ${scrubbed}`);
  (wrapped as { code?: string }).code = (error as { code?: string }).code;
  return wrapped;
}
