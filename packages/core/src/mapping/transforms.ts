import { arityProblem, callExpressionFunction, ExpressionFunctions } from '../extension/expression-function.js';
import { BUILTIN_FUNCTIONS } from './builtin-functions.js';
import { parseCall } from './call-expression.js';

/** One step of a field's transform list; pure, and never throws at run time. */
export type Transform = (value: unknown) => unknown;

interface TransformDefinition {
  /** How it is written in messages, e.g. `truncate(n)`. */
  signature: string;
  arity: number;
  create(args: string[]): Transform | string;
}

const asText = (value: unknown): unknown =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;

/** A transform over strings: numbers and booleans are stringified first; anything else passes unchanged. */
function onText(apply: (text: string) => string): Transform {
  return (value) => {
    const text = asText(value);
    return typeof text === 'string' ? apply(text) : value;
  };
}

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };

/**
 * "true"/"false" (any case, trimmed), "1"/"0", 1/0 and booleans become booleans. Anything else is
 * left as it is, so the connector rejects it with the remote's own message instead of us guessing.
 */
export function toBoolean(value: unknown): unknown {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : value;
  if (typeof value !== 'string') return value;
  const word = BOOLEAN_WORDS[value.trim().toLowerCase()];
  return word ?? value;
}

/** Numeric strings become numbers; anything else is left as it is (see toBoolean). */
export function toNumber(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value;
  const number = Number(value);
  return Number.isFinite(number) ? number : value;
}

const DEFINITIONS: Record<string, TransformDefinition> = {
  lower: { signature: 'lower', arity: 0, create: () => onText((text) => text.toLowerCase()) },
  upper: { signature: 'upper', arity: 0, create: () => onText((text) => text.toUpperCase()) },
  trim: { signature: 'trim', arity: 0, create: () => onText((text) => text.trim()) },
  truncate: {
    signature: 'truncate(n)',
    arity: 1,
    create: ([n]) => {
      if (!/^\d+$/.test(n)) return `truncate needs a whole number of characters, got ${JSON.stringify(n)}`;
      const length = Number(n);
      // By code points, so a truncated name never ends in half a surrogate pair.
      return onText((text) => Array.from(text).slice(0, length).join(''));
    },
  },
  replace: {
    signature: 'replace(a,b)',
    arity: 2,
    create: ([search, replacement]) =>
      search === '' ? 'replace needs a non-empty text to search for' : onText((text) => text.replaceAll(search, replacement)),
  },
  prefix: { signature: 'prefix(s)', arity: 1, create: ([prefix]) => onText((text) => prefix + text) },
  suffix: { signature: 'suffix(s)', arity: 1, create: ([suffix]) => onText((text) => text + suffix) },
  boolean: { signature: 'boolean', arity: 0, create: () => toBoolean },
  number: { signature: 'number', arity: 0, create: () => toNumber },
  string: { signature: 'string', arity: 0, create: () => (value) => asText(value) ?? value },
};

export const TRANSFORM_SIGNATURES: readonly string[] = Object.values(DEFINITIONS).map((d) => d.signature);

/** Names a plugin's expression function may not take: the transforms and the built-in functions of `from`. */
export const BUILTIN_FUNCTION_NAMES: readonly string[] = [...new Set([...Object.keys(DEFINITIONS), ...BUILTIN_FUNCTIONS.keys()])];

/**
 * Compiles one transform (`truncate(8)`, `replace(" ", "_")`), a built-in or a plugin's expression
 * function; arguments are literal text, quoted or bare. Returns a reason string when it is unknown
 * or malformed.
 */
export function compileTransform(text: string, functions: ExpressionFunctions = ExpressionFunctions.none): Transform | string {
  const call = parseCall(text);
  // A known name with broken arguments deserves the parse problem, not "unknown transform".
  const name = typeof call === 'string' ? /^\s*([A-Za-z]\w*)/.exec(text)?.[1] : call.name;
  const definition = name === undefined || !Object.hasOwn(DEFINITIONS, name) ? undefined : DEFINITIONS[name];
  const plugged = definition === undefined && name !== undefined ? functions.get(name) : undefined;
  if (definition === undefined && plugged === undefined)
    return `unknown transform ${JSON.stringify(text)}; known: ${[...TRANSFORM_SIGNATURES, ...functions.signatures()].join(', ')}`;
  if (typeof call === 'string')
    return `invalid transform ${JSON.stringify(text)}: ${call} (quote arguments that are spaces or hold commas)`;
  if (plugged !== undefined) {
    // In a transform the field's value is the function's first argument.
    const literals = (call.args ?? []).map((arg) => arg.text);
    const problem = arityProblem(plugged, literals.length + 1, `transform ${JSON.stringify(text)}, with the value first,`);
    return problem ?? ((value) => callExpressionFunction(plugged, [value, ...literals]));
  }
  if (definition === undefined) return `unknown transform ${JSON.stringify(text)}`;
  const args = (call.args ?? []).map((arg) => arg.text);
  if (args.length !== definition.arity) {
    return `transform ${JSON.stringify(text)} takes ${definition.arity} argument${definition.arity === 1 ? '' : 's'}: ${definition.signature}`;
  }
  return definition.create(args);
}
