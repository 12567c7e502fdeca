import { ContainerModule } from 'inversify';
import { asServiceId, token, TOKENS } from '@provisio/core';
import { type Manifest } from '@provisio/core/engine';
import { SCIM_AUTHENTICATOR } from '@provisio/scim-inbound';
import { Authenticator } from '../auth/authenticator.js';
import { KeySets } from '../auth/jwt-verifier.js';

/** The admin API's credentials (`admin.auth`); plugin routes that are not public sit behind them too. */
export const ADMIN_AUTHENTICATOR = token<Authenticator>('server.AdminAuthenticator');

/**
 * One configuration's own values, for its generation's container (a child of
 * the server's): its manifest, which hides the server's first one, and the
 * credentials of SCIM inbound and of the admin API (a reload may change both).
 * Each block has one Authenticator (one failed-attempt throttle); both share the
 * JWKS caches, so one provider's key set is fetched once.
 */
export function generationModule(manifest: Manifest): ContainerModule {
  const keySets = new KeySets();
  return new ContainerModule(({ bind }) => {
    bind(asServiceId(TOKENS.Manifest)).toConstantValue(manifest);
    bind(asServiceId(ADMIN_AUTHENTICATOR))
      .toDynamicValue(
        (context) => new Authenticator(manifest.admin.auth, 'provisio-admin', { keySets, logger: context.get(asServiceId(TOKENS.Logger)) }),
      )
      .inSingletonScope();
    bind(asServiceId(SCIM_AUTHENTICATOR))
      .toDynamicValue((context) => {
        const authenticator = new Authenticator(manifest.inbound.scim.auth, 'provisio-scim', {
          keySets,
          logger: context.get(asServiceId(TOKENS.Logger)),
          basicChallenge: true,
          refusal: 'authentication required: send a bearer token or HTTP basic credentials',
        });
        return async (header, request) => {
          const outcome = await authenticator.authenticate(header, request);
          return outcome.ok ? outcome.principal : { status: outcome.status, detail: outcome.message, headers: outcome.headers };
        };
      })
      .inSingletonScope();
  });
}
