// Identifiers and etags shaped like Google's, so clients that store or compare them see realistic values.
import { createHash, randomBytes, randomInt } from 'node:crypto';

/** Users get 21-digit numeric ids starting with 1 (as Google's do). */
export function newUserId(): string {
  let id = '1';
  for (let i = 0; i < 20; i++) id += String(randomInt(10));
  return id;
}

/** Groups get 15-character lower-case alphanumeric ids starting with 0 (e.g. "03x8tuzt1ox2c2f"). */
export function newGroupId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  let id = '0';
  for (let i = 0; i < 14; i++) id += alphabet[randomInt(alphabet.length)];
  return id;
}

export function newCustomerId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  let id = 'C0';
  for (let i = 0; i < 7; i++) id += alphabet[randomInt(alphabet.length)];
  return id;
}

/** Google etags are quoted strings like "\"<hash>/<hash>\"" and change on every write. */
export function newEtag(seed: string): string {
  const hash = createHash('sha256').update(seed).update(randomBytes(8)).digest('base64url');
  return `"${hash.slice(0, 27)}/${hash.slice(27, 43)}"`;
}

/** Opaque access tokens in Google's "ya29." style. */
export function newAccessToken(): string {
  return `ya29.emu-${randomBytes(48).toString('base64url')}`;
}
