import { SCIM_ENTERPRISE_USER_SCHEMA, SCIM_GROUP_SCHEMA, SCIM_USER_SCHEMA } from '@provisio/core';
import { badRequest } from './scim-error.js';
import { schemaDefinitions, type AttributeDefinition } from './scimmy-registry.js';

/**
 * The hot-path validator: checks and coerces a User or Group body against the
 * attribute definitions scimmy declares, about 100× cheaper than constructing
 * scimmy's schema instances (see README, "scimmy decisions"). It
 *  - matches attribute names case-insensitively and writes them in schema case;
 *  - accepts Entra's "True"/"False" strings for booleans, and numeric strings for numbers;
 *  - wraps a single value of a multi-valued attribute in an array;
 *  - drops read-only attributes (id, meta, groups), nulls, and attributes no schema knows
 *    (RFC 7644 §3.3: the service provider may ignore them).
 */
export type ResourceKind = 'User' | 'Group';

export interface ValidatedResource {
  resource: Record<string, unknown>;
  password?: string;
}

interface Table {
  byName: Map<string, AttributeDefinition>;
}

const tableOf = (attributes: readonly AttributeDefinition[]): Table => ({
  byName: new Map(attributes.map((a) => [a.name.toLowerCase(), a])),
});

const defs = schemaDefinitions();
const USER = tableOf(defs.user.attributes);
const ENTERPRISE = tableOf(defs.enterprise.attributes);
const GROUP = tableOf(defs.group.attributes);
const SUB_TABLES = new WeakMap<AttributeDefinition, Table>();
const ENTERPRISE_KEY = SCIM_ENTERPRISE_USER_SCHEMA.toLowerCase();

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function definitionOf(kind: ResourceKind, schema: string | undefined, attribute: string): AttributeDefinition | undefined {
  if (schema && schema.toLowerCase() === ENTERPRISE_KEY) return ENTERPRISE.byName.get(attribute.toLowerCase());
  return (kind === 'User' ? USER : GROUP).byName.get(attribute.toLowerCase());
}

export function subDefinitionOf(parent: AttributeDefinition, name: string): AttributeDefinition | undefined {
  let table = SUB_TABLES.get(parent);
  if (!table) {
    table = tableOf(parent.subAttributes ?? []);
    SUB_TABLES.set(parent, table);
  }
  return table.byName.get(name.toLowerCase());
}

export function validateResource(input: unknown, kind: ResourceKind): ValidatedResource {
  if (!isPlainObject(input)) throw badRequest('invalidSyntax', `a ${kind} must be a JSON object`);
  const table = kind === 'User' ? USER : GROUP;
  const resource: Record<string, unknown> = {};
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
    if (kind === 'User' && lower === ENTERPRISE_KEY) {
      if (!isPlainObject(value)) throw badRequest('invalidValue', `${SCIM_ENTERPRISE_USER_SCHEMA} must be an object`);
      const extension = complexValue(value, ENTERPRISE, SCIM_ENTERPRISE_USER_SCHEMA);
      if (Object.keys(extension).length > 0) resource[SCIM_ENTERPRISE_USER_SCHEMA] = extension;
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
  resource.schemas =
    kind === 'Group'
      ? [SCIM_GROUP_SCHEMA]
      : resource[SCIM_ENTERPRISE_USER_SCHEMA]
        ? [SCIM_USER_SCHEMA, SCIM_ENTERPRISE_USER_SCHEMA]
        : [SCIM_USER_SCHEMA];
  return { resource, password };
}

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
      const subs = SUB_TABLES.get(def) ?? tableOf(def.subAttributes ?? []);
      SUB_TABLES.set(def, subs);
      return complexValue(value, subs, where);
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
    default:
      return text(value, where);
  }
}

function complexValue(value: Record<string, unknown>, subs: Table, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(value)) {
    const def = subs.byName.get(key.toLowerCase());
    if (!def || sub === null || (def.mutability === 'readOnly' && def.name !== 'display')) continue;
    const coerced = coerceAttribute(def, sub, `${where}.${def.name}`);
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
