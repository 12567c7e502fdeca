import { isAbsolute, resolve } from 'node:path';
import { ContainerModule } from 'inversify';
import { asServiceId, TOKENS } from '@provisio/core';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

/** What the module passes to SqliteStore.open besides the manifest's file. */
export type SqliteStoreModuleOptions = Pick<SqliteStoreOptions, 'defaultTenant'>;

/**
 * The Store for a manifest with `store.type: sqlite`: opened on first use from
 * `store.path` (relative to the manifest's folder), bound to `defaultTenant`
 * (DEFAULT_TENANT unless given). Binds TOKENS.Store and TOKENS.StoreDescription
 * (the file, which also locates the password key file).
 * Needs TOKENS.Manifest and TOKENS.ManifestDir. Whoever resolves the store closes it.
 */
export function sqliteStoreModuleWith(options: SqliteStoreModuleOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(asServiceId(TOKENS.StoreDescription)).toDynamicValue((context) => {
      const config = context.get(asServiceId(TOKENS.Manifest)).store;
      if (config.type !== 'sqlite') throw new Error(`sqliteStoreModule is loaded but store.type is "${config.type}"`);
      const path =
        config.path === ':memory:' || isAbsolute(config.path)
          ? config.path
          : resolve(context.get(asServiceId(TOKENS.ManifestDir)), config.path);
      return { label: path, file: path };
    });
    bind(asServiceId(TOKENS.Store)).toDynamicValue((context) =>
      SqliteStore.open({ path: context.get(asServiceId(TOKENS.StoreDescription)).file as string, defaultTenant: options.defaultTenant }),
    );
  });
}

/** sqliteStoreModuleWith the default options: the store is bound to DEFAULT_TENANT. */
export const sqliteStoreModule = sqliteStoreModuleWith({});
