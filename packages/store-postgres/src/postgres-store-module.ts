import { ContainerModule } from 'inversify';
import { asServiceId, TOKENS } from '@provisio/core';
import { type Manifest } from '@provisio/core/engine';
import { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';

/** The PostgresStore options of a manifest with `store.type: postgres` (for `provisio migrate` too). */
export function postgresStoreOptions(manifest: Manifest): PostgresStoreOptions {
  const config = manifest.store;
  if (config.type !== 'postgres') throw new Error(`store.type is "${config.type}", not "postgres"`);
  return { url: config.url, schema: config.schema, pool: config.pool };
}

/** What the store module takes besides the manifest. */
export interface PostgresStoreModuleOptions {
  /** The tenant the store is bound to, and the one the migration to tenants gives existing rows (default `DEFAULT_TENANT`). */
  defaultTenant?: string;
}

/**
 * The Store for a manifest with `store.type: postgres`: connected, migrated and its
 * job queue started on first (async) use, bound to `options.defaultTenant`. Binds
 * TOKENS.Store and TOKENS.StoreDescription (host, database and schema: never the URL,
 * which may hold a password). Needs TOKENS.Manifest and TOKENS.Logger. Whoever resolves
 * the store closes it.
 */
export function postgresStoreModuleWith(options: PostgresStoreModuleOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(asServiceId(TOKENS.StoreDescription)).toDynamicValue((context) => {
      const store = postgresStoreOptions(context.get(asServiceId(TOKENS.Manifest)));
      return { label: `postgres ${describeUrl(store.url)} schema ${store.schema ?? 'provisio'}` };
    });
    bind(asServiceId(TOKENS.Store)).toDynamicValue((context) => {
      const logger = context.get(asServiceId(TOKENS.Logger));
      return PostgresStore.open({
        ...postgresStoreOptions(context.get(asServiceId(TOKENS.Manifest))),
        defaultTenant: options.defaultTenant,
        onError: (error) => logger.warn({ err: error }, 'job queue background error (pg-boss retries)'),
      });
    });
  });
}

/** The store module bound to the default tenant (`DEFAULT_TENANT`). */
export const postgresStoreModule = postgresStoreModuleWith({});

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(store.url)';
  }
}
