import { parseFilter } from '@provisio/core/engine';
import { prefixUpperBound, translateFilter, USER_TABLE } from './pg-filter.js';
import { render } from './sql-text.js';

/** How PostgreSQL's "C" collation orders text: by its UTF-8 bytes (a lone surrogate arrives as U+FFFD). */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('a prefix as a range (sw under row-level security)', () => {
  it.each([
    ['user1', 'user2'],
    ['a\u{1F600}', 'a\u{1F601}'],
    ['a\uD7FF', 'a\uE000'],
    ['a\u{10FFFF}', 'b'],
    ['a\uD800', 'a\uFFFE'],
  ])('bounds the prefix %j by its last character, one up: %j', (prefix, bound) => {
    expect(prefixUpperBound(prefix)).toBe(bound);
  });

  it('has no bound for nothing, or for a prefix of nothing but the last character', () => {
    expect(prefixUpperBound('')).toBeUndefined();
    expect(prefixUpperBound('\u{10FFFF}\u{10FFFF}')).toBeUndefined();
  });

  it('lies above every string with the prefix and at or below every greater string without it', () => {
    const alphabet = ['a', 'z', '\u007F', '\u0080', '\u07FF', '\uD7FF', '\uE000', '\uFFFF', '\u{10000}', '\u{1F600}', '\u{10FFFF}'];
    const strings: string[] = [];
    for (const a of alphabet) for (const b of alphabet) strings.push(a + b, a);
    const wrong: string[] = [];
    for (const prefix of strings) {
      const upper = prefixUpperBound(prefix);
      for (const text of strings) {
        const below = upper === undefined || byBytes(text, upper) < 0;
        if (text.startsWith(prefix) ? !below : byBytes(text, prefix) > 0 && below)
          wrong.push(`${JSON.stringify(text)} vs ${JSON.stringify(prefix)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps the LIKE that decides beside the range the index answers', () => {
    const condition = translateFilter(parseFilter('userName sw "Ab_"'), USER_TABLE);
    expect(condition && { ...render(condition.sql), exact: condition.exact }).toEqual({
      text: '(t.user_name_lower >= $1 AND t.user_name_lower < $2 AND t.user_name_lower LIKE $3)',
      values: ['ab_', 'ab`', 'ab\\_%'],
      exact: true,
    });
  });
});
