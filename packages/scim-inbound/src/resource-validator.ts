import { SCIM_ENTERPRISE_USER_SCHEMA, SCIM_GROUP_SCHEMA, SCIM_USER_SCHEMA } from '@provisio/core';
import { badRequest } from './scim-error.js';
import type { AttributeDefinition } from './scimmy-registry.js';
import {
  CORE_SCHEMAS,
  ENTERPRISE_TABLE,
  tableOf,
  type ExtensionSchema,
  type ResourceKind,
  type ScimSchemas,
  type Table,
} from './scim-schemas.js';

/**
 * The hot-path validator: checks and coerces a User or Group body against the
 * attribute definitions scimmy declares, about 100× cheaper than constructing
 * scimmy's schema instances (see README, "scimmy decisions"). It
 *  - matches attribute names case-insensitively and writes them in schema case;
 *  - accepts Entra's "True"/"False" strings for booleans, and numeric strings for numbers;
 *  - wraps a single value of a multi-valued attribute in an array;
 *  - drops read-only attributes (id, meta, groups), nulls, and core attributes no schema knows
 *    (RFC 7644 §3.3: the service provider may ignore them);
 *  - refuses an extension the server does not declare (invalidValue), unless it keeps it as opaque data
 *    (inbound.scim.schemas lenient, builtIn entra), and checks declared ones (required, immutable, canonicalValues).
 */
export type { ResourceKind } from './scim-schemas.js';

export interface ValidatedResource {
  resource: Record<string, unknown>;
  password?: string;
}

const SUB_TABLES = new WeakMap<AttributeDefinition, Table>();

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function definitionOf(
  kind: ResourceKind,
  schema: string | undefined,
  attribute: string,
  schemas: ScimSchemas = CORE_SCHEMAS,
): AttributeDefinition | undefined {
  return schemas.definitionOf(kind, schema, attribute);
}

export function subDefinitionOf(parent: AttributeDefinition, name: string): AttributeDefinition | undefined {
  return subTable(parent).byName.get(name.toLowerCase());
}

function subTable(parent: AttributeDefinition): Table {
  let table = SUB_TABLES.get(parent);
  if (!table) {
    table = tableOf(parent.subAttributes ?? []);
    SUB_TABLES.set(parent, table);
  }
  return table;
}

/**
 * Validates a body. `previous`: the stored resource on a replace or PATCH, against which
 * an immutable extension attribute may not change.
 */
export function validateResource(
  input: unknown,
  kind: ResourceKind,
  schemas: ScimSchemas = CORE_SCHEMAS,
  previous?: Record<string, unknown>,
): ValidatedResource {
  if (!isPlainObject(input)) throw badRequest('invalidSyntax', `a ${kind} must be a JSON object`);
  const table = schemas.coreTable(kind);
  const resource: Record<string, unknown> = {};
  const extensions: string[] = [];
  let password: string | undefined;
  for (const [key, value] of Object.entries(input)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas' || lower === 'id' || lower === 'meta' || value === null) continue;
    if (lower === 'externalid') {
      resource.externalId = text(value, 'externalId');
      continue;
    }
    if (kind === 'User' && lower === 'password') {
      password = text(value, 'password');
      continue;
    }
    if (schemas.isEnterprise(kind, key)) {
      if (!isPlainObject(value)) throw badRequest('invalidValue', `${SCIM_ENTERPRISE_USER_SCHEMA} must be an object`);
      const extension = complexValue(value, ENTERPRISE_TABLE, `${SCIM_ENTERPRISE_USER_SCHEMA}:`);
      if (Object.keys(extension).length > 0) {
        resource[SCIM_ENTERPRISE_USER_SCHEMA] = extension;
        extensions.push(SCIM_ENTERPRISE_USER_SCHEMA);
      }
      continue;
    }
    if (key.startsWith('urn:') || key.startsWith('URN:')) {
      const kept = extensionValue(schemas, kind, key, value);
      if (kept !== undefined) {
        resource[kept.urn] = kept.value;
        extensions.push(kept.urn);
      }
      continue;
    }
    const def = table.byName.get(lower);
    if (!def || def.mutability === 'readOnly') continue;
    const coerced = coerceAttribute(def, value, def.name);
    if (coerced !== undefined) resource[def.name] = coerced;
  }
  if (kind === 'User' && (typeof resource.userName !== 'string' || resource.userName.trim() === ''))
    throw badRequest('invalidValue', 'userName is required');
  if (kind === 'Group' && (typeof resource.displayName !== 'string' || resource.displayName.trim() === ''))
    throw badRequest('invalidValue', 'displayName is required');
  for (const extension of schemas.extensionsOf(kind)) checkExtension(extension, resource[extension.id], previous?.[extension.id]);
  resource.schemas = [kind === 'Group' ? SCIM_GROUP_SCHEMA : SCIM_USER_SCHEMA, ...extensions];
  return { resource, password };
}

/** A declared extension coerced to its schema, an opaque one as sent, an undeclared one refused. */
function extensionValue(
  schemas: ScimSchemas,
  kind: ResourceKind,
  key: string,
  value: unknown,
): { urn: string; value: unknown } | undefined {
  const declared = schemas.extension(kind, key);
  if (!declared) {
    if (schemas.keepsOpaque(kind, key)) return { urn: key, value };
    throw badRequest(
      'invalidValue',
      `${key} is not a schema extension of ${kind} on this server: declare it in inbound.scim.schemas (or set lenient: true)`,
    );
  }
  if (!isPlainObject(value)) throw badRequest('invalidValue', `${declared.id} must be an object`);
  const out = complexValue(value, declared.table, `${declared.id}:`, declared.open || schemas.lenient ? 'keep' : 'refuse');
  return Object.keys(out).length > 0 ? { urn: declared.id, value: out } : undefined;
}

/** Required extensions and attributes, canonical values, immutable attributes against the stored resource. */
function checkExtension(extension: ExtensionSchema, value: unknown, previous: unknown): void {
  if (value === undefined) {
    if (extension.required) throw badRequest('invalidValue', `the ${extension.id} extension is required`);
    if (!isPlainObject(previous)) return;
  }
  const current = isPlainObject(value) ? value : {};
  const before = isPlainObject(previous) ? previous : undefined;
  for (const def of extension.attributes) {
    const where = `${extension.id}:${def.name}`;
    if (def.required && value !== undefined && isAbsent(current[def.name])) throw badRequest('invalidValue', `${where} is required`);
    if (def.mutability === 'immutable' && before && !isAbsent(before[def.name]) && !sameValue(before[def.name], current[def.name]))
      throw badRequest('mutability', `${where} is immutable: it cannot change once set`);
  }
}

const isAbsent = (value: unknown): boolean => value === undefined || (Array.isArray(value) && value.length === 0);
const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Coerces one attribute's value (multi-valued or not) to its definition; undefined: nothing to keep. */
export function coerceAttribute(def: AttributeDefinition, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (def.multiValued) {
    const items = (Array.isArray(value) ? value : [value]).filter((v) => v !== null).map((v) => coerceSingle(def, v, where));
    return items.filter((v) => v !== undefined);
  }
  if (Array.isArray(value)) throw badRequest('invalidValue', `${where} is single-valued, got an array`);
  return coerceSingle(def, value, where);
}

export function coerceSingle(def: AttributeDefinition, value: unknown, where: string): unknown {
  switch (def.type) {
    case 'complex': {
      if (!isPlainObject(value)) {
        // SCIM 1.1 sends plain values for multi-valued attributes; Entra ID sends `manager` as the id alone.
        if ((typeof value === 'string' || typeof value === 'number') && subDefinitionOf(def, 'value')) return { value: String(value) };
        throw badRequest('invalidValue', `${where} must be an object`);
      }
      return complexValue(value, subTable(def), `${where}.`, def.strict ? 'refuse' : 'ignore');
    }
    case 'boolean':
      return booleanValue(value, where);
    case 'integer':
    case 'decimal': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(number) || (def.type === 'integer' && !Number.isInteger(number)))
        throw badRequest('invalidValue', `${where} must be a number`);
      return number;
    }
    default: {
      const string = text(value, where);
      if (
        def.canonicalValues &&
        !def.canonicalValues.some((c) => (def.caseExact ? c === string : c.toLowerCase() === string.toLowerCase()))
      )
        throw badRequest('invalidValue', `${where} must be one of ${def.canonicalValues.join(', ')}`);
      return string;
    }
  }
}

/** `unknown`: what to do with an attribute the schema does not have (core: ignore, RFC 7644 §3.3; extensions: refuse or keep). */
function complexValue(
  value: Record<string, unknown>,
  subs: Table,
  prefix: string,
  unknown: 'ignore' | 'refuse' | 'keep' = 'ignore',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(value)) {
    const def = subs.byName.get(key.toLowerCase());
    if (sub === null) continue;
    if (!def) {
      if (unknown === 'refuse') throw badRequest('invalidValue', `${prefix}${key} is not an attribute of its schema`);
      if (unknown === 'keep') out[key] = sub;
      continue;
    }
    if (def.mutability === 'readOnly' && def.name !== 'display') continue;
    const coerced = coerceAttribute(def, sub, `${prefix}${def.name}`);
    if (coerced !== undefined) out[def.name] = coerced;
  }
  return out;
}

/** Booleans, and Entra ID's "True"/"False" strings. */
export function booleanValue(value: unknown, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  throw badRequest('invalidValue', `${where} must be a boolean`);
}

function text(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw badRequest('invalidValue', `${where} must be a string`);
}
