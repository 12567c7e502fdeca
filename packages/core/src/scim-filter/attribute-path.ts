import type { AttrPath } from './filter-ast.js';

/** RFC 7643 §2.1 ATTRNAME, plus `$ref` (the one name allowed to start with "$"). */
const ATTRIBUTE_NAME = /^(?:\$ref|[A-Za-z][A-Za-z0-9_-]*)$/;
const SCHEMA_URN = /^urn:[A-Za-z0-9][A-Za-z0-9._-]*(?::[A-Za-z0-9._-]+)+$/i;

/**
 * Reads `[schema:]attribute[.sub]` from one word. The schema is everything before the last ":",
 * so `urn:ietf:params:scim:schemas:core:2.0:User:name.familyName` splits at `User:`.
 * Returns a reason string instead of the path when the word is not a valid attribute path.
 */
export function readAttrPath(word: string): AttrPath | string {
  let schema: string | undefined;
  let rest = word;
  const colon = word.lastIndexOf(':');
  if (colon >= 0) {
    schema = word.slice(0, colon);
    rest = word.slice(colon + 1);
    if (!SCHEMA_URN.test(schema)) return `"${schema}" is not a schema URN`;
  }
  const parts = rest.split('.');
  if (parts.length > 2) return `"${word}" nests deeper than attribute.subAttribute`;
  const invalid = parts.find((part) => !ATTRIBUTE_NAME.test(part));
  if (invalid !== undefined) return `"${invalid === '' ? word : invalid}" is not a valid attribute name`;
  const path: AttrPath = { attribute: parts[0] };
  if (schema !== undefined) path.schema = schema;
  if (parts.length === 2) path.subAttribute = parts[1];
  return path;
}

export function isValidAttributeName(name: string): boolean {
  return ATTRIBUTE_NAME.test(name);
}

/** Canonical text of a path, e.g. for messages and caseExact lookups. */
export function formatAttrPath(path: AttrPath): string {
  const local = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  return path.schema === undefined ? local : `${path.schema}:${local}`;
}
