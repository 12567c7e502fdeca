// RFC 7644 §3.4.2.5 "attributes" / "excludedAttributes": choose what a response carries.
// "id" and "schemas" are always returned; unknown names are ignored rather than rejected.
import { extensionByUrn, resolveAttrPath } from './scim-attribute-path.js';
import type { ResourceTypeDef } from './scim-core-schemas.js';
import { cloneJson, isJsonObject, type JsonObject, type JsonValue } from './scim-json.js';

const ALWAYS = new Set(['id', 'schemas']);

function pickSub(value: JsonValue | undefined, sub: string): JsonValue | undefined {
  if (Array.isArray(value)) {
    const items = value.filter(isJsonObject).map((i) => (i[sub] === undefined ? {} : { [sub]: i[sub] }));
    return items.some((i) => Object.keys(i).length > 0) ? items : undefined;
  }
  if (isJsonObject(value) && value[sub] !== undefined) return { [sub]: value[sub] };
  return undefined;
}

function merge(a: JsonValue | undefined, b: JsonValue): JsonValue {
  if (Array.isArray(a) && Array.isArray(b)) return a.map((item, i) => merge(item, b[i] ?? {}));
  if (isJsonObject(a) && isJsonObject(b)) return { ...a, ...b };
  return b;
}

function include(rt: ResourceTypeDef, resource: JsonObject, paths: string[]): JsonObject {
  const out: JsonObject = { schemas: resource['schemas'], id: resource['id'] };
  for (const path of paths) {
    const ext = extensionByUrn(rt, path);
    if (ext) {
      if (resource[ext.id] !== undefined) out[ext.id] = cloneJson(resource[ext.id]);
      continue;
    }
    const resolved = resolveAttrPath(rt, path);
    if (!resolved) continue;
    const source = resolved.extensionId ? resource[resolved.extensionId] : resource;
    if (!isJsonObject(source)) continue;
    const raw = source[resolved.attr.name];
    const picked = resolved.sub ? pickSub(raw, resolved.sub.name) : raw;
    if (picked === undefined) continue;
    const holderKey = resolved.extensionId;
    const holder: JsonObject = holderKey ? (isJsonObject(out[holderKey]) ? (out[holderKey] as JsonObject) : {}) : out;
    holder[resolved.attr.name] = merge(holder[resolved.attr.name], cloneJson(picked));
    if (holderKey) out[holderKey] = holder;
  }
  return out;
}

function exclude(rt: ResourceTypeDef, resource: JsonObject, paths: string[]): JsonObject {
  const out = cloneJson(resource);
  for (const path of paths) {
    const ext = extensionByUrn(rt, path);
    if (ext) {
      delete out[ext.id];
      continue;
    }
    const resolved = resolveAttrPath(rt, path);
    if (!resolved || (!resolved.sub && ALWAYS.has(resolved.attr.name))) continue;
    const holder = resolved.extensionId ? out[resolved.extensionId] : out;
    if (!isJsonObject(holder)) continue;
    if (!resolved.sub) {
      delete holder[resolved.attr.name];
      continue;
    }
    const value = holder[resolved.attr.name];
    const sub = resolved.sub.name;
    for (const item of Array.isArray(value) ? value : [value]) if (isJsonObject(item)) delete item[sub];
  }
  return out;
}

export interface Projection {
  attributes?: string[];
  excludedAttributes?: string[];
}

export function projectResource(rt: ResourceTypeDef, resource: JsonObject, projection: Projection): JsonObject {
  if (projection.attributes && projection.attributes.length > 0) return include(rt, resource, projection.attributes);
  if (projection.excludedAttributes && projection.excludedAttributes.length > 0) {
    return exclude(rt, resource, projection.excludedAttributes);
  }
  return resource;
}

/** Splits the comma-separated query form. */
export function parseAttributeList(raw: string | null | undefined): string[] | undefined {
  if (raw === null || raw === undefined) return undefined;
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return list.length > 0 ? list : undefined;
}
