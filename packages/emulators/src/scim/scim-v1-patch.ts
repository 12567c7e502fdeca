// SCIM 1.1 PATCH (protocol §3.3.2): the body is a partial resource. meta.attributes names attributes
// to clear first; multi-valued values carrying "operation":"delete" are removed, others are added or
// update the value they match; singular attributes are replaced; complex ones merged.
import { extensionByUrn, resolveAttrPath, splitSchemaPrefix } from './scim-attribute-path.js';
import { ENTERPRISE_SCHEMA_ID, type ResourceTypeDef } from './scim-core-schemas.js';
import { badRequest } from './scim-errors.js';
import { findKey, isJsonObject, jsonEqual, type JsonObject, type JsonValue } from './scim-json.js';
import { normalizeAttrValue } from './scim-resource-validator.js';
import type { ScimSchemas } from './scim-schema-registry.js';
import { findAttr, type AttrDef } from './scim-schema-model.js';
import { V1_CORE, v1ToV2Attributes } from './scim-v1-translation.js';

/**
 * 1.1 names extension attributes by the extension's 1.1 URN ("urn:scim:schemas:extension:enterprise:1.0:department")
 * and the manager's id "managerId".
 */
function v2Path(schemas: ScimSchemas, rt: ResourceTypeDef, rawPath: string): string {
  const lower = rawPath.toLowerCase();
  for (const ext of rt.extensions) {
    const v1 = schemas.v1IdOf(ext.id);
    if (v1 === undefined || (lower !== v1.toLowerCase() && !lower.startsWith(`${v1.toLowerCase()}:`))) continue;
    const rest = rawPath.slice(v1.length);
    return ext.id + (ext.id === ENTERPRISE_SCHEMA_ID && rest.toLowerCase() === ':manager.managerid' ? ':manager.value' : rest);
  }
  return rawPath;
}

function clearAttribute(schemas: ScimSchemas, rt: ResourceTypeDef, attrs: JsonObject, rawPath: string): void {
  const path = v2Path(schemas, rt, rawPath);
  const whole = extensionByUrn(rt, path);
  if (whole) {
    delete attrs[whole.id];
    return;
  }
  const resolved = resolveAttrPath(rt, path);
  if (!resolved) throw badRequest('invalidPath', `meta.attributes names unknown attribute "${rawPath}"`);
  if (resolved.attr.mutability === 'readOnly') throw badRequest('mutability', `Attribute "${rawPath}" is readOnly`);
  const holder = resolved.extensionId ? attrs[resolved.extensionId] : attrs;
  if (!isJsonObject(holder)) return;
  if (!resolved.sub) {
    delete holder[resolved.attr.name];
  } else {
    const value = holder[resolved.attr.name];
    for (const item of Array.isArray(value) ? value : [value]) if (isJsonObject(item)) delete item[resolved.sub.name];
    // A singular complex attribute left with no sub-attribute has no value any more.
    if (isJsonObject(value) && Object.keys(value).length === 0) delete holder[resolved.attr.name];
  }
  if (resolved.extensionId && Object.keys(holder).length === 0) delete attrs[resolved.extensionId];
}

function matchesProbe(item: JsonValue, probe: JsonObject): boolean {
  if (!isJsonObject(item)) return jsonEqual(item, probe['value']);
  if (probe['value'] !== undefined) return jsonEqual(item['value'], probe['value']);
  return Object.entries(probe).every(([k, v]) => jsonEqual(item[k], v));
}

function patchMultiValued(holder: JsonObject, def: AttrDef, value: JsonValue): void {
  if (!Array.isArray(value)) throw badRequest('invalidValue', `Attribute "${def.name}" is multi-valued and must be an array`);
  let items: JsonValue[] = Array.isArray(holder[def.name]) ? [...(holder[def.name] as JsonValue[])] : [];
  const additions: JsonValue[] = [];
  for (const raw of value) {
    if (!isJsonObject(raw)) {
      additions.push(raw);
      continue;
    }
    const opKey = findKey(raw, 'operation');
    const { [opKey ?? 'operation']: operation, ...rest } = raw;
    if (operation === undefined) additions.push(rest);
    else if (String(operation).toLowerCase() === 'delete') items = items.filter((item) => !matchesProbe(item, rest));
    else throw badRequest('invalidValue', `Unknown operation "${String(operation)}" on "${def.name}"`);
  }
  const normalized = normalizeAttrValue(def, additions, def.name);
  for (const added of Array.isArray(normalized) ? normalized : []) {
    const at =
      isJsonObject(added) && added['value'] !== undefined
        ? items.findIndex((i) => isJsonObject(i) && jsonEqual(i['value'], added['value']))
        : -1;
    if (at >= 0) items[at] = { ...(items[at] as JsonObject), ...(added as JsonObject) };
    else if (!items.some((i) => jsonEqual(i, added))) items.push(added);
  }
  if (items.length > 0) holder[def.name] = items;
  else delete holder[def.name];
}

function patchAttribute(holder: JsonObject, def: AttrDef, value: JsonValue): void {
  if (def.mutability === 'readOnly') return; // 1.1: read-only attributes in a request are ignored
  if (def.multiValued) return patchMultiValued(holder, def, value);
  const normalized = normalizeAttrValue(def, value);
  const current = holder[def.name];
  if (normalized === undefined) delete holder[def.name];
  else if (def.type === 'complex' && isJsonObject(current) && isJsonObject(normalized)) holder[def.name] = { ...current, ...normalized };
  else holder[def.name] = normalized;
}

export function applyPatchV1(schemas: ScimSchemas, rt: ResourceTypeDef, attrs: JsonObject, body: JsonValue | undefined): JsonObject {
  if (!isJsonObject(body)) throw badRequest('invalidSyntax', 'The request body must be a JSON object');
  const listed = body['schemas'];
  if (!Array.isArray(listed) || !listed.some((s) => typeof s === 'string' && s.toLowerCase() === V1_CORE)) {
    throw badRequest('invalidSyntax', `"schemas" must include "${V1_CORE}"`);
  }
  const metaKey = findKey(body, 'meta');
  const meta = metaKey === undefined ? undefined : body[metaKey];
  const toClear = isJsonObject(meta) ? meta['attributes'] : undefined;
  if (toClear !== undefined) {
    if (!Array.isArray(toClear) || toClear.some((a) => typeof a !== 'string')) {
      throw badRequest('invalidSyntax', '"meta.attributes" must be an array of attribute names');
    }
    for (const path of toClear as string[]) clearAttribute(schemas, rt, attrs, path);
  }
  for (const [key, value] of Object.entries(v1ToV2Attributes(schemas, body))) {
    const lower = key.toLowerCase();
    if (lower === 'schemas' || lower === 'meta' || lower === 'id') continue;
    const split = splitSchemaPrefix(rt, key);
    if (split?.extension && split.rest === '') {
      if (!isJsonObject(value)) throw badRequest('invalidSyntax', `"${key}" must be a JSON object`);
      const holder = isJsonObject(attrs[split.extension.id]) ? (attrs[split.extension.id] as JsonObject) : {};
      for (const [name, v] of Object.entries(value)) {
        const def = findAttr(split.extension.attributes, name);
        if (!def)
          throw badRequest('invalidSyntax', `Unknown attribute "${name}" in "${schemas.v1IdOf(split.extension.id) ?? split.extension.id}"`);
        patchAttribute(holder, def, v);
      }
      if (Object.keys(holder).length > 0) attrs[split.extension.id] = holder;
      else delete attrs[split.extension.id];
      continue;
    }
    const resolved = resolveAttrPath(rt, key);
    if (!resolved || resolved.sub || resolved.extensionId) throw badRequest('invalidSyntax', `Unknown attribute "${key}"`);
    patchAttribute(attrs, resolved.attr, value);
  }
  return attrs;
}
