// Type checks for JSON request fields, answering like Google's front end does for a wrong type.
import { googleErrors } from './google-errors.js';
import type { JsonValue } from './google-http-types.js';
import { isJsonObject } from './google-http-types.js';

export type FieldKind = 'string' | 'bool' | 'array' | 'object';

const TYPE_LABEL: Record<FieldKind, string> = {
  string: 'TYPE_STRING',
  bool: 'TYPE_BOOL',
  array: 'TYPE_MESSAGE',
  object: 'TYPE_MESSAGE',
};

function matches(kind: FieldKind, value: JsonValue): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value) && value.every((item) => isJsonObject(item) || typeof item === 'string');
    case 'object':
      return isJsonObject(value);
  }
}

/** `null` is allowed: in a patch it clears the field. */
export function checkFieldType(path: string, kind: FieldKind, value: JsonValue): void {
  if (value === null || matches(kind, value)) return;
  throw googleErrors.invalidJson(`Invalid value at '${path}' (${TYPE_LABEL[kind]}), ${JSON.stringify(value)}`);
}

export function unknownField(name: string, where = 'resource'): Error {
  return googleErrors.invalidJson(`Unknown name "${name}" at '${where}': Cannot find field.`);
}

const EMAIL_PATTERN = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@([a-z0-9-]+\.)+[a-z0-9-]{2,}$/;

/** Lower-cases and checks the address shape; returns undefined when it is not an address. */
export function normalizeEmail(value: string): string | undefined {
  const email = value.trim().toLowerCase();
  if (!EMAIL_PATTERN.test(email) || email.startsWith('.') || email.includes('..')) return undefined;
  return email;
}

/** Workspace usernames: letters, digits, dashes, underscores, apostrophes and periods, at most 64. */
const WORKSPACE_LOCAL_PART = /^[a-z0-9_'-][a-z0-9._'-]{0,63}$/;

/** An address the customer itself can own (user, alias, group); stricter than what external members may use. */
export function normalizeWorkspaceAddress(value: string): string | undefined {
  const email = normalizeEmail(value);
  if (!email) return undefined;
  const local = email.slice(0, email.lastIndexOf('@'));
  return WORKSPACE_LOCAL_PART.test(local) && !local.endsWith('.') ? email : undefined;
}

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}
