import { PermanentError } from '../errors.js';
import { isMissing, presentValues, sameValue, textOf, type CompiledExpression, type ValueKind } from './compiled-expression.js';
import { compileDateFormat } from './date-format.js';
import { normalizeDiacritics } from './diacritics.js';

type Evaluate = (resource: object) => unknown;

/**
 * A function of the mapping language, with the semantics of Entra's function of that name
 * (docs/pipeline.md lists them with examples). `build` checks the arguments as written (a count
 * that must be a whole number, a format, a regex) once, when the mapping compiles.
 */
export interface BuiltinFunction {
  signature: string;
  minArgs: number;
  maxArgs: number;
  returns: ValueKind;
  /** Arguments that may hold a list (the others must be single values). */
  takesLists?: boolean;
  /** Argument positions that may be left out; by default none may. */
  omittable?: (index: number, count: number) => boolean;
  build(args: readonly CompiledExpression[]): Evaluate | string;
}

const UNBOUNDED = Number.POSITIVE_INFINITY;

/** A whole number written as a literal (`left(x, 3)` or `left(x, "3")`). */
function wholeNumber(arg: CompiledExpression, what: string): number | string {
  const n = typeof arg.literal === 'number' ? arg.literal : typeof arg.literal === 'string' ? Number(arg.literal) : Number.NaN;
  if (arg.literal === undefined || !Number.isInteger(n)) return `${what} must be a whole number written in the mapping, got ${arg.source}`;
  return n;
}

function literalText(arg: CompiledExpression, what: string): string | { problem: string } {
  return typeof arg.literal === 'string'
    ? arg.literal
    : { problem: `${what} must be quoted text written in the mapping, got ${arg.source}` };
}

const chars = (text: string): string[] => Array.from(text);

const append: BuiltinFunction = {
  signature: 'append(source, suffix)',
  minArgs: 2,
  maxArgs: 2,
  returns: 'text',
  build:
    ([source, suffix]) =>
    (resource) => {
      const text = textOf(source.value(resource), 'append');
      return text === undefined ? undefined : text + (textOf(suffix.value(resource), 'append') ?? '');
    },
};

const coalesce: BuiltinFunction = {
  signature: 'coalesce(source1, source2, ..., default)',
  minArgs: 1,
  maxArgs: UNBOUNDED,
  returns: 'any',
  takesLists: true,
  omittable: () => true,
  build: (args) => (resource) => {
    for (const arg of args) {
      const value = arg.value(resource);
      if (!isMissing(value)) return value;
    }
    return undefined;
  },
};

/** Absent parts count as "", and when every non-literal part is absent the value is absent (the default applies). */
const concat: BuiltinFunction = {
  signature: 'concat(part, ...)',
  minArgs: 1,
  maxArgs: UNBOUNDED,
  returns: 'text',
  build: (parts) => {
    const literalOnly = parts.every((part) => part.constant);
    return (resource) => {
      let found = literalOnly;
      const pieces = parts.map((part) => {
        const value = part.value(resource);
        if (isMissing(value)) return '';
        if (!part.constant) found = true;
        return typeof value === 'object' ? JSON.stringify(value) : String(value);
      });
      return found ? pieces.join('') : undefined;
    };
  },
};

/** Entra's two forms: (source, inputFormat, outputFormat) and (source, dateTimeStyles, inputFormat, outputFormat) with the styles left out. */
const formatDateTime: BuiltinFunction = {
  signature: 'formatDateTime(source, inputFormat, outputFormat)',
  minArgs: 3,
  maxArgs: 4,
  returns: 'text',
  omittable: (index, count) => count === 4 && index === 1,
  build: (args) => {
    if (args.length === 4 && !args[1].omitted)
      return `formatDateTime's dateTimeStyles (argument 2 of 4) is not supported: leave it empty, as in formatDateTime(x, , "yyyyMMdd", "yyyy-MM-dd")`;
    const [source, inText, outText] = args.length === 4 ? [args[0], args[2], args[3]] : args;
    const formats = [literalText(inText, 'the input format'), literalText(outText, 'the output format')];
    const [inFormat, outFormat] = formats.map((f) => (typeof f === 'string' ? compileDateFormat(f) : f.problem));
    if (typeof inFormat === 'string') return `input format: ${inFormat}`;
    if (typeof outFormat === 'string') return `output format: ${outFormat}`;
    return (resource) => {
      const text = textOf(source.value(resource), 'formatDateTime');
      if (text === undefined) return undefined;
      const date = inFormat.parse(text);
      if (date === undefined)
        throw new PermanentError(
          `formatDateTime: ${JSON.stringify(text)} is not a date in the input format ${JSON.stringify(inText.literal)}`,
        );
      return outFormat.format(date);
    };
  },
};

/** A condition holds when it is true, "true" (any case, trimmed), 1 or "1"; anything else, missing included, does not. */
function holds(value: unknown): boolean {
  if (typeof value === 'string') return ['true', '1'].includes(value.trim().toLowerCase());
  return value === true || value === 1;
}

const iif: BuiltinFunction = {
  signature: 'iif(condition, valueIfTrue, valueIfFalse)',
  minArgs: 3,
  maxArgs: 3,
  returns: 'any',
  takesLists: true,
  build:
    ([condition, whenTrue, whenFalse]) =>
    (resource) =>
      holds(condition.value(resource)) ? whenTrue.value(resource) : whenFalse.value(resource),
};

/** Every value of each source (all of a multi-valued attribute), absent ones skipped; absent when no non-literal source has one. */
const join: BuiltinFunction = {
  signature: 'join(separator, source1, source2, ...)',
  minArgs: 2,
  maxArgs: UNBOUNDED,
  returns: 'text',
  takesLists: true,
  build: ([separator, ...sources]) => {
    const literalOnly = sources.every((source) => source.constant);
    return (resource) => {
      let found = literalOnly;
      const pieces: string[] = [];
      for (const source of sources) {
        const values = source.values(resource);
        if (values.length > 0 && !source.constant) found = true;
        for (const value of values) pieces.push(textOf(value, 'join') as string);
      }
      return found ? pieces.join(textOf(separator.value(resource), 'join') ?? '') : undefined;
    };
  },
};

/** Entra: numChars 0 gives "", a negative numChars the whole text, more than there is the whole text. By code points. */
const left: BuiltinFunction = {
  signature: 'left(source, numChars)',
  minArgs: 2,
  maxArgs: 2,
  returns: 'text',
  build: ([source, count]) => {
    const n = wholeNumber(count, "left's numChars");
    if (typeof n === 'string') return n;
    return (resource) => {
      const text = textOf(source.value(resource), 'left');
      if (text === undefined) return undefined;
      return n < 0 ? text : chars(text).slice(0, n).join('');
    };
  },
};

/** Entra: start is 1-based; a length past the end gives the rest of the text. By code points. */
const mid: BuiltinFunction = {
  signature: 'mid(source, start, length)',
  minArgs: 3,
  maxArgs: 3,
  returns: 'text',
  build: ([source, startArg, lengthArg]) => {
    const start = wholeNumber(startArg, "mid's start");
    if (typeof start === 'string') return start;
    const length = wholeNumber(lengthArg, "mid's length");
    if (typeof length === 'string') return length;
    if (start < 1) return `mid's start counts from 1 (the first character), got ${start}`;
    if (length < 0) return `mid's length may not be negative, got ${length}`;
    return (resource) => {
      const text = textOf(source.value(resource), 'mid');
      return text === undefined
        ? undefined
        : chars(text)
            .slice(start - 1, start - 1 + length)
            .join('');
    };
  },
};

const oneText = (name: string, apply: (text: string) => string): BuiltinFunction => ({
  signature: `${name}(source)`,
  minArgs: 1,
  maxArgs: 1,
  returns: 'text',
  build:
    ([source]) =>
    (resource) => {
      const text = textOf(source.value(resource), name);
      return text === undefined ? undefined : apply(text);
    },
});

/** Every match of a regular expression (JavaScript syntax; `$1`, `$<name>` in the replacement). */
const replace: BuiltinFunction = {
  signature: 'replace(source, regex, replacement)',
  minArgs: 3,
  maxArgs: 3,
  returns: 'text',
  build: ([source, regexArg, replacement]) => {
    const pattern = literalText(regexArg, "replace's regex");
    if (typeof pattern !== 'string') return pattern.problem;
    if (pattern === '') return "replace's regex may not be empty";
    let regex: RegExp;
    try {
      regex = new RegExp(pattern, 'g');
    } catch (error) {
      return `replace's regex ${JSON.stringify(pattern)} is not valid: ${(error as Error).message}`;
    }
    return (resource) => {
      const text = textOf(source.value(resource), 'replace');
      return text === undefined ? undefined : text.replace(regex, textOf(replacement.value(resource), 'replace') ?? '');
    };
  },
};

/** Picked at create time (see unique-values.ts); here only so that its name and arguments are known. */
const selectUniqueValue: BuiltinFunction = {
  signature: 'selectUniqueValue(candidate1, candidate2, ...)',
  minArgs: 2,
  maxArgs: UNBOUNDED,
  returns: 'text',
  build: () => 'selectUniqueValue picks a value when the account is created: it must be the whole `from` of a mapping field',
};

const split: BuiltinFunction = {
  signature: 'split(source, delimiter)',
  minArgs: 2,
  maxArgs: 2,
  returns: 'list',
  build: ([source, delimiterArg]) => {
    const delimiter = literalText(delimiterArg, "split's delimiter");
    if (typeof delimiter !== 'string') return delimiter.problem;
    if (delimiter === '') return "split's delimiter may not be empty";
    return (resource) => textOf(source.value(resource), 'split')?.split(delimiter);
  },
};

/** Entra: the value for the first key the source equals, else the default; keys and values come in pairs. */
const switchFunction: BuiltinFunction = {
  signature: 'switch(source, default, key1, value1, key2, value2, ...)',
  minArgs: 4,
  maxArgs: UNBOUNDED,
  returns: 'any',
  takesLists: true,
  omittable: (index) => index === 1,
  build: ([source, fallback, ...pairs]) => {
    if (pairs.length % 2 !== 0)
      return `switch takes keys and values in pairs after (source, default); the key ${pairs.at(-1)?.source} has no value`;
    return (resource) => {
      const value = source.value(resource);
      if (!isMissing(value))
        for (let i = 0; i < pairs.length; i += 2) if (sameValue(value, pairs[i].value(resource))) return pairs[i + 1].value(resource);
      return fallback.value(resource);
    };
  },
};

/** The built-in functions of `from`, by name (case-sensitive, as in Entra). */
export const BUILTIN_FUNCTIONS: ReadonlyMap<string, BuiltinFunction> = new Map([
  ['append', append],
  ['coalesce', coalesce],
  ['concat', concat],
  ['formatDateTime', formatDateTime],
  ['iif', iif],
  ['join', join],
  ['left', left],
  ['mid', mid],
  ['normalizeDiacritics', oneText('normalizeDiacritics', normalizeDiacritics)],
  ['replace', replace],
  ['selectUniqueValue', selectUniqueValue],
  ['split', split],
  // Entra removes the space character only, not tabs or other white space.
  ['stripSpaces', oneText('stripSpaces', (text) => text.replaceAll(' ', ''))],
  ['switch', switchFunction],
]);

/** Values of a call for `values()`: a list's items, else the one value. */
export function valuesOfResult(evaluate: Evaluate): (resource: object) => unknown[] {
  return (resource) => presentValues(evaluate(resource));
}
