import type { IncomingMessage } from 'node:http';
import type { Logger, z } from '@provisio/core';
import type { authSchema } from '@provisio/core/engine';
import { verifiedClientSubject } from './client-certificate.js';
import { CredentialVerifier, type Principal } from './credential-verifier.js';
import { FailedAuthThrottle } from './failed-auth-throttle.js';
import { JwtVerifier, looksLikeJwt, unverifiedIssuer, type JwtFailure, type JwtResult, type KeySets } from './jwt-verifier.js';

type AuthConfig = z.output<typeof authSchema>;

/** A refused request: its status, the message for the error body, and the headers to send (WWW-Authenticate, Retry-After). */
interface AuthRefusal {
  status: 401 | 403 | 429 | 503;
  message: string;
  headers: Record<string, string>;
}

export type AuthOutcome = { ok: true; principal: Principal } | ({ ok: false } & AuthRefusal);

type FailureReason = JwtFailure | 'wrong credentials' | 'unknown token' | 'unsupported scheme' | 'no credentials';

/**
 * Everything that decides who a request is, for one auth block (SCIM inbound
 * or admin): static bearer and basic credentials, JWTs of the configured
 * issuers, and the failed-attempt throttle per remote address. Each failure
 * is logged once, with the address and the reason, never the credential.
 */
export class Authenticator {
  private readonly secrets: CredentialVerifier;
  private readonly jwts: JwtVerifier[];
  private readonly throttle: FailedAuthThrottle;
  private readonly logger: Logger;
  private readonly challenge: string;

  private readonly refusal: string;

  /**
   * `basicChallenge`: also offer Basic in WWW-Authenticate (not for the admin API: browsers would pop up a password
   * dialog). `refusal`: the message of a plain 401 (missing or wrong static credentials).
   */
  constructor(
    config: AuthConfig,
    private readonly realm: string,
    deps: { keySets: KeySets; logger: Logger; basicChallenge?: boolean; refusal?: string; now?: () => number },
  ) {
    this.refusal = deps.refusal ?? 'missing or invalid credentials';
    this.challenge = authChallenge(realm, deps.basicChallenge === true);
    this.secrets = new CredentialVerifier(config);
    this.jwts = config.jwt.map((jwt) => new JwtVerifier(jwt, deps.keySets));
    this.throttle = new FailedAuthThrottle({
      limit: config.failedAttempts.limit,
      windowMs: config.failedAttempts.windowSeconds * 1000,
      ...(deps.now ? { now: deps.now } : {}),
    });
    this.logger = deps.logger.child({ component: 'auth', realm });
  }

  get configured(): boolean {
    return this.secrets.configured || this.jwts.length > 0;
  }

  /**
   * Who the credentials are, when this block accepts them; undefined otherwise. Nothing is logged or counted:
   * for telling another tenant's credential from a guess (see TenantAdminGate).
   */
  async recognizes(authorization: string | undefined, request?: IncomingMessage): Promise<Principal | undefined> {
    if (!authorization) return undefined;
    const principal = this.secrets.verify(authorization, verifiedClientSubject(request?.socket));
    if (principal) return principal;
    const [scheme = '', value = ''] = authorization.trim().split(/\s+/, 2);
    if (scheme.toLowerCase() !== 'bearer' || this.jwts.length === 0 || !looksLikeJwt(value)) return undefined;
    const result = await this.verifyJwt(value);
    return result.ok ? result.principal : undefined;
  }

  async authenticate(authorization: string | undefined, request?: IncomingMessage): Promise<AuthOutcome> {
    const address = remoteAddress(request);
    const retryAfter = this.throttle.retryAfterSeconds(address);
    if (retryAfter !== undefined) {
      return this.refuse(429, 'too many failed authentications from this address; try again later', { 'Retry-After': String(retryAfter) });
    }
    const principal = this.secrets.verify(authorization, verifiedClientSubject(request?.socket));
    if (principal) return this.accept(address, principal);

    const [scheme = '', value = ''] = (authorization ?? '').trim().split(/\s+/, 2);
    if (!authorization) {
      // Not counted towards the throttle: asking without credentials guesses nothing.
      this.logger.info({ remoteAddress: address, reason: 'no credentials' }, 'authentication failed');
      return this.refuse(401, this.unauthenticatedMessage());
    }
    if (scheme.toLowerCase() !== 'bearer' || this.jwts.length === 0 || !looksLikeJwt(value)) {
      const reason: FailureReason = ['bearer', 'basic'].includes(scheme.toLowerCase())
        ? scheme.toLowerCase() === 'bearer'
          ? 'unknown token'
          : 'wrong credentials'
        : 'unsupported scheme';
      return this.fail(address, scheme, reason, 401);
    }
    const result = await this.verifyJwt(value);
    if (result.ok) return this.accept(address, result.principal);
    if (result.reason === 'insufficient scope') {
      // A genuine token, only not allowed here: logged, but not counted as guessing.
      const scopes = (result.missingScopes ?? []).join(' ');
      this.logger.warn({ remoteAddress: address, scheme: 'bearer', reason: result.reason, missingScopes: scopes }, 'authentication failed');
      return this.refuse(403, `the token lacks the scope ${scopes}`, {
        'WWW-Authenticate': `Bearer realm="${this.realm}", error="insufficient_scope", scope="${scopes}"`,
      });
    }
    if (result.reason === 'key set unavailable') {
      // Not the client's fault: not counted against its address, and a 503 tells SCIM clients to retry later.
      this.logger.error({ remoteAddress: address, scheme: 'bearer', reason: result.reason }, 'authentication impossible: JWKS not fetched');
      return this.refuse(503, "the identity provider's keys could not be fetched to check the token; try again later", {
        'Retry-After': '30',
      });
    }
    return this.fail(address, scheme, result.reason, 401, `invalid token: ${result.reason}`, {
      'WWW-Authenticate': `Bearer realm="${this.realm}", error="invalid_token", error_description="${result.reason}"`,
    });
  }

  /** Verifies with the credentials of the token's (unverified) issuer; with several for one issuer, the first that accepts it wins. */
  private async verifyJwt(token: string): Promise<JwtResult> {
    const issuer = unverifiedIssuer(token);
    if (issuer === undefined) return { ok: false, reason: 'malformed token' };
    const candidates = this.jwts.filter((jwt) => jwt.issuer === issuer);
    if (candidates.length === 0) return { ok: false, reason: 'wrong issuer' };
    let first: JwtResult | undefined;
    for (const candidate of candidates) {
      const result = await candidate.verify(token);
      if (result.ok) return result;
      first ??= result;
    }
    return first ?? { ok: false, reason: 'wrong issuer' };
  }

  private accept(address: string, principal: Principal): AuthOutcome {
    this.throttle.recordSuccess(address);
    return { ok: true, principal };
  }

  private fail(
    address: string,
    scheme: string,
    reason: FailureReason,
    status: 401,
    message = this.unauthenticatedMessage(),
    headers: Record<string, string> = {},
  ): AuthOutcome {
    // The scheme is logged only when it is one we know: an arbitrary first word of the header could be the secret itself.
    const known = ['bearer', 'basic'].includes(scheme.toLowerCase()) ? scheme.toLowerCase() : 'other';
    this.logger.warn({ remoteAddress: address, scheme: known, reason }, 'authentication failed');
    if (this.throttle.recordFailure(address).blockedNow) {
      this.logger.warn(
        { remoteAddress: address, limit: this.throttle.limit, windowSeconds: this.throttle.windowSeconds },
        'too many failed authentications: address refused until its window ends',
      );
    }
    return this.refuse(status, message, headers);
  }

  private unauthenticatedMessage(): string {
    return this.configured ? this.refusal : `no credentials are configured for ${this.realm}; add some to the manifest`;
  }

  private refuse(status: 401 | 403 | 429 | 503, message: string, headers: Record<string, string> = {}): AuthOutcome {
    return { ok: false, status, message, headers: { 'WWW-Authenticate': this.challenge, ...headers } };
  }
}

/** The client's address as express sees it (X-Forwarded-For only from server.trustProxy peers), else the socket's. */
function remoteAddress(request: IncomingMessage | undefined): string {
  return (request as (IncomingMessage & { ip?: string }) | undefined)?.ip ?? request?.socket?.remoteAddress ?? 'unknown';
}

/** The WWW-Authenticate challenge of a realm: Bearer, and Basic where browsers' password dialogs do no harm. */
export function authChallenge(realm: string, basic: boolean): string {
  return `Bearer realm="${realm}"${basic ? `, Basic realm="${realm}"` : ''}`;
}
