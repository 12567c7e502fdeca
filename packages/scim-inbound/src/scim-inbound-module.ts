import { ContainerModule, type ResolutionContext } from 'inversify';
import { asServiceId, token, TOKENS, type Token } from '@provisio/core';
import type { HttpHandler } from '@provisio/core';
import type { Manifest } from '@provisio/core/engine';
import { SCIM_ALIAS_PATHS, ScimRouters, type ScimRouterOptions } from './scim-router.js';

/** Checks an Authorization header for SCIM inbound; the host binds it from the manifest's `inbound.scim.auth`. */
export const SCIM_AUTHENTICATOR: Token<ScimRouterOptions['authenticate']> = token('scim-inbound.Authenticator');

/**
 * Optional: where the host mounts this generation's SCIM paths beneath the root (a tenant's `/t/<domain>`), so the
 * absolute URLs written from `server.publicUrl` (meta.location) carry it. Absent: the paths are at the root.
 */
export const SCIM_PATH_PREFIX: Token<string> = token('scim-inbound.PathPrefix');

/**
 * Optional: the SCIM routes shared by every container beneath the one that binds it (a server's tenants and
 * generations), each container's mounts serving its own endpoint through them. Absent: each container builds its own.
 */
export const SCIM_ROUTERS: Token<ScimRouters> = token('scim-inbound.Routers');

async function optionsAt(context: ResolutionContext, manifest: Manifest, path: string): Promise<ScimRouterOptions> {
  return {
    identities: await context.getAsync(asServiceId(TOKENS.IdentityService)),
    store: await context.getAsync(asServiceId(TOKENS.Store)),
    authenticate: context.get(asServiceId(SCIM_AUTHENTICATOR)),
    schemas: manifest.inbound.scim.schemas,
    // server.publicUrl (already without a trailing slash) + the mount path; else from each request.
    ...(manifest.server.publicUrl !== undefined
      ? { baseUrl: `${manifest.server.publicUrl}${context.get(asServiceId(SCIM_PATH_PREFIX), { optional: true }) ?? ''}${path}` }
      : {}),
    logger: context.get(asServiceId(TOKENS.Logger)),
    bodyLimit: manifest.server.bodyLimit,
  };
}

const routersOf = (context: ResolutionContext) => context.get(asServiceId(SCIM_ROUTERS), { optional: true }) ?? new ScimRouters();

// An alias that is off passes its path on (to the server's 404); mounted anyway, so a reload can switch it.
const passOn: HttpHandler = (_req, _res, next) => next();

/**
 * SCIM inbound for a generation's container: one HttpMount at the manifest's
 * `inbound.scim.basePath` (SCIM 2.0, and 1.1 under /v1), and one per alias path
 * (`inbound.scim.aliases`), writing through the generation's IdentityService.
 * Needs TOKENS.Manifest, TOKENS.IdentityService, TOKENS.Store, TOKENS.Logger and SCIM_AUTHENTICATOR; SCIM_ROUTERS if bound.
 */
export const scimInboundModule = new ContainerModule(({ bind }) => {
  bind(asServiceId(TOKENS.HttpMount)).toDynamicValue(async (context) => {
    const manifest = context.get(asServiceId(TOKENS.Manifest));
    const path = manifest.inbound.scim.basePath;
    const router = routersOf(context).serving(await optionsAt(context, manifest, path));
    return { path, router, parseJson: false };
  });
  for (const [alias, paths] of Object.entries(SCIM_ALIAS_PATHS)) {
    for (const aliasPath of paths) {
      bind(asServiceId(TOKENS.HttpMount)).toDynamicValue(async (context) => {
        const manifest = context.get(asServiceId(TOKENS.Manifest));
        const on = (manifest.inbound.scim.aliases as readonly string[]).includes(alias);
        const router = on ? routersOf(context).serving(await optionsAt(context, manifest, aliasPath.path), aliasPath) : passOn;
        return { path: aliasPath.path, router, parseJson: false };
      });
    }
  }
});
