import { COMPARE_OPERATORS, type FilterNode } from './filter-ast.js';
import { parseFilter } from './filter-parser.js';
import { ScimFilterError } from './scim-filter-error.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function parseError(text: string): ScimFilterError {
  try {
    parseFilter(text);
  } catch (error) {
    if (error instanceof ScimFilterError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe('parseFilter', () => {
  it.each(COMPARE_OPERATORS)('parses the %s operator', (op) => {
    expect(parseFilter(`title ${op} "Tour Guide"`)).toEqual({ kind: 'compare', path: { attribute: 'title' }, op, value: 'Tour Guide' });
  });

  it('reads operators and keywords in any case', () => {
    expect(parseFilter('userName EQ "bjensen" AnD title Pr')).toEqual({
      kind: 'and',
      left: { kind: 'compare', path: { attribute: 'userName' }, op: 'eq', value: 'bjensen' },
      right: { kind: 'present', path: { attribute: 'title' } },
    });
    expect(parseFilter('NOT (active eq TRUE)')).toEqual({
      kind: 'not',
      filter: { kind: 'compare', path: { attribute: 'active' }, op: 'eq', value: true },
    });
  });

  it('parses numbers, booleans and null', () => {
    const values = ['42', '-3.5', '1e3', '0', 'true', 'false', 'null'].map((v) => (parseFilter(`x eq ${v}`) as { value: unknown }).value);
    expect(values).toEqual([42, -3.5, 1000, 0, true, false, null]);
    expect(parseFilter('age gt 30')).toMatchObject({ op: 'gt', value: 30 });
  });

  it('decodes JSON string escapes', () => {
    expect(parseFilter(String.raw`displayName eq "Say \"hi\" \\ \/ \u00e9\t"`)).toMatchObject({ value: 'Say "hi" \\ / é\t' });
    expect(parseFilter('displayName eq ""')).toMatchObject({ value: '' });
    expect(parseFilter('displayName eq "a ) and [b"')).toMatchObject({ value: 'a ) and [b' });
  });

  it('gives "not" and "and" precedence over "or"', () => {
    const a = { kind: 'present', path: { attribute: 'a' } };
    const b = { kind: 'present', path: { attribute: 'b' } };
    const c = { kind: 'present', path: { attribute: 'c' } };
    expect(parseFilter('a pr or b pr and c pr')).toEqual({ kind: 'or', left: a, right: { kind: 'and', left: b, right: c } });
    expect(parseFilter('a pr and b pr or c pr')).toEqual({ kind: 'or', left: { kind: 'and', left: a, right: b }, right: c });
    expect(parseFilter('not (a pr) and b pr')).toEqual({ kind: 'and', left: { kind: 'not', filter: a }, right: b });
    expect(parseFilter('(a pr or b pr) and c pr')).toEqual({ kind: 'and', left: { kind: 'or', left: a, right: b }, right: c });
    expect(parseFilter('a pr or b pr or c pr')).toEqual({ kind: 'or', left: { kind: 'or', left: a, right: b }, right: c });
  });

  it('parses value paths', () => {
    expect(parseFilter('emails[type eq "work" and value co "@example.com"]')).toEqual({
      kind: 'valuePath',
      path: { attribute: 'emails' },
      filter: {
        kind: 'and',
        left: { kind: 'compare', path: { attribute: 'type' }, op: 'eq', value: 'work' },
        right: { kind: 'compare', path: { attribute: 'value' }, op: 'co', value: '@example.com' },
      },
    });
    expect(parseFilter('userType eq "Employee" and emails[primary eq true or not (type pr)]')).toMatchObject({
      kind: 'and',
      right: { kind: 'valuePath' },
    });
  });

  it('parses schema URN prefixes and sub-attributes', () => {
    expect(parseFilter(`${ENTERPRISE}:department eq "Sales"`)).toMatchObject({ path: { schema: ENTERPRISE, attribute: 'department' } });
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:name.familyName sw "J"')).toMatchObject({
      path: { schema: 'urn:ietf:params:scim:schemas:core:2.0:User', attribute: 'name', subAttribute: 'familyName' },
    });
    expect(parseFilter('meta.lastModified gt "2011-05-13T04:42:34Z"')).toMatchObject({
      path: { attribute: 'meta', subAttribute: 'lastModified' },
    });
    expect(parseFilter('members.$ref pr')).toMatchObject({ path: { attribute: 'members', subAttribute: '$ref' } });
  });

  it('parses the RFC 7644 §3.4.2.2 examples', () => {
    const examples = [
      'userName Eq "john"',
      'name.familyName co "O\'Malley"',
      'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
      'meta.resourceType eq "User"',
      'title pr and userType eq "Employee"',
      'title pr or userType eq "Intern"',
      'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      'userType eq "Employee" and (emails.type eq "work")',
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    ];
    for (const text of examples) expect(() => parseFilter(text)).not.toThrow();
  });

  const malformed: Array<[string, number]> = [
    ['', 0],
    ['   ', 3],
    ['userName', 8],
    ['userName eq', 11],
    ['userName eq bjensen', 12],
    ['userName equals "x"', 9],
    ['userName eq "x" and', 19],
    ['userName eq "x" or or title pr', 19],
    ['(userName eq "x"', 16],
    ['userName eq "x")', 15],
    ['emails[type eq "work"', 21],
    ['emails type eq "work"]', 7],
    ['emails[type eq "work"]]', 22],
    ['emails[type[value eq "x"] pr]', 11],
    ['not userName eq "x"', 4],
    ['userName eq "unterminated', 12],
    ['userName eq "bad \\q escape"', 17],
    ['userName eq 12abc', 12],
    ['userName eq 01', 12],
    ['active gt true', 10],
    ['active co 12', 10],
    ['title lt null', 9],
    ['a.b.c eq "x"', 0],
    ['name.givenName[type eq "x"]', 14],
    ['1abc eq "x"', 0],
    ['userName eq "x" # comment', 16],
    ['urn:x eq "y"', 0],
    ['() ', 1],
    ['eq "x"', 3],
    ['userName pr title pr', 12],
  ];

  it.each(malformed)('rejects %j with invalidFilter at position %d', (text, position) => {
    const error = parseError(text);
    expect(error.scimType).toBe('invalidFilter');
    expect(error.position).toBe(position);
    expect(error.message).toContain(`position ${position}`);
  });

  it('explains what it expected', () => {
    expect(parseError('userName equals "x"').message).toBe(
      'Expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "userName", found "equals" (at position 9)',
    );
    expect(parseError('(a pr').detail).toBe('Expected ")" to close the "(" at position 0, found the end of the input');
  });

  it('bounds nesting depth and input length', () => {
    const deep = `${'('.repeat(60)}a pr${')'.repeat(60)}`;
    expect(parseError(deep).detail).toMatch(/deeper than 50/);
    const deepNot = `${'not ('.repeat(1000)}a pr${')'.repeat(1000)}`;
    expect(parseError(deepNot).scimType).toBe('invalidFilter');
    expect(() => parseFilter(`${'('.repeat(10)}a pr${')'.repeat(10)}`)).not.toThrow();
    expect(parseError(`title eq "${'x'.repeat(20_000)}"`).detail).toMatch(/Longer than 10000/);
    expect(() => parseFilter(`${'('.repeat(60)}a pr${')'.repeat(60)}`, { maxDepth: 100 })).not.toThrow();
  });

  it('keeps long flat chains iterative', () => {
    const chain = Array.from({ length: 500 }, (_, i) => `a${i} pr`).join(' and ');
    let node: FilterNode = parseFilter(chain);
    let depth = 0;
    while (node.kind === 'and') {
      node = node.left;
      depth++;
    }
    expect(depth).toBe(499);
  });
});
