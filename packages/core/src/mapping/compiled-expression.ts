import { PermanentError } from '../errors.js';

/** What an expression gives, as far as the compiler can tell: a list only comes from split (or a plugin). */
export type ValueKind = 'text' | 'list' | 'boolean' | 'any';

/** One compiled expression (a path, a literal, a call), evaluated against one identity. */
export interface CompiledExpression {
  kind: ValueKind;
  /** Its value does not depend on the identity (a literal, or a call of literals only). */
  constant: boolean;
  /** An argument left out (`f(a, , b)`). */
  omitted?: boolean;
  /** The text or number as written, for arguments that must be literals (a count, a format, a regex). */
  literal?: string | number;
  /** How it is written, for messages. */
  source: string;
  /** Its value; a multi-valued attribute gives its first value; undefined when absent. */
  value(resource: object): unknown;
  /** Every value: all those of a multi-valued attribute, the items of a list; none when absent. */
  values(resource: object): unknown[];
}

/** Empty values count as missing, so the field's default applies (as in WSO2). */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** The present values of a single result: a list gives its items. */
export function presentValues(value: unknown): unknown[] {
  if (isMissing(value)) return [];
  return Array.isArray(value) ? value.filter((item) => !isMissing(item)) : [value];
}

/** A value as text for a function that works on text; undefined when missing; a list or object is a mapping error. */
export function textOf(value: unknown, fn: string): string | undefined {
  if (isMissing(value)) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new PermanentError(
    `${fn} works on text, but got ${Array.isArray(value) ? 'a list' : 'an object'} (${JSON.stringify(value).slice(0, 80)}); name a single value, e.g. emails[primary eq true].value`,
  );
}

/** Two values as Entra's `=` and Switch compare them: as text, exactly; missing equals only missing. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isMissing(a) || isMissing(b)) return isMissing(a) && isMissing(b);
  const text = (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v));
  return text(a) === text(b);
}
