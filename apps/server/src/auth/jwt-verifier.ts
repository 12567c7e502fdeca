import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { type z } from '@provisio/core';
import { JWT_ALGORITHMS, type jwtCredentialSchema } from '@provisio/core/engine';
import type { Principal } from './credential-verifier.js';

type JwtConfig = z.output<typeof jwtCredentialSchema>;

/** Why a token was refused, in words fit for a log line and the error body (never a part of the token). */
export type JwtFailure =
  | 'malformed token'
  | 'wrong issuer'
  | 'wrong audience'
  | 'expired'
  | 'not yet valid'
  | 'missing claim'
  | 'algorithm not allowed'
  | 'unknown key id'
  | 'bad signature'
  | 'key set unavailable'
  | 'insufficient scope';

export type JwtResult = { ok: true; principal: Principal } | { ok: false; reason: JwtFailure; missingScopes?: string[] };

/** Three base64url parts: worth verifying as a JWT rather than comparing as a static token. */
export function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value);
}

/** The key sets of one configuration, one per JWKS URL, so SCIM and admin blocks trusting the same provider share its cache and refresh bound. */
export class KeySets {
  private readonly sets = new Map<string, JWTVerifyGetKey>();

  get(jwksUri: string, refreshSeconds: number): JWTVerifyGetKey {
    const key = `${refreshSeconds} ${jwksUri}`;
    let set = this.sets.get(key);
    if (!set) {
      // jose refetches on an unknown kid only after the cooldown: at most one fetch per refreshSeconds.
      set = createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: refreshSeconds * 1000, timeoutDuration: 5000 });
      this.sets.set(key, set);
    }
    return set;
  }
}

/** The scopes a token carries: `scope` (space-separated, RFC 8693) or `scp` (Entra ID: a string; Okta: an array). */
function grantedScopes(payload: JWTPayload): Set<string> {
  const scopes = new Set<string>();
  for (const claim of [payload.scope, payload.scp]) {
    const values = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(' ') : [];
    for (const value of values) if (typeof value === 'string' && value !== '') scopes.add(value);
  }
  return scopes;
}

/** jose's error codes as reasons; anything else (a fetch that failed) means the keys could not be had. */
function failureOf(error: unknown): JwtFailure {
  const { code, claim } = (error ?? {}) as { code?: string; claim?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'aud') return 'wrong audience';
      if (claim === 'iss') return 'wrong issuer';
      if (claim === 'nbf') return 'not yet valid';
      return 'missing claim';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'algorithm not allowed';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'unknown key id';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad signature';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_GENERIC':
      return 'malformed token';
    default:
      return 'key set unavailable';
  }
}

/**
 * Verifies a JWT against one `jwt` credential: signature (asymmetric algorithms
 * only, so an HS256 token "signed" with the public key is refused before any key
 * is looked at), issuer, audience, exp/nbf within the clock tolerance, then the
 * required scopes.
 */
export class JwtVerifier {
  readonly issuer: string;
  private readonly key: KeyObject | JWTVerifyGetKey;

  constructor(
    private readonly config: JwtConfig,
    keySets: KeySets,
  ) {
    this.issuer = config.issuer;
    this.key =
      config.publicKey !== undefined ? createPublicKey(config.publicKey) : keySets.get(config.jwksUri ?? '', config.jwksRefreshSeconds);
  }

  async verify(token: string): Promise<JwtResult> {
    let payload: JWTPayload;
    try {
      const options = {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: [...(this.config.algorithms ?? JWT_ALGORITHMS)],
        clockTolerance: this.config.clockToleranceSeconds,
        requiredClaims: ['exp'],
      };
      // Two calls rather than a union argument: jose types a key and a key-resolving function separately.
      payload = (typeof this.key === 'function' ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options))
        .payload;
    } catch (error) {
      return { ok: false, reason: failureOf(error) };
    }
    const granted = grantedScopes(payload);
    const missingScopes = this.config.requiredScopes.filter((scope) => !granted.has(scope));
    if (missingScopes.length > 0) return { ok: false, reason: 'insufficient scope', missingScopes };
    return { ok: true, principal: { name: this.config.name, readOnly: this.config.readOnly } };
  }
}

/** The unverified `iss` of a token, to pick which credential checks it; undefined when it is not a readable JWT. */
export function unverifiedIssuer(token: string): string | undefined {
  try {
    const { iss } = decodeJwt(token);
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}
