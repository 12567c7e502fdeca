import { TargetProblem } from './scim-target-problem.js';
import { findAttribute, type TargetAttribute } from './scim-target-schema.js';

/** An empty mapped value means "no value": nothing is sent on create, the attribute is removed on update. */
export const isClear = (value: unknown): boolean => value === null || value === undefined || value === '';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const shown = (value: unknown): string => JSON.stringify(value) ?? String(value);

/**
 * A mapped value in the JSON type the attribute has (RFC 7643 §2.3): mappings produce text most of the
 * time, so "42" becomes 42 for an integer and "true" true for a boolean. What cannot be converted is an
 * error, never a value silently changed or dropped.
 */
export function singleValue(attribute: TargetAttribute, value: unknown): unknown {
  switch (attribute.type) {
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
      throw new TargetProblem(`${shown(value)} is not a boolean, and "${attribute.name}" is one`);
    }
    case 'integer':
    case 'decimal': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(number) || (attribute.type === 'integer' && !Number.isInteger(number))) {
        throw new TargetProblem(
          `${shown(value)} is not ${attribute.type === 'integer' ? 'an integer' : 'a number'}, and "${attribute.name}" is one`,
        );
      }
      return number;
    }
    case 'complex':
      return complexValue(attribute, value);
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw new TargetProblem(`${shown(value)} is not text, and "${attribute.name}" is ${attribute.type}`);
  }
}

/** One value of a complex attribute: an object of its sub-attributes, or a scalar taken as its `value`. */
function complexValue(attribute: TargetAttribute, value: unknown): Record<string, unknown> {
  if (!isObject(value)) {
    const sub = findAttribute(attribute.subAttributes, 'value');
    if (!sub) throw new TargetProblem(`"${attribute.name}" has no "value" sub-attribute to hold ${shown(value)}: map an object`);
    return { [sub.name]: singleValue(sub, value) };
  }
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(value)) {
    const sub = findAttribute(attribute.subAttributes, name);
    if (!sub) throw new TargetProblem(`"${attribute.name}" has no sub-attribute "${name}" (in ${shown(value)})`);
    // The service owns read-only sub-attributes (a local role's "$ref"): they are not sent.
    if (sub.readOnly || isClear(raw)) continue;
    out[sub.name] = singleValue(sub, raw);
  }
  return out;
}

/** A whole multi-valued attribute: a list, or one value as a list of one. */
export function multiValue(attribute: TargetAttribute, value: unknown): unknown[] {
  const items = Array.isArray(value) ? value : [value];
  return items.filter((item) => !isClear(item)).map((item) => singleValue(attribute, item));
}
