import { SCIM_ENTERPRISE_USER_SCHEMA } from '@provisio/core';
import { matchesFilter, parsePatchPath, type FilterNode, type PatchPath } from '@provisio/core/engine';
import { CORE_SCHEMAS, type ScimSchemas } from './scim-schemas.js';
import { badRequest } from './scim-error.js';
import { coerceAttribute, definitionOf, isPlainObject, subDefinitionOf, type ResourceKind } from './resource-validator.js';
import type { AttributeDefinition } from './scimmy-registry.js';

/**
 * RFC 7644 §3.5.2 PATCH applied to one resource document, operation by operation,
 * with the shapes Entra ID and Okta send: `op` in any case, no path with a value
 * object (keys may themselves be paths), `"False"` strings, members added and
 * removed by value arrays, removal by `members[value eq "…"]`, and add/replace
 * through a filter that matches nothing creating the element (Entra's
 * `emails[type eq "work"].value`).
 */
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const MAX_OPERATIONS = 1000;

type Op = 'add' | 'replace' | 'remove';
type Doc = Record<string, unknown>;

export interface PatchOperation {
  op: Op;
  path?: string;
  value?: unknown;
}

export function readPatchRequest(body: unknown): PatchOperation[] {
  if (!isPlainObject(body)) throw badRequest('invalidSyntax', 'a PATCH body must be a PatchOp object');
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'operations');
  const operations = key === undefined ? undefined : body[key];
  if (!Array.isArray(operations) || operations.length === 0)
    throw badRequest('invalidSyntax', 'a PatchOp needs a non-empty "Operations" array');
  if (operations.length > MAX_OPERATIONS) throw badRequest('invalidSyntax', `at most ${MAX_OPERATIONS} operations per PATCH`);
  return operations.map((raw, index) => {
    if (!isPlainObject(raw)) throw badRequest('invalidSyntax', `Operations[${index}] must be an object`);
    const field = (name: string) => raw[Object.keys(raw).find((k) => k.toLowerCase() === name) ?? name];
    const op = typeof field('op') === 'string' ? (field('op') as string).toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw badRequest('invalidSyntax', `Operations[${index}].op must be add, replace or remove`);
    const path = field('path');
    if (path !== undefined && path !== null && typeof path !== 'string')
      throw badRequest('invalidPath', `Operations[${index}].path must be a string`);
    return { op, path: typeof path === 'string' && path.trim() !== '' ? path : undefined, value: field('value') };
  });
}

/** Applies the operations to a copy of `doc` (core attributes at the top, the enterprise extension under its URN). */
export function applyPatch(doc: Doc, operations: readonly PatchOperation[], kind: ResourceKind, schemas: ScimSchemas = CORE_SCHEMAS): Doc {
  const result = structuredClone(doc);
  for (const operation of operations) applyOne(result, operation, kind, schemas);
  return result;
}

function applyOne(doc: Doc, { op, path, value }: PatchOperation, kind: ResourceKind, schemas: ScimSchemas): void {
  if (path === undefined) {
    if (op === 'remove') throw badRequest('noTarget', 'remove needs a "path"');
    if (!isPlainObject(value)) throw badRequest('invalidValue', `${op} without a path needs an object "value"`);
    for (const [key, inner] of Object.entries(value)) {
      const extension = schemas.isEnterprise(kind, key) || schemas.extension(kind, key) !== undefined;
      if (extension && isPlainObject(inner)) {
        for (const [sub, subValue] of Object.entries(inner)) applyOne(doc, { op, path: `${key}:${sub}`, value: subValue }, kind, schemas);
      } else if (/^urn:/i.test(key) && isPlainObject(inner) && schemas.keepsOpaque(kind, key)) {
        applyOpaque(doc, key, op, inner);
      } else if (!['schemas', 'id', 'meta'].includes(key.toLowerCase())) {
        applyOne(doc, { op, path: key, value: inner }, kind, schemas);
      }
    }
    return;
  }
  // A whole extension as the path (`"path": "urn:…:2.0:User"`): the same as its value object without a path.
  const wholeExtension = schemas.isEnterprise(kind, path) ? SCIM_ENTERPRISE_USER_SCHEMA : schemas.extension(kind, path)?.id;
  if (wholeExtension !== undefined) {
    if (op === 'remove') delete doc[Object.keys(doc).find((k) => k.toLowerCase() === wholeExtension.toLowerCase()) ?? wholeExtension];
    else applyOne(doc, { op, value: { [wholeExtension]: value } }, kind, schemas);
    return;
  }
  const parsed = parsePatchPath(path);
  const schema = parsed.path.schema;
  if (['id', 'meta'].includes(parsed.path.attribute.toLowerCase()) && schema === undefined)
    throw badRequest('mutability', `${parsed.path.attribute} is read-only`);
  const def = definitionOf(kind, schema, parsed.path.attribute, schemas);
  if (!def) {
    const known =
      schema === undefined ||
      /:core:2\.0:/i.test(schema) ||
      schemas.isEnterprise(kind, schema) ||
      schemas.extension(kind, schema) !== undefined;
    if (known) throw badRequest('invalidPath', `"${path}" is not an attribute of ${kind}`);
    if (parsed.valueFilter || parsed.path.subAttribute !== undefined || !schemas.keepsOpaque(kind, schema))
      throw badRequest('invalidValue', `${schema} is not a schema extension of ${kind} on this server: declare it in inbound.scim.schemas`);
    const container = isPlainObject(doc[schema]) ? (doc[schema] as Doc) : (doc[schema] = {});
    if (op === 'remove') delete container[parsed.path.attribute];
    else container[parsed.path.attribute] = value;
    return;
  }
  if (def.mutability === 'readOnly') throw badRequest('mutability', `${def.name} is read-only`);
  const container = containerOf(doc, schema, op !== 'remove', schemas, kind);
  if (!container) return;
  const sub = parsed.valueFilter ? parsed.subAttribute : parsed.path.subAttribute;
  const subDef = sub === undefined ? undefined : subDefinitionOf(def, sub);
  if (sub !== undefined && !subDef) throw badRequest('invalidPath', `"${path}": ${def.name} has no sub-attribute ${sub}`);
  if (parsed.valueFilter) return applyFiltered(container, def, parsed, subDef, op, value);
  if (subDef) return applySub(container, def, subDef, op, value);
  applyWhole(container, def, op, value);
}

/** Where an attribute lives: the document for core attributes, the object under its URN for an extension's. */
function containerOf(doc: Doc, schema: string | undefined, create: boolean, schemas: ScimSchemas, kind: ResourceKind): Doc | undefined {
  if (schema === undefined || /:core:2\.0:/i.test(schema)) return doc;
  const urn = schemas.isEnterprise(kind, schema) ? SCIM_ENTERPRISE_USER_SCHEMA : (schemas.extension(kind, schema)?.id ?? schema);
  const key = Object.keys(doc).find((k) => k.toLowerCase() === urn.toLowerCase()) ?? urn;
  if (!isPlainObject(doc[key]) && create) doc[key] = {};
  return doc[key] as Doc | undefined;
}

/** A whole extension object without a path (`{"op":"add","value":{"urn:…":{…}}}`) that the server keeps as opaque data. */
function applyOpaque(doc: Doc, urn: string, op: Op, value: unknown): void {
  if (op === 'remove') delete doc[urn];
  else doc[urn] = op === 'add' && isPlainObject(doc[urn]) && isPlainObject(value) ? { ...doc[urn], ...value } : value;
}

function requireValue(op: Op, value: unknown, name: string): void {
  if (value === undefined) throw badRequest('invalidValue', `${op} of ${name} needs a "value"`);
}

function applyWhole(container: Doc, def: AttributeDefinition, op: Op, value: unknown): void {
  const name = def.name;
  if (op === 'remove') {
    // Entra ID and Okta remove members by listing them: {"op":"remove","path":"members","value":[{"value":"id"}]}.
    if (def.multiValued && value !== undefined && value !== null) {
      const drop = new Set(listOf(coerceAttribute(def, value, name)).map(identityOf));
      container[name] = listOf(container[name]).filter((item) => !drop.has(identityOf(item)));
    } else delete container[name];
    return;
  }
  requireValue(op, value, name);
  const coerced = coerceAttribute(def, value, name);
  if (coerced === undefined) {
    if (op === 'replace') delete container[name];
    return;
  }
  if (def.multiValued) {
    const incoming = listOf(coerced);
    if (op === 'replace') container[name] = incoming;
    else {
      const existing = listOf(container[name]);
      const seen = new Set(existing.map(identityOf));
      container[name] = [...existing, ...incoming.filter((item) => !seen.has(identityOf(item)))];
    }
  } else if (def.type === 'complex' && isPlainObject(coerced) && isPlainObject(container[name])) {
    container[name] = { ...(container[name] as Doc), ...coerced };
  } else container[name] = coerced;
}

function applySub(container: Doc, def: AttributeDefinition, subDef: AttributeDefinition, op: Op, value: unknown): void {
  if (op !== 'remove') requireValue(op, value, `${def.name}.${subDef.name}`);
  const coerced = op === 'remove' ? undefined : coerceAttribute(subDef, value, `${def.name}.${subDef.name}`);
  const set = (item: Doc) => {
    if (coerced === undefined) delete item[subDef.name];
    else item[subDef.name] = coerced;
  };
  if (def.multiValued) {
    const items = listOf(container[def.name]).filter(isPlainObject);
    if (items.length === 0 && coerced !== undefined) container[def.name] = [{ [subDef.name]: coerced }];
    else items.forEach(set);
    return;
  }
  const item = isPlainObject(container[def.name]) ? (container[def.name] as Doc) : {};
  set(item);
  if (Object.keys(item).length > 0) container[def.name] = item;
  else delete container[def.name];
}

function applyFiltered(
  container: Doc,
  def: AttributeDefinition,
  parsed: PatchPath,
  subDef: AttributeDefinition | undefined,
  op: Op,
  value: unknown,
): void {
  if (!def.multiValued || def.type !== 'complex') throw badRequest('invalidPath', `${def.name} is not a multi-valued complex attribute`);
  const filter = parsed.valueFilter as FilterNode;
  const items = listOf(container[def.name]);
  const matches = (item: unknown) => isPlainObject(item) && matchesFilter(item, filter);
  if (op === 'remove') {
    container[def.name] = subDef
      ? items.map((item) => (matches(item) ? omit(item as Doc, subDef.name) : item))
      : items.filter((item) => !matches(item));
    return;
  }
  requireValue(op, value, def.name);
  const incoming = subDef
    ? { [subDef.name]: coerceAttribute(subDef, value, `${def.name}.${subDef.name}`) }
    : coerceAttribute({ ...def, multiValued: false }, value, def.name);
  if (!isPlainObject(incoming)) throw badRequest('invalidValue', `${def.name} values are objects`);
  if (items.some(matches)) {
    container[def.name] = items.map((item) => (matches(item) ? { ...(item as Doc), ...incoming } : item));
    return;
  }
  const seed = equalitiesOf(filter);
  if (!seed) throw badRequest('noTarget', `no value of ${def.name} matches the filter`);
  container[def.name] = [...items, { ...seed, ...incoming }];
}

/** `type eq "work" and primary eq true` → { type: "work", primary: true }; anything else: undefined. */
function equalitiesOf(filter: FilterNode): Doc | undefined {
  if (
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    filter.value !== null &&
    filter.path.subAttribute === undefined &&
    filter.path.schema === undefined
  )
    return { [filter.path.attribute]: filter.value };
  if (filter.kind === 'and') {
    const left = equalitiesOf(filter.left);
    const right = equalitiesOf(filter.right);
    return left && right ? { ...left, ...right } : undefined;
  }
  return undefined;
}

function omit(item: Doc, key: string): Doc {
  const { [key]: _dropped, ...rest } = item;
  return rest;
}

function listOf(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

/** Two values of a multi-valued attribute are the same when their `value` is (members, emails), else when equal as JSON. */
function identityOf(item: unknown): string {
  if (isPlainObject(item) && typeof item.value === 'string') return `v:${item.value.toLowerCase()}`;
  return `j:${JSON.stringify(item)}`;
}
