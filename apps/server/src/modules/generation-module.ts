import { ContainerModule, type ResolutionContext } from 'inversify';
import { asServiceId, token, TOKENS, type Logger } from '@provisio/core';
import { authSchema, tenantManifests, type Manifest } from '@provisio/core/engine';
import type { TenantDirectory } from '../admin/tenant-directory.js';
import { SCIM_AUTHENTICATOR } from '@provisio/scim-inbound';
import { authChallenge, Authenticator } from '../auth/authenticator.js';
import { KeySets } from '../auth/jwt-verifier.js';
import { TenantAdminGate, type AdminAuthenticator, type AdminOutcome } from '../auth/tenant-admin-gate.js';

/** The admin API's credentials (`admin.auth`); plugin routes that are not public sit behind them too. */
export const ADMIN_AUTHENTICATOR = token<AdminAuthenticator>('server.AdminAuthenticator');

/** The default tenant's admin API only: every tenant of the configuration (GET /tenants). */
export const TENANT_DIRECTORY = token<TenantDirectory>('server.TenantDirectory');

type AuthConfig = Manifest['admin']['auth'];

/** What every refused SCIM request beneath /t/ answers, whatever the reason: it must not tell a tenant from an unknown domain. */
const SCIM_REFUSAL = 'authentication required: send a bearer token or HTTP basic credentials';
const ADMIN_REFUSAL = 'missing or invalid credentials';

export interface GenerationModuleOptions {
  /**
   * A tenant beneath /t/<domain>: a 401 never says why (no credentials configured, wrong issuer, unknown token), so
   * its answers match those for a domain that is no tenant; and the super admin's credentials open its admin API.
   */
  tenantOf?: { superAdmin: AuthConfig };
  /** Other tenants' admin credentials: answered 404 here, not 401 (a tenant admin learns nothing of other tenants). */
  otherAdmins?: readonly AuthConfig[];
  /** The default tenant's part: the whole manifest, whose tenants its admin API lists. */
  directoryOf?: Manifest;
}

/**
 * One configuration's own values, for its generation's container (a child of
 * the server's): its manifest, which hides the server's first one, and the
 * credentials of SCIM inbound and of the admin API (a reload may change both).
 * Each block has one Authenticator (one failed-attempt throttle); both share the
 * JWKS caches, so one provider's key set is fetched once.
 */
export function generationModule(manifest: Manifest, options: GenerationModuleOptions = {}): ContainerModule {
  const keySets = new KeySets();
  const block = (context: ResolutionContext, auth: AuthConfig) =>
    new Authenticator(auth, 'provisio-admin', { keySets, logger: context.get(asServiceId(TOKENS.Logger)) });
  return new ContainerModule(({ bind }) => {
    bind(asServiceId(TOKENS.Manifest)).toConstantValue(manifest);
    const whole = options.directoryOf;
    if (whole)
      bind(asServiceId(TENANT_DIRECTORY)).toDynamicValue(async (context) => ({
        tenants: tenantManifests(whole),
        store: await context.getAsync(asServiceId(TOKENS.Store)),
      }));
    bind(asServiceId(ADMIN_AUTHENTICATOR))
      .toDynamicValue((context) => {
        const own = block(context, manifest.admin.auth);
        const others = (options.otherAdmins ?? []).map((auth) => block(context, auth));
        if (!options.tenantOf && others.length === 0) return own;
        const gate = new TenantAdminGate({
          own,
          superAdmin: options.tenantOf && block(context, options.tenantOf.superAdmin),
          others,
          refuse: own,
        });
        return options.tenantOf ? uniformAdmin(gate) : gate;
      })
      .inSingletonScope();
    bind(asServiceId(SCIM_AUTHENTICATOR))
      .toDynamicValue((context) => {
        const authenticator = new Authenticator(manifest.inbound.scim.auth, 'provisio-scim', {
          keySets,
          logger: context.get(asServiceId(TOKENS.Logger)),
          basicChallenge: true,
          refusal: SCIM_REFUSAL,
        });
        return async (header, request) => {
          const outcome = await authenticator.authenticate(header, request);
          if (outcome.ok) return outcome.principal;
          if (options.tenantOf && outcome.status === 401) return uniformScimRefusal();
          return { status: outcome.status, detail: outcome.message, headers: outcome.headers };
        };
      })
      .inSingletonScope();
  });
}

const uniformScimRefusal = () => ({
  status: 401 as const,
  detail: SCIM_REFUSAL,
  headers: { 'WWW-Authenticate': authChallenge('provisio-scim', true) },
});

const uniformAdminRefusal = (): AdminOutcome => ({
  ok: false,
  status: 401,
  message: ADMIN_REFUSAL,
  headers: { 'WWW-Authenticate': authChallenge('provisio-admin', false) },
});

/** A tenant's admin gate whose 401s all read alike (see GenerationModuleOptions.tenantOf). */
const uniformAdmin = (gate: AdminAuthenticator): AdminAuthenticator => ({
  authenticate: async (header, request) => {
    const outcome = await gate.authenticate(header, request);
    return !outcome.ok && outcome.status === 401 ? uniformAdminRefusal() : outcome;
  },
});

/**
 * For a domain beneath /t/ that is no tenant: the default tenant's SCIM and admin routes (loaded into a child of its
 * container, whose services they never reach) with every request refused as a tenant refuses: 401 for a guess, 404
 * for any admin credential Provisio knows (`admins`: the super admin's and every tenant's).
 */
export function unknownTenantModule(defaultTenant: Manifest, admins: readonly AuthConfig[]): ContainerModule {
  // Tenants serve the WSO2 paths too (tenantManifests): so does an unknown domain.
  const manifest: Manifest = { ...defaultTenant, inbound: { scim: { ...defaultTenant.inbound.scim, aliases: ['wso2'] } } };
  return new ContainerModule(({ bind }) => {
    bind(asServiceId(TOKENS.Manifest)).toConstantValue(manifest);
    // A block that knows no credential: every attempt fails, and is counted per address as a tenant counts it.
    const nobody = { ...authSchema.parse({}), failedAttempts: defaultTenant.inbound.scim.auth.failedAttempts };
    bind(asServiceId(SCIM_AUTHENTICATOR))
      .toDynamicValue((context) => {
        const logger: Logger = context.get(asServiceId(TOKENS.Logger));
        const authenticator = new Authenticator(nobody, 'provisio-scim', { keySets: new KeySets(), logger, basicChallenge: true });
        return async (header, request) => {
          const outcome = await authenticator.authenticate(header, request);
          if (outcome.ok || outcome.status === 401) return uniformScimRefusal();
          return { status: outcome.status, detail: outcome.message, headers: outcome.headers };
        };
      })
      .inSingletonScope();
    bind(asServiceId(ADMIN_AUTHENTICATOR))
      .toDynamicValue((context) => {
        const keySets = new KeySets();
        const logger: Logger = context.get(asServiceId(TOKENS.Logger));
        const blocks = admins.map((auth) => new Authenticator(auth, 'provisio-admin', { keySets, logger }));
        const refuse = new Authenticator({ ...nobody, failedAttempts: defaultTenant.admin.auth.failedAttempts }, 'provisio-admin', {
          keySets,
          logger,
        });
        return uniformAdmin(new TenantAdminGate({ others: blocks, refuse }));
      })
      .inSingletonScope();
  });
}
