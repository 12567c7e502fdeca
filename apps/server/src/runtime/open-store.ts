import { isAbsolute, resolve } from 'node:path';
import type { Manifest, Store } from '@provisio/core';
import { SqliteStore } from '@provisio/store-sqlite';

/** Opens the manifest's store. Relative SQLite paths are relative to the manifest's folder. */
export function openStore(manifest: Manifest, baseDir: string): { store: Store; sqlitePath?: string } {
  const config = manifest.store;
  if (config.type === 'sqlite') {
    const path = config.path === ':memory:' || isAbsolute(config.path) ? config.path : resolve(baseDir, config.path);
    return { store: SqliteStore.open({ path }), sqlitePath: path };
  }
  throw new Error('store.type "postgres" is not available in this build yet; use store.type "sqlite"');
}
