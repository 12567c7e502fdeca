import { randomFillSync } from 'node:crypto';

/**
 * A new identity's id: a UUID version 7 (RFC 9562), its first 48 bits the creation time in milliseconds, the
 * other 74 random. Ids made later sort later, so each store's indexes keyed by id (the users and groups tables,
 * their email and member rows, the audit by entity) take new entries at their end, where one page holds a whole
 * commit's, instead of one page per new identity at random places. Still unique without coordination, and as
 * opaque to SCIM clients as any id; what it tells is when the identity was made, which meta.created says anyway.
 */
export function newIdentityId(now: number = Date.now()): string {
  const bytes = randomFillSync(new Uint8Array(16));
  let time = Math.max(0, Math.floor(now));
  for (let i = 5; i >= 0; i -= 1) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f); // version 7
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f); // variant 10
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
