import { parseFilter, parsePatchPath } from './filter-parser.js';
import { ScimFilterError } from './scim-filter-error.js';

// Small deterministic PRNG so a failure reproduces.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const FRAGMENTS = [
  'userName',
  'emails',
  'name.familyName',
  'urn:ietf:params:scim:schemas:core:2.0:User:userName',
  ' eq ',
  ' co ',
  ' pr',
  ' gt ',
  ' and ',
  ' or ',
  'not ',
  '(',
  ')',
  '[',
  ']',
  '"x"',
  '"a\\"b"',
  '"',
  '\\',
  '12',
  '-1.5e3',
  'true',
  'null',
  '.value',
  ':',
  ' ',
  '$ref',
  '\u0000',
  'é',
];
const SEEDS = [
  'userName eq "bjensen"',
  'emails[type eq "work" and value co "@example.com"] or not (title pr)',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Sales"',
];

function garble(next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  if (next() < 0.3) {
    // Random characters, printable or not.
    return Array.from({ length: Math.floor(next() * 40) }, () => String.fromCharCode(Math.floor(next() * 128))).join('');
  }
  if (next() < 0.5) {
    // A valid filter with a few characters deleted, duplicated or replaced.
    const chars = [...pick(SEEDS)];
    for (let edits = 1 + Math.floor(next() * 4); edits > 0; edits--) {
      const at = Math.floor(next() * chars.length);
      const action = next();
      if (action < 0.33) chars.splice(at, 1);
      else if (action < 0.66) chars.splice(at, 0, chars[at] ?? ')');
      else chars[at] = pick(FRAGMENTS);
    }
    return chars.join('');
  }
  return Array.from({ length: 1 + Math.floor(next() * 12) }, () => pick(FRAGMENTS)).join('');
}

describe('parser fuzzing', () => {
  it('returns an AST or throws ScimFilterError for 5000 garbled inputs', () => {
    const next = random(7644);
    let parsed = 0;
    for (let i = 0; i < 5000; i++) {
      const text = garble(next);
      for (const parse of [parseFilter, parsePatchPath]) {
        try {
          expect(typeof parse(text)).toBe('object');
          parsed++;
        } catch (error) {
          if (!(error instanceof ScimFilterError)) throw new Error(`${JSON.stringify(text)} threw ${String(error)}`);
          expect(error.position).toBeGreaterThanOrEqual(0);
          expect(error.position).toBeLessThanOrEqual(text.length);
        }
      }
    }
    // The generator is not so hostile that nothing parses.
    expect(parsed).toBeGreaterThan(50);
  });
});
