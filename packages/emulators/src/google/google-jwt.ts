// Decoding and RS256 verification of a JWT-bearer assertion with node:crypto only.
import { createPublicKey, type KeyObject, verify, X509Certificate } from 'node:crypto';
import type { JsonObject } from './google-http-types.js';
import { isJsonObject } from './google-http-types.js';

export interface DecodedJwt {
  header: JsonObject;
  claims: JsonObject;
  signingInput: string;
  signature: Buffer;
}

/** Undefined when the text is not three base64url JSON parts. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (!isJsonObject(header) || !isJsonObject(claims)) return undefined;
    return { header, claims, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
  } catch {
    return undefined;
  }
}

/** Accepts an SPKI public key PEM or an X.509 certificate PEM, the two forms Google hands out. */
export function publicKeyFromPem(pem: string): KeyObject {
  if (pem.includes('BEGIN CERTIFICATE')) return new X509Certificate(pem).publicKey;
  return createPublicKey(pem);
}

export function verifyRs256(jwt: DecodedJwt, keys: readonly KeyObject[]): boolean {
  if (jwt.header['alg'] !== 'RS256') return false;
  return keys.some((key) => {
    try {
      return verify('RSA-SHA256', Buffer.from(jwt.signingInput), key, jwt.signature);
    } catch {
      return false;
    }
  });
}
