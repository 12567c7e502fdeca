import { newIdentityId } from './identity-id.js';

describe('newIdentityId', () => {
  it('is a UUID version 7 whose first 48 bits are the moment it was made', () => {
    const at = Date.UTC(2026, 11, 7, 12, 0, 0, 123);
    const id = newIdentityId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts later when made later, and is unique within one millisecond', () => {
    const earlier = newIdentityId(1_000);
    const later = newIdentityId(1_001);
    expect(earlier < later).toBe(true);
    const sameMoment = new Set(Array.from({ length: 10_000 }, () => newIdentityId(5_000)));
    expect(sameMoment.size).toBe(10_000);
  });
});
