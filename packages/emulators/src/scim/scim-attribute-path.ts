// Resolves attribute paths ("name.givenName", "urn:...:enterprise:2.0:User:manager.value") against a resource type.
import { COMMON_ATTRIBUTES, type ResourceTypeDef } from './scim-core-schemas.js';
import { findAttr, type AttrDef, type SchemaDef } from './scim-schema-model.js';

export interface ResolvedAttr {
  /** null for core and common attributes, else the extension schema URN (its key in the resource). */
  extensionId: string | null;
  attr: AttrDef;
  sub?: AttrDef;
}

export interface UrnSplit {
  extension: SchemaDef | null;
  rest: string;
}

/** Strips a known schema URN prefix; `undefined` when the path names an unknown URN. */
export function splitSchemaPrefix(rt: ResourceTypeDef, path: string): UrnSplit | undefined {
  if (!path.toLowerCase().startsWith('urn:')) return { extension: null, rest: path };
  const lower = path.toLowerCase();
  for (const schema of [rt.core, ...rt.extensions]) {
    const id = schema.id.toLowerCase();
    if (lower === id || lower.startsWith(id + ':')) {
      return { extension: schema === rt.core ? null : schema, rest: path.slice(schema.id.length + 1) };
    }
  }
  return undefined;
}

export function topLevelAttrs(rt: ResourceTypeDef, extension: SchemaDef | null): AttrDef[] {
  return extension ? extension.attributes : [...COMMON_ATTRIBUTES, ...rt.core.attributes];
}

export function resolveAttrPath(rt: ResourceTypeDef, path: string): ResolvedAttr | undefined {
  const split = splitSchemaPrefix(rt, path);
  if (!split || split.rest === '') return undefined;
  const parts = split.rest.split('.');
  if (parts.length > 2 || parts.some((p) => p === '')) return undefined;
  const attr = findAttr(topLevelAttrs(rt, split.extension), parts[0]);
  if (!attr) return undefined;
  const extensionId = split.extension?.id ?? null;
  if (parts.length === 1) return { extensionId, attr };
  const sub = findAttr(attr.subAttributes, parts[1]);
  return sub ? { extensionId, attr, sub } : undefined;
}

/** The extension schema a bare URN names (a PATCH path or attributes entry may name a whole extension). */
export function extensionByUrn(rt: ResourceTypeDef, urn: string): SchemaDef | undefined {
  return rt.extensions.find((s) => s.id.toLowerCase() === urn.toLowerCase());
}
