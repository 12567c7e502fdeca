import { isAbsolute, resolve } from 'node:path';
import type { Logger, Manifest, Store } from '@provisio/core';
import { PostgresStore, type PostgresStoreOptions } from '@provisio/store-postgres';
import { SqliteStore } from '@provisio/store-sqlite';

export interface OpenedStore {
  store: Store;
  /** The SQLite file (absolute), when the store is SQLite. */
  sqlitePath?: string;
  /** What to log as the store: a path, or PostgreSQL's host/database (never the URL: it may hold a password). */
  description: string;
}

/** Opens the manifest's store. Relative SQLite paths are relative to the manifest's folder. */
export async function openStore(manifest: Manifest, baseDir: string, logger: Logger): Promise<OpenedStore> {
  const config = manifest.store;
  if (config.type === 'sqlite') {
    const path = config.path === ':memory:' || isAbsolute(config.path) ? config.path : resolve(baseDir, config.path);
    return { store: SqliteStore.open({ path }), sqlitePath: path, description: path };
  }
  const store = await PostgresStore.open({ ...postgresOptions(manifest), onError: (error) => logger.warn({ err: error }, 'job queue background error (pg-boss retries)') });
  return { store, description: `postgres ${describeUrl(config.url)} schema ${config.schema}` };
}

export function postgresOptions(manifest: Manifest): PostgresStoreOptions {
  const config = manifest.store;
  if (config.type !== 'postgres') throw new Error('store.type is not "postgres"');
  return { url: config.url, schema: config.schema, pool: config.pool };
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(store.url)';
  }
}
