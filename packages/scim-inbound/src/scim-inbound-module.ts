import { ContainerModule } from 'inversify';
import { asServiceId, token, TOKENS, type Token } from '@provisio/core';
import { scimRouter, type ScimRouterOptions } from './scim-router.js';

/** Checks an Authorization header for SCIM inbound; the host binds it from the manifest's `inbound.scim.auth`. */
export const SCIM_AUTHENTICATOR: Token<ScimRouterOptions['authenticate']> = token('scim-inbound.Authenticator');

/**
 * SCIM inbound for a generation's container: one HttpMount at the manifest's
 * `inbound.scim.basePath` (SCIM 2.0, and 1.1 under /v1), writing through the
 * generation's IdentityService. Needs TOKENS.Manifest, TOKENS.IdentityService,
 * TOKENS.Store, TOKENS.Logger and SCIM_AUTHENTICATOR.
 */
export const scimInboundModule = new ContainerModule(({ bind }) => {
  bind(asServiceId(TOKENS.HttpMount)).toDynamicValue(async (context) => {
    const manifest = context.get(asServiceId(TOKENS.Manifest));
    const router = scimRouter({
      identities: await context.getAsync(asServiceId(TOKENS.IdentityService)),
      store: await context.getAsync(asServiceId(TOKENS.Store)),
      authenticate: context.get(asServiceId(SCIM_AUTHENTICATOR)),
      bodyLimit: manifest.server.bodyLimit,
      // server.publicUrl (already without a trailing slash) + the mount path; else from each request.
      ...(manifest.server.publicUrl !== undefined ? { baseUrl: `${manifest.server.publicUrl}${manifest.inbound.scim.basePath}` } : {}),
      logger: context.get(asServiceId(TOKENS.Logger)),
    });
    return { path: manifest.inbound.scim.basePath, router, parseJson: false };
  });
});
