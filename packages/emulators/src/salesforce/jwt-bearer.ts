// Verification of the JWT bearer assertion (RFC 7523) the way Salesforce
// checks it: RS256 signature by the connected app's certificate, iss = client
// id, aud = login URL, sub = username, exp in the future.
import { type KeyObject, X509Certificate, createPublicKey, verify } from 'node:crypto';
import { OAuthError } from './errors.js';

interface JwtClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
}

export interface DecodedAssertion {
  claims: JwtClaims;
  signedPart: string;
  signature: Buffer;
}

const invalidAssertion = (): OAuthError => new OAuthError('invalid_grant', 'invalid assertion');

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw invalidAssertion();
  }
}

function isClaims(value: unknown): value is JwtClaims {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  const audOk = typeof c['aud'] === 'string' || (Array.isArray(c['aud']) && c['aud'].every((a) => typeof a === 'string'));
  return typeof c['iss'] === 'string' && typeof c['sub'] === 'string' && audOk && typeof c['exp'] === 'number';
}

export function decodeAssertion(assertion: string): DecodedAssertion {
  const parts = assertion.split('.');
  if (parts.length !== 3) throw invalidAssertion();
  const header = decodeJson(parts[0]);
  if (typeof header !== 'object' || header === null || (header as Record<string, unknown>)['alg'] !== 'RS256') throw invalidAssertion();
  const claims = decodeJson(parts[1]);
  if (!isClaims(claims)) throw invalidAssertion();
  return { claims, signedPart: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
}

/** Accepts an X.509 certificate (what Salesforce stores for a connected app) or a bare public key. */
export function publicKeyFrom(pem: string): KeyObject {
  return pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}

export function signatureValid(decoded: DecodedAssertion, key: KeyObject): boolean {
  try {
    return verify('RSA-SHA256', Buffer.from(decoded.signedPart), key, decoded.signature);
  } catch {
    return false;
  }
}

export function audienceMatches(aud: string | string[], accepted: readonly string[]): boolean {
  const strip = (u: string): string => u.replace(/\/+$/, '');
  const wanted = accepted.map(strip);
  return (Array.isArray(aud) ? aud : [aud]).some((a) => wanted.includes(strip(a)));
}
