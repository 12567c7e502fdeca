// Turns a client's resource body into the canonical stored form: attribute names in schema case,
// values type-checked (RFC 7643 §2.3), readOnly attributes dropped, null meaning "unassigned".
import { resolveAttrPath, splitSchemaPrefix, topLevelAttrs } from './scim-attribute-path.js';
import type { ResourceTypeDef } from './scim-core-schemas.js';
import { badRequest } from './scim-errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from './scim-json.js';
import { findAttr, type AttrDef, type SchemaDef } from './scim-schema-model.js';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function checkSimple(def: AttrDef, value: JsonValue, path: string): JsonValue {
  const fail = (what: string) => badRequest('invalidValue', `Attribute "${path}" must be ${what}`);
  switch (def.type) {
    case 'boolean':
      // RFC 7643 §2.3.2: a JSON true/false literal; the string "False" is not a boolean.
      if (typeof value !== 'boolean') throw fail('a JSON boolean (true or false)');
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw fail('an integer');
      return value;
    case 'decimal':
      if (typeof value !== 'number') throw fail('a number');
      return value;
    case 'dateTime':
      if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
        throw fail('an xsd:dateTime string');
      }
      return value;
    case 'binary':
      if (typeof value !== 'string' || !BASE64.test(value)) throw fail('a base64 string');
      return value;
    default:
      if (typeof value !== 'string') throw fail('a string');
      return value;
  }
}

function normalizeComplex(def: AttrDef, value: JsonValue, path: string): JsonObject | undefined {
  if (!isJsonObject(value)) throw badRequest('invalidValue', `Attribute "${path}" must be a JSON object`);
  const out: JsonObject = {};
  let sawReadOnly = false;
  for (const [key, raw] of Object.entries(value)) {
    const sub = findAttr(def.subAttributes, key);
    if (!sub) throw badRequest('invalidSyntax', `Unknown sub-attribute "${key}" of "${path}"`);
    if (sub.mutability === 'readOnly') {
      sawReadOnly = raw !== null;
      continue;
    }
    const v = normalizeAttrValue(sub, raw, `${path}.${sub.name}`);
    if (v !== undefined) out[sub.name] = v;
  }
  // A value that carried only readOnly sub-attributes stays as {} so rules like "members need a value" still see it.
  return Object.keys(out).length > 0 || (sawReadOnly && def.multiValued) ? out : undefined;
}

function normalizeSingle(def: AttrDef, value: JsonValue, path: string): JsonValue | undefined {
  if (value === null) return undefined;
  return def.type === 'complex' ? normalizeComplex(def, value, path) : checkSimple(def, value, path);
}

/** Validates one attribute value; returns undefined when the value means "unassigned". */
export function normalizeAttrValue(def: AttrDef, value: JsonValue, path: string = def.name): JsonValue | undefined {
  if (value === null) return undefined;
  if (!def.multiValued) return normalizeSingle(def, value, path);
  if (!Array.isArray(value)) throw badRequest('invalidValue', `Attribute "${path}" is multi-valued and must be an array`);
  const items = value.map((v) => normalizeSingle(def, v, path)).filter((v): v is JsonValue => v !== undefined);
  if (items.filter((i) => isJsonObject(i) && i['primary'] === true).length > 1) {
    throw badRequest('invalidValue', `At most one value of "${path}" may have primary true (RFC 7643 §2.4)`);
  }
  return items.length > 0 ? items : undefined;
}

function normalizeExtension(ext: SchemaDef, value: JsonValue, out: JsonObject): void {
  if (value === null) return;
  if (!isJsonObject(value)) throw badRequest('invalidSyntax', `"${ext.id}" must be a JSON object`);
  const target: JsonObject = {};
  for (const [key, raw] of Object.entries(value)) {
    const def = findAttr(ext.attributes, key);
    if (!def) throw badRequest('invalidSyntax', `Unknown attribute "${key}" in "${ext.id}"`);
    if (def.mutability === 'readOnly') continue;
    const v = normalizeAttrValue(def, raw, `${ext.id}:${def.name}`);
    if (v !== undefined) target[def.name] = v;
  }
  if (Object.keys(target).length > 0) out[ext.id] = target;
}

function checkSchemas(rt: ResourceTypeDef, body: JsonObject): Set<string> {
  const schemas = body['schemas'];
  if (!Array.isArray(schemas) || schemas.some((s) => typeof s !== 'string')) {
    throw badRequest('invalidSyntax', 'The "schemas" attribute is required and must be an array of URIs');
  }
  const known = new Map([rt.core, ...rt.extensions].map((s) => [s.id.toLowerCase(), s.id]));
  const listed = new Set<string>();
  for (const s of schemas as string[]) {
    const id = known.get(s.toLowerCase());
    if (!id) throw badRequest('invalidSyntax', `Schema "${s}" is not supported for ${rt.kind} resources`);
    listed.add(id);
  }
  if (!listed.has(rt.core.id)) throw badRequest('invalidSyntax', `"schemas" must include "${rt.core.id}"`);
  return listed;
}

/** Normalizes a POST/PUT body; `id`, `meta` and other readOnly attributes are ignored (RFC 7644 §3.5.1). */
export function normalizeResourceBody(rt: ResourceTypeDef, body: unknown): JsonObject {
  if (!isJsonObject(body)) throw badRequest('invalidSyntax', 'The request body must be a JSON object');
  const listed = checkSchemas(rt, body);
  const out: JsonObject = {};
  for (const [key, raw] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas') continue;
    const split = splitSchemaPrefix(rt, key);
    if (split?.extension && split.rest === '') {
      if (!listed.has(split.extension.id)) {
        throw badRequest('invalidSyntax', `"${split.extension.id}" is present but not listed in "schemas"`);
      }
      normalizeExtension(split.extension, raw, out);
      continue;
    }
    const resolved = resolveAttrPath(rt, key);
    if (!resolved || resolved.sub) throw badRequest('invalidSyntax', `Unknown attribute "${key}" for ${rt.kind}`);
    if (resolved.attr.mutability === 'readOnly') continue;
    const v = normalizeAttrValue(resolved.attr, raw);
    if (v === undefined) continue;
    if (resolved.extensionId) {
      const ext = out[resolved.extensionId];
      out[resolved.extensionId] = { ...(isJsonObject(ext) ? ext : {}), [resolved.attr.name]: v };
    } else {
      out[resolved.attr.name] = v;
    }
  }
  return out;
}

/** Required attributes (RFC 7643 §7 "required") must hold a value after any write. */
export function checkRequired(rt: ResourceTypeDef, attrs: JsonObject): void {
  for (const def of topLevelAttrs(rt, null)) {
    if (!def.required) continue;
    const v = attrs[def.name];
    if (v === undefined || v === null || v === '') {
      throw badRequest('invalidValue', `Required attribute "${def.name}" is missing`);
    }
  }
}
