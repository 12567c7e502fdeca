import type { Clock } from '../clock.js';
import { RateGates, rateBucketKey } from './rate-gate.js';

const frozen = (at: number): Clock => ({ now: () => at, sleep: async () => undefined });

describe('rate gates of a process (tenants sharing a target)', () => {
  it('keeps instances of different tenants apart unless they name the same rateLimit.key', () => {
    expect(rateBucketKey('carbon.super', 'salesforce')).toBe('salesforce');
    expect(rateBucketKey('acme.com', 'salesforce')).toBe('acme.com/salesforce');
    expect(rateBucketKey('acme.com', 'salesforce', 'acme-org')).toBe(rateBucketKey('globex.com', 'crm', 'acme-org'));
  });

  it('hands every worker asking for one key the same bucket: two tenants take 5 tokens of a burst of 5 between them', async () => {
    const gates = new RateGates(frozen(1_000));
    const rate = { perSecond: 5, burst: 5 };
    const acme = gates.gateFor(rateBucketKey('acme.com', 'salesforce', 'org'), rate, undefined);
    const globex = gates.gateFor(rateBucketKey('globex.com', 'salesforce', 'org'), rate, undefined);
    expect(await acme.acquire(3, 1)).toBe(3);
    expect(await globex.acquire(5, 1)).toBe(2);
    expect(await acme.acquire(1, 1)).toBe(0);
    // Without the key each tenant has its own bucket.
    const own = gates.gateFor(rateBucketKey('initech.com', 'salesforce'), rate, undefined);
    expect(await own.acquire(5, 1)).toBe(5);
  });

  it('after refusing a batch, tells how long until the whole batch is there, not the next token', async () => {
    let now = 1_000;
    const gate = new RateGates({ now: () => now, sleep: async () => undefined }).gateFor('google', { perSecond: 40, burst: 40 }, undefined);
    expect(await gate.acquire(40, 40)).toBe(40);
    now += 100; // 4 tokens back
    expect(await gate.acquire(40, 40)).toBe(0);
    expect(gate.waitMs()).toBe(900);
    now += 900;
    expect(gate.waitMs()).toBe(0);
    expect(await gate.acquire(40, 40)).toBe(40);
    // One at a time again: the wait is for the next token.
    expect(await gate.acquire(1, 1)).toBe(0);
    expect(gate.waitMs()).toBe(25);
  });

  it("draws from the store's shared buckets when it has them, under the shared key", async () => {
    const taken: string[] = [];
    const shared = {
      take: async (key: string, wanted: number) => {
        taken.push(key);
        return { granted: wanted, waitMs: 0 };
      },
      giveBack: async () => undefined,
    };
    const gates = new RateGates(frozen(0));
    await gates.gateFor(rateBucketKey('acme.com', 'google', 'domain'), { perSecond: 40, burst: 40 }, shared).acquire(1, 1);
    await gates.gateFor(rateBucketKey('globex.com', 'google', 'domain'), { perSecond: 40, burst: 40 }, shared).acquire(1, 1);
    expect(taken).toEqual(['key:domain', 'key:domain']);
  });
});
