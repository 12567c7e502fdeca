import { ScrapeCache } from './scrape-cache.js';

describe('ScrapeCache', () => {
  it('reads once per interval, shares a read in flight, and reads again once the interval passed', async () => {
    let now = 1000;
    let reads = 0;
    const cache = new ScrapeCache(
      5000,
      async () => {
        reads += 1;
        return reads;
      },
      () => now,
    );
    expect(await Promise.all([cache.get(), cache.get()])).toEqual([1, 1]);
    now += 4999;
    expect(await cache.get()).toBe(1);
    now += 1;
    expect(await cache.get()).toBe(2);
    expect(reads).toBe(2);
  });

  it('does not keep a failed read: the next get tries again', async () => {
    let fail = true;
    const cache = new ScrapeCache(5000, async () => {
      if (fail) throw new Error('store down');
      return 'ok';
    });
    await expect(cache.get()).rejects.toThrow('store down');
    fail = false;
    expect(await cache.get()).toBe('ok');
  });
});
