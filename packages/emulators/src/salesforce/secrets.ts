// Passwords and tokens are kept as salted hashes where the emulator only
// needs to compare them, so state dumps can never leak them.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SecretHash {
  salt: string;
  digest: string;
}

export function hashSecret(secret: string): SecretHash {
  const salt = randomBytes(8).toString('hex');
  return { salt, digest: createHash('sha256').update(salt).update(secret).digest('hex') };
}

export function secretMatches(hash: SecretHash, candidate: string): boolean {
  const digest = createHash('sha256').update(hash.salt).update(candidate).digest();
  return timingSafeEqual(digest, Buffer.from(hash.digest, 'hex'));
}

/** Constant-time comparison of two strings of possibly different lengths. */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}
