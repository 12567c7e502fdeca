import { FailedAuthThrottle } from './failed-auth-throttle.js';

describe('FailedAuthThrottle', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets an address fail up to the limit, then refuses it until its window ends', () => {
    const throttle = new FailedAuthThrottle({ limit: 3, windowMs: 60_000, now: clock });
    expect(throttle.recordFailure('10.0.0.1')).toEqual({ blockedNow: false });
    expect(throttle.recordFailure('10.0.0.1')).toEqual({ blockedNow: false });
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBeUndefined();
    expect(throttle.recordFailure('10.0.0.1')).toEqual({ blockedNow: true });
    now += 20_000;
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(40);
    // Another address is not affected.
    expect(throttle.retryAfterSeconds('10.0.0.2')).toBeUndefined();
    now += 40_000;
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBeUndefined();
    expect(throttle.recordFailure('10.0.0.1')).toEqual({ blockedNow: false });
  });

  it('says "blocked" once per window, not for every failure after the limit', () => {
    const throttle = new FailedAuthThrottle({ limit: 2, windowMs: 1000, now: clock });
    const blocked = Array.from({ length: 6 }, () => throttle.recordFailure('::1').blockedNow);
    expect(blocked).toEqual([false, true, false, false, false, false]);
  });

  it('forgets the failures of an address that then authenticates', () => {
    const throttle = new FailedAuthThrottle({ limit: 2, windowMs: 60_000, now: clock });
    throttle.recordFailure('10.0.0.1');
    throttle.recordSuccess('10.0.0.1');
    expect(throttle.recordFailure('10.0.0.1')).toEqual({ blockedNow: false });
    expect(throttle.size).toBe(1);
  });

  it('stays bounded under a flood of addresses, forgetting the least recently seen first', () => {
    const throttle = new FailedAuthThrottle({ limit: 2, windowMs: 60_000, maxAddresses: 100, now: clock });
    throttle.recordFailure('198.51.100.7');
    throttle.recordFailure('198.51.100.7');
    for (let i = 0; i < 10_000; i++) {
      throttle.recordFailure(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      // The attacker keeps knocking: seen recently, so it is not the one forgotten.
      if (i % 50 === 0) expect(throttle.retryAfterSeconds('198.51.100.7')).toBe(60);
      expect(throttle.size).toBeLessThanOrEqual(100);
    }
    expect(throttle.size).toBe(100);
    expect(throttle.retryAfterSeconds('198.51.100.7')).toBe(60);
    // The first of the flood was forgotten long ago.
    expect(throttle.recordFailure('10.0.0.0')).toEqual({ blockedNow: false });
  });
});
