// SCIM 1.1 wire form <-> the canonical SCIM 2.0 form the store keeps. SCIM 1.1 names its schemas
// urn:scim:schemas:core:1.0 and urn:scim:schemas:extension:enterprise:1.0 (declared extensions by
// their own 1.1 URN), calls the manager id "managerId", has no "$ref" and no meta.resourceType, and
// reports errors as {"Errors":[...]}.
import { ENTERPRISE_SCHEMA_ID, type ResourceKind } from './scim-core-schemas.js';
import { badRequest, type ScimError } from './scim-errors.js';
import { findKey, isJsonObject, type JsonObject, type JsonValue } from './scim-json.js';
import type { ScimSchemas } from './scim-schema-registry.js';

export const V1_CORE = 'urn:scim:schemas:core:1.0';
export const V1_ENTERPRISE = 'urn:scim:schemas:extension:enterprise:1.0';

/** Renames extensions (and the enterprise manager id) from 1.1 to 2.0 naming (no validation). */
export function v1ToV2Attributes(schemas: ScimSchemas, body: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    const v2Id = schemas.v2IdOf(key);
    if (v2Id === undefined) {
      out[key] = value;
      continue;
    }
    const ext = isJsonObject(value) ? { ...value } : value;
    if (v2Id === ENTERPRISE_SCHEMA_ID && isJsonObject(ext)) {
      const managerKey = findKey(ext, 'manager');
      const manager = managerKey === undefined ? undefined : ext[managerKey];
      if (managerKey !== undefined && isJsonObject(manager)) {
        const { managerId, ...rest } = manager;
        ext[managerKey] = managerId === undefined ? rest : { ...rest, value: managerId };
      }
    }
    out[v2Id] = ext;
  }
  return out;
}

/** A 1.1 POST/PUT body in 2.0 form, ready for the shared validator. */
export function v1BodyToV2(schemas: ScimSchemas, kind: ResourceKind, body: JsonValue | undefined): JsonObject {
  if (!isJsonObject(body)) throw badRequest('invalidSyntax', 'The request body must be a JSON object');
  const listed = body['schemas'];
  if (!Array.isArray(listed) || !listed.some((s) => typeof s === 'string' && s.toLowerCase() === V1_CORE)) {
    throw badRequest('invalidSyntax', `"schemas" must include "${V1_CORE}"`);
  }
  const rt = schemas.resourceType(kind);
  const extensions: string[] = [];
  for (const s of listed) {
    if (typeof s === 'string' && s.toLowerCase() === V1_CORE) continue;
    const v2Id = typeof s === 'string' ? schemas.v2IdOf(s) : undefined;
    if (v2Id === undefined || !rt.extensions.some((e) => e.id === v2Id)) {
      throw badRequest('invalidSyntax', `Schema "${String(s)}" is not supported by this SCIM 1.1 service`);
    }
    extensions.push(v2Id);
  }
  const converted = v1ToV2Attributes(schemas, body);
  converted['schemas'] = [rt.core.id, ...extensions];
  return converted;
}

function stripRefs(value: JsonValue): JsonValue {
  if (!Array.isArray(value)) return value;
  return value.map((item) => {
    if (!isJsonObject(item)) return item;
    const { $ref: _ref, ...rest } = item;
    return rest;
  });
}

/** A rendered 2.0 resource in 1.1 form. */
export function v2ResourceToV1(schemas: ScimSchemas, resource: JsonObject): JsonObject {
  const out: JsonObject = {};
  const listed: string[] = [V1_CORE];
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'schemas') continue;
    const v1Id = schemas.v1IdOf(key);
    if (v1Id !== undefined && isJsonObject(value)) {
      const converted: JsonObject = { ...value };
      const manager = value['manager'];
      if (key === ENTERPRISE_SCHEMA_ID && isJsonObject(manager)) {
        const { value: managerId, $ref: _ref, ...rest } = manager;
        converted['manager'] = managerId === undefined ? rest : { managerId, ...rest };
      }
      out[v1Id] = converted;
      listed.push(v1Id);
    } else if (key === 'meta' && isJsonObject(value)) {
      const { resourceType: _type, ...meta } = value;
      out['meta'] = meta;
    } else {
      out[key] = stripRefs(value);
    }
  }
  return { schemas: listed, ...out };
}

export function v1ErrorBody(err: ScimError): JsonObject {
  return { Errors: [{ description: err.detail, code: String(err.status) }] };
}
