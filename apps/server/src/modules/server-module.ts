import { ContainerModule } from 'inversify';
import { asServiceId, systemClock, TOKENS, type Logger } from '@provisio/core';
import { PasswordSealer, RateGates, type Manifest } from '@provisio/core/engine';
import { SCIM_ROUTERS, ScimRouters } from '@provisio/scim-inbound';
import { postgresStoreModuleWith } from '@provisio/store-postgres';
import { sqliteStoreModuleWith } from '@provisio/store-sqlite';
import { loadPasswordKey } from '../runtime/password-key.js';

export interface ServerModuleOptions {
  /** The manifest the server starts with: its store, server and security sections hold for the server's life. */
  manifest: Manifest;
  manifestDir: string;
  logger: Logger;
}

/**
 * What lives as long as the server process (the server's container): the first
 * manifest, logger, clock, rate gates, the SCIM routes and the password sealer. The sealer's key comes from
 * `security.passwordKey`, else a key file beside the SQLite file.
 */
export function serverModule(options: ServerModuleOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(asServiceId(TOKENS.Manifest)).toConstantValue(options.manifest);
    bind(asServiceId(TOKENS.ManifestDir)).toConstantValue(options.manifestDir);
    bind(asServiceId(TOKENS.Logger)).toConstantValue(options.logger);
    bind(asServiceId(TOKENS.Clock)).toConstantValue(systemClock);
    // One per process: every tenant's worker takes from the same bucket of a shared rateLimit.key.
    bind(asServiceId(TOKENS.RateGates)).toConstantValue(new RateGates(systemClock));
    // One set of SCIM routes for every tenant and generation: each mounts them serving its own endpoint.
    bind(asServiceId(SCIM_ROUTERS)).toConstantValue(new ScimRouters());
    bind(asServiceId(TOKENS.PasswordSealer)).toDynamicValue(
      (context) =>
        new PasswordSealer(loadPasswordKey(options.manifest.security.passwordKey, context.get(asServiceId(TOKENS.StoreDescription)).file)),
    );
  });
}

/** The store module the manifest's `store.type` names, bound to its default tenant (rows of other tenants are reached by Store.forTenant). */
export function storeModuleFor(manifest: Manifest): ContainerModule {
  const options = { defaultTenant: manifest.defaultTenant };
  return manifest.store.type === 'postgres' ? postgresStoreModuleWith(options) : sqliteStoreModuleWith(options);
}
