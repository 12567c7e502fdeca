import { isPermanentError } from '../errors.js';
import { ExpressionFunctions, type ExpressionFunction } from '../extension/expression-function.js';
import { compileMapping, type MappingRuleSpec } from './compile-mapping.js';
import { MappingError } from './mapping-error.js';
import { BUILTIN_FUNCTION_NAMES } from './transforms.js';

/** `slug(part..., )`: lowercase letters and digits of each present part, joined by "."; a plugin-style function. */
const slug: ExpressionFunction = {
  name: 'slug',
  signature: 'slug(part...)',
  minArgs: 1,
  apply: (args) => {
    const parts = args.filter((a): a is string => typeof a === 'string' && a !== '').map((a) => a.toLowerCase().replace(/[^a-z0-9]/g, ''));
    return parts.length > 0 ? parts.join('.') : undefined;
  },
};
const exploding: ExpressionFunction = {
  name: 'explode',
  maxArgs: 1,
  apply: () => {
    throw new Error('no such thing');
  },
};
const functions = new ExpressionFunctions([slug, exploding], BUILTIN_FUNCTION_NAMES);

function issuesOf(rules: Record<string, MappingRuleSpec>, table = functions): string[] {
  try {
    compileMapping(rules, { functions: table });
  } catch (error) {
    if (error instanceof MappingError) return error.issues.map((i) => `${i.field}: ${i.message}`);
    throw error;
  }
  throw new Error('expected a MappingError');
}

describe('plugin expression functions in mappings', () => {
  const user = { userName: 'Ada@Example.com', name: { givenName: 'Ada', familyName: 'Love-Lace' } };

  it('are called in `from` with the values at their paths and their quoted literals', () => {
    const mapping = compileMapping(
      { handle: 'slug(name.givenName, name.familyName)', tagged: { from: 'slug("Staff", name.givenName)' } },
      { functions },
    );
    expect(mapping.apply(user)).toEqual({ handle: 'ada.lovelace', tagged: 'staff.ada' });
  });

  it('get undefined for an absent path, and undefined from the function lets the default apply', () => {
    const mapping = compileMapping(
      { handle: { from: 'slug(nickName)', default: 'nobody' }, partial: 'slug(nickName, name.givenName)' },
      { functions },
    );
    expect(mapping.apply(user)).toEqual({ handle: 'nobody', partial: 'ada' });
  });

  it('are called as transforms with the value first', () => {
    const mapping = compileMapping(
      { login: { from: 'userName', transform: ['slug', 'upper'] }, withLiteral: { from: 'name.givenName', transform: 'slug("x")' } },
      { functions },
    );
    expect(mapping.apply(user)).toEqual({ login: 'ADAEXAMPLECOM', withLiteral: 'ada.x' });
  });

  it('are checked for their number of arguments when the mapping compiles, counting the value of a transform', () => {
    expect(issuesOf({ a: 'slug()', b: { from: 'userName', transform: 'explode(1)' } })).toEqual([
      'mapping.a: slug takes at least 1 argument ("slug()" gives 0): slug(part...)',
      'mapping.b: explode takes 0 to 1 arguments (transform "explode(1)", with the value first, gives 2)',
    ]);
  });

  it('are listed among the known transforms when a name is unknown, and are unknown without the table', () => {
    expect(issuesOf({ a: { from: 'userName', transform: 'slugg' } })[0]).toMatch(
      /unknown transform "slugg"; known: .*suffix\(s\).*slug\(part\.\.\.\)/,
    );
    expect(issuesOf({ a: { from: 'userName', transform: 'slug' } }, ExpressionFunctions.none)[0]).toContain('unknown transform "slug"');
    expect(issuesOf({ a: 'slug(name.givenName)' }, ExpressionFunctions.none)[0]).toMatch(
      /^mapping\.a: unknown function "slug"; did you mean/,
    );
  });

  it('report a bad path inside their call', () => {
    expect(issuesOf({ a: 'slug(name..givenName)' })[0]).toMatch(/^mapping\.a: in slug: invalid attribute path/);
  });

  it('that throw fail the mapping with a PermanentError naming the field and the function', () => {
    const mapping = compileMapping({ a: { from: 'userName', transform: 'explode' } }, { functions });
    let thrown: unknown;
    try {
      mapping.apply(user);
    } catch (error) {
      thrown = error;
    }
    expect(isPermanentError(thrown)).toBe(true);
    expect((thrown as Error).message).toBe('mapping.a: mapping function "explode" failed: no such thing');
  });
});

describe('ExpressionFunctions', () => {
  it('refuses a name that shadows a built-in, a duplicate and a malformed name', () => {
    expect(() => new ExpressionFunctions([{ name: 'concat', apply: () => 1 }], BUILTIN_FUNCTION_NAMES)).toThrow(
      'expression function "concat" would shadow the built-in of that name; rename it',
    );
    expect(() => new ExpressionFunctions([{ name: 'lower', apply: () => 1 }], BUILTIN_FUNCTION_NAMES)).toThrow(/shadow/);
    expect(() => new ExpressionFunctions([slug, { ...slug }])).toThrow(
      'expression function "slug" is contributed twice; remove one of the plugins',
    );
    expect(() => new ExpressionFunctions([{ name: 'two words', apply: () => 1 }])).toThrow(/must be a letter followed by/);
  });

  it('lists names and signatures in order', () => {
    expect(functions.names()).toEqual(['explode', 'slug']);
    expect(functions.signatures()).toEqual(['explode', 'slug(part...)']);
  });
});
