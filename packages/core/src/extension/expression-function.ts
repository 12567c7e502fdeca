import { PermanentError } from '../errors.js';

/**
 * A function a plugin adds to the mapping language (extension point
 * `TOKENS.ExpressionFunction`). One definition serves both places a mapping
 * rule can call it:
 * - in `from`: `slug(name.givenName, name.familyName, ".")`: each bare argument is
 *   the value at that attribute path or claim (undefined when absent), each quoted
 *   one its literal text;
 * - in `transform`: `slug` or `slug(".")`: the field's current value comes first,
 *   then the literal arguments, as in a pipe.
 */
export interface ExpressionFunction {
  /** How it is called: a letter, then letters, digits or `_`; must not shadow a built-in. */
  name: string;
  /** How it is written in messages, e.g. `slug(parts..., separator)`. */
  signature?: string;
  /** How many arguments `apply` accepts (the transform's value included); default 0 to unbounded. */
  minArgs?: number;
  maxArgs?: number;
  /** Pure, and quick: it runs for every mapped field of every job. undefined: no value (the default applies). */
  apply(args: readonly unknown[]): unknown;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The expression functions of one container, checked once: valid names, no duplicates, none shadowing a built-in. */
export class ExpressionFunctions {
  private readonly byName = new Map<string, ExpressionFunction>();

  constructor(functions: readonly ExpressionFunction[], reserved: readonly string[] = []) {
    for (const fn of functions) {
      if (typeof fn?.name !== 'string' || !NAME.test(fn.name))
        throw new Error(`expression function name ${JSON.stringify(fn?.name)} must be a letter followed by letters, digits or _`);
      if (typeof fn.apply !== 'function') throw new Error(`expression function "${fn.name}" has no apply(args)`);
      if (reserved.includes(fn.name)) throw new Error(`expression function "${fn.name}" would shadow the built-in of that name; rename it`);
      if (this.byName.has(fn.name)) throw new Error(`expression function "${fn.name}" is contributed twice; remove one of the plugins`);
      this.byName.set(fn.name, fn);
    }
  }

  static readonly none = new ExpressionFunctions([]);

  get(name: string): ExpressionFunction | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  signatures(): string[] {
    return this.names().map((name) => this.byName.get(name)?.signature ?? name);
  }
}

/** The reason `count` arguments do not fit `fn`, or undefined when they do. */
export function arityProblem(
  fn: Pick<ExpressionFunction, 'name' | 'signature' | 'minArgs' | 'maxArgs'>,
  count: number,
  where: string,
): string | undefined {
  const min = fn.minArgs ?? 0;
  const max = fn.maxArgs ?? Number.POSITIVE_INFINITY;
  if (count >= min && count <= max) return undefined;
  const wanted = min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
  return `${fn.name} takes ${wanted} argument${min === 1 && (max === 1 || max === Number.POSITIVE_INFINITY) ? '' : 's'} (${where} gives ${count})${fn.signature ? `: ${fn.signature}` : ''}`;
}

/** Calls a plugin's function; a throw becomes a PermanentError naming it (retrying maps the same values again). */
export function callExpressionFunction(fn: ExpressionFunction, args: readonly unknown[]): unknown {
  try {
    return fn.apply(args);
  } catch (error) {
    throw new PermanentError(`mapping function "${fn.name}" failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}
