import { sign } from 'node:crypto';

export interface JwtBearerClaims {
  clientId: string;
  username: string;
  audience: string;
  nowMs: number;
}

/** Salesforce accepts assertions valid for at most a few minutes; three is its documented example. */
const LIFETIME_SECONDS = 180;

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The RS256 assertion of the OAuth 2.0 JWT bearer flow (RFC 7523): iss client id, sub username, aud login URL. */
export function jwtBearerAssertion(claims: JwtBearerClaims, privateKeyPem: string): string {
  const payload = {
    iss: claims.clientId,
    sub: claims.username,
    aud: claims.audience,
    exp: Math.floor(claims.nowMs / 1000) + LIFETIME_SECONDS,
  };
  const signed = `${encode({ alg: 'RS256' })}.${encode(payload)}`;
  return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), privateKeyPem).toString('base64url')}`;
}
