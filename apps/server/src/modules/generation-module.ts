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
/** What every refused SCIM request beneath /t/ answers, whatever the reason: it must not tell a tenant from an unknown domain. */
const TENANT_REFUSAL = 'authentication required: send a bearer token or HTTP basic credentials';

export interface GenerationModuleOptions {
  /**
   * A tenant other than the default one: a 401 never says why (no credentials configured, wrong issuer, unknown
   * token), so its answers match those for a domain that is no tenant.
   */
  uniformRefusals?: boolean;
}

export function generationModule(manifest: Manifest, options: GenerationModuleOptions = {}): ContainerModule {
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
          refusal: TENANT_REFUSAL,
        });
        return async (header, request) => {
          const outcome = await authenticator.authenticate(header, request);
          if (outcome.ok) return outcome.principal;
          if (options.uniformRefusals && outcome.status === 401) return uniformRefusal();
          return { status: outcome.status, detail: outcome.message, headers: outcome.headers };
        };
      })
      .inSingletonScope();
  });
}

const uniformRefusal = () => ({
  status: 401 as const,
  detail: TENANT_REFUSAL,
  headers: { 'WWW-Authenticate': 'Bearer realm="provisio-scim", Basic realm="provisio-scim"' },
});

/**
 * For a domain beneath /t/ that is no tenant: SCIM routes whose every request is refused as a tenant refuses a wrong
 * credential (loaded into a child of the default tenant's container, whose services it never reaches).
 */
export function unknownTenantModule(defaultTenant: Manifest): ContainerModule {
  // Tenants serve the WSO2 paths too (tenantManifests): so does an unknown domain.
  const manifest: Manifest = { ...defaultTenant, inbound: { scim: { ...defaultTenant.inbound.scim, aliases: ['wso2'] } } };
  return new ContainerModule(({ bind }) => {
    bind(asServiceId(TOKENS.Manifest)).toConstantValue(manifest);
    bind(asServiceId(SCIM_AUTHENTICATOR)).toConstantValue(() => uniformRefusal());
  });
}
