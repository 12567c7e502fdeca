// SCIM 1.1 wire form <-> the canonical SCIM 2.0 form the store keeps. SCIM 1.1 names its schemas
// urn:scim:schemas:core:1.0 and urn:scim:schemas:extension:enterprise:1.0, calls the manager id
// "managerId", has no "$ref" and no meta.resourceType, and reports errors as {"Errors":[...]}.
import { ENTERPRISE_SCHEMA_ID, RESOURCE_TYPES, type ResourceKind } from './scim-core-schemas.js';
import { badRequest, type ScimError } from './scim-errors.js';
import { findKey, isJsonObject, type JsonObject, type JsonValue } from './scim-json.js';

export const V1_CORE = 'urn:scim:schemas:core:1.0';
export const V1_ENTERPRISE = 'urn:scim:schemas:extension:enterprise:1.0';

/** Renames the enterprise extension and manager id from 1.1 to 2.0 naming (no validation). */
export function v1ToV2Attributes(body: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === V1_ENTERPRISE) {
      const ext = isJsonObject(value) ? { ...value } : value;
      if (isJsonObject(ext)) {
        const managerKey = findKey(ext, 'manager');
        const manager = managerKey === undefined ? undefined : ext[managerKey];
        if (managerKey !== undefined && isJsonObject(manager)) {
          const { managerId, ...rest } = manager;
          ext[managerKey] = managerId === undefined ? rest : { ...rest, value: managerId };
        }
      }
      out[ENTERPRISE_SCHEMA_ID] = ext;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** A 1.1 POST/PUT body in 2.0 form, ready for the shared validator. */
export function v1BodyToV2(kind: ResourceKind, body: JsonValue | undefined): JsonObject {
  if (!isJsonObject(body)) throw badRequest('invalidSyntax', 'The request body must be a JSON object');
  const schemas = body['schemas'];
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === V1_CORE)) {
    throw badRequest('invalidSyntax', `"schemas" must include "${V1_CORE}"`);
  }
  const unknown = schemas.find((s) => typeof s !== 'string' || ![V1_CORE, V1_ENTERPRISE].includes(s.toLowerCase()));
  if (unknown !== undefined) throw badRequest('invalidSyntax', `Schema "${String(unknown)}" is not supported by this SCIM 1.1 service`);
  const rt = RESOURCE_TYPES[kind];
  const hasExt = schemas.some((s) => typeof s === 'string' && s.toLowerCase() === V1_ENTERPRISE);
  const converted = v1ToV2Attributes(body);
  converted['schemas'] = [rt.core.id, ...(hasExt && kind === 'User' ? [ENTERPRISE_SCHEMA_ID] : [])];
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
export function v2ResourceToV1(resource: JsonObject): JsonObject {
  const out: JsonObject = {};
  const ext = resource[ENTERPRISE_SCHEMA_ID];
  out['schemas'] = [V1_CORE, ...(ext !== undefined ? [V1_ENTERPRISE] : [])];
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'schemas') continue;
    if (key === ENTERPRISE_SCHEMA_ID && isJsonObject(value)) {
      const converted: JsonObject = { ...value };
      const manager = value['manager'];
      if (isJsonObject(manager)) {
        const { value: managerId, $ref: _ref, ...rest } = manager;
        converted['manager'] = managerId === undefined ? rest : { managerId, ...rest };
      }
      out[V1_ENTERPRISE] = converted;
    } else if (key === 'meta' && isJsonObject(value)) {
      const { resourceType: _type, ...meta } = value;
      out['meta'] = meta;
    } else {
      out[key] = stripRefs(value);
    }
  }
  return out;
}

export function v1ErrorBody(err: ScimError): JsonObject {
  return { Errors: [{ description: err.detail, code: String(err.status) }] };
}
