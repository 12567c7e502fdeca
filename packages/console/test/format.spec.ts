import { chartBars, describeRule, niceMax, plural, timeAgo, totals } from '../app/src/lib/format.js';

describe('console formatting', () => {
  it('says how long ago, in the future, or never', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(timeAgo(null, now)).toBe('never');
    expect(timeAgo('2026-01-01T11:59:58Z', now)).toBe('just now');
    expect(timeAgo('2026-01-01T11:59:30Z', now)).toBe('30 s ago');
    expect(timeAgo('2026-01-01T11:50:00Z', now)).toBe('10 min ago');
    expect(timeAgo('2026-01-01T09:00:00Z', now)).toBe('3 h ago');
    expect(timeAgo('2026-01-01T12:05:00Z', now)).toBe('in 5 min');
    expect(timeAgo('not a date', now)).toBe('not a date');
  });

  it('rounds the chart scale up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 2, 3, 7, 10, 11, 240, 999].map(niceMax)).toEqual([1, 1, 2, 5, 10, 10, 20, 500, 1000]);
  });

  it('stacks failed and retried attempts on top of the succeeded ones, scaled to the height', () => {
    const buckets = [
      { succeeded: 2, failed: 0, retried: 0 },
      { succeeded: 1, failed: 2, retried: 2 },
      { succeeded: 0, failed: 0, retried: 0 },
    ];
    const { bars, max } = chartBars(buckets, 300, 100);
    expect(max).toBe(5);
    expect(bars.map((b) => [b.x, b.succeeded, b.failed])).toEqual([
      [0, 40, 0],
      [100, 20, 80],
      [200, 0, 0],
    ]);
    expect(totals(buckets)).toEqual({ succeeded: 3, failed: 2, retried: 2 });
  });

  it('describes mapping rules in one line', () => {
    expect(describeRule('name.familyName')).toBe('name.familyName');
    expect(describeRule({ from: 'title', default: 'Engineer', transform: 'upper' })).toBe('title default "Engineer" | upper');
    expect(describeRule({ default: 'UTF-8' })).toBe('(constant) default "UTF-8"');
  });

  it('counts with a plural noun unless exactly one', () => {
    expect([0, 1, 2].map((n) => plural(n, 'user'))).toEqual(['0 users', '1 user', '2 users']);
  });
});
