// Turns a JSON request body into canonical field values. Failures here are
// deserialisation failures: Salesforce rejects the whole request for them.
import { SalesforceRestError, restErrors } from './errors.js';
import type { FieldValue } from './records.js';
import { type FieldDef, type SObjectDef, findField } from './schema.js';

export type FieldInput = Map<string, FieldValue>;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonKind(value: unknown): string {
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'number') return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
  return Array.isArray(value) ? 'START_ARRAY' : 'START_OBJECT';
}

function cannotDeserialize(target: string, value: unknown): SalesforceRestError {
  const shown = typeof value === 'object' ? (Array.isArray(value) ? '[' : '{') : String(value);
  return restErrors.jsonParser(
    `Cannot deserialize instance of ${target} from ${jsonKind(value)} value ${shown} or request may be missing a required field`,
  );
}

function coerce(field: FieldDef, value: unknown): FieldValue {
  // Salesforce stores an empty string as null.
  if (value === null || value === '') return null;
  if (field.type === 'boolean') {
    if (typeof value !== 'boolean') throw cannotDeserialize('boolean', value);
    return value;
  }
  if (typeof value === 'object') throw cannotDeserialize(field.type === 'datetime' ? 'datetime' : 'string', value);
  if (field.type === 'datetime' && typeof value !== 'string') throw cannotDeserialize('datetime', value);
  // Salesforce's JSON reader accepts numbers and booleans for text fields and keeps their text.
  return String(value);
}

/**
 * @param ignoredKeys keys that belong to the envelope, not the record (`attributes`, and `id` in collections).
 */
export function parseRecordInput(sobject: SObjectDef, body: unknown, ignoredKeys: readonly string[] = ['attributes']): FieldInput {
  if (!isPlainObject(body)) throw cannotDeserialize(sobject.name, body);
  const input: FieldInput = new Map();
  for (const [key, value] of Object.entries(body)) {
    if (ignoredKeys.includes(key)) continue;
    const field = findField(sobject, key);
    if (!field) {
      throw SalesforceRestError.single(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${sobject.name}`);
    }
    input.set(field.name, coerce(field, value));
  }
  return input;
}
