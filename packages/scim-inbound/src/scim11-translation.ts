import { SCIM_ENTERPRISE_USER_SCHEMA } from '@provisio/core';
import type { PatchOperation } from './patch-operations.js';
import { isPlainObject, definitionOf, type ResourceKind } from './resource-validator.js';
import { badRequest } from './scim-error.js';

/**
 * SCIM 1.1 (draft-scim-core-schema-01 / draft-scim-api-01) ⇄ the canonical 2.0 model.
 * The attribute names of User and Group are the same; what differs: schema URNs,
 * plain strings for multi-valued attributes (`"emails": ["kim@wso2.com"]`, handled
 * by the validator), the enterprise extension URN, errors, and PATCH (a partial
 * resource with `meta.attributes` to remove and `operation: "delete"` on values).
 */
export const SCIM11_CORE = 'urn:scim:schemas:core:1.0';
export const SCIM11_ENTERPRISE = 'urn:scim:schemas:extension:enterprise:1.0';

type Doc = Record<string, unknown>;

/** A body that names the SCIM 1.1 core schema. */
export function isScim11Resource(body: unknown): boolean {
  return (
    isPlainObject(body) && Array.isArray(body.schemas) && body.schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SCIM11_CORE)
  );
}

/** A 1.1 request body in 2.0 shape (still to be validated). */
export function fromScim11(body: unknown): unknown {
  if (!isPlainObject(body)) return body;
  const out: Doc = {};
  for (const [key, value] of Object.entries(body)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas') continue;
    if (lower === SCIM11_ENTERPRISE) out[SCIM_ENTERPRISE_USER_SCHEMA] = value;
    else out[key] = value;
  }
  return out;
}

/** A canonical resource as a 1.1 document. */
export function toScim11(resource: Doc): Doc {
  const { schemas: _schemas, [SCIM_ENTERPRISE_USER_SCHEMA]: enterprise, meta, ...rest } = resource;
  const m = isPlainObject(meta) ? meta : {};
  const { resourceType: _type, ...meta11 } = m;
  // Other extensions keep their own URN in 1.1 (it has no version-specific form for them).
  const extensions = (Array.isArray(resource.schemas) ? (resource.schemas as string[]) : []).filter(
    (s) => !/:core:2\.0:/i.test(s) && s !== SCIM_ENTERPRISE_USER_SCHEMA,
  );
  return {
    schemas: [SCIM11_CORE, ...(enterprise ? [SCIM11_ENTERPRISE] : []), ...extensions],
    ...rest,
    ...(enterprise ? { [SCIM11_ENTERPRISE]: enterprise } : {}),
    ...(Object.keys(meta11).length > 0 ? { meta: meta11 } : {}),
  };
}

/** 1.1 PATCH (draft-scim-api-01 §3.3.2) as 2.0 operations. */
export function scim11PatchOperations(body: unknown, kind: ResourceKind): PatchOperation[] {
  const doc = fromScim11(body);
  if (!isPlainObject(doc)) throw badRequest('invalidSyntax', 'a SCIM 1.1 PATCH body is a partial resource object');
  const operations: PatchOperation[] = [];
  const meta = doc.meta;
  if (isPlainObject(meta) && Array.isArray(meta.attributes)) {
    for (const name of meta.attributes) if (typeof name === 'string') operations.push({ op: 'remove', path: name });
  }
  for (const [key, value] of Object.entries(doc)) {
    if (['meta', 'id'].includes(key.toLowerCase())) continue;
    const def = key === SCIM_ENTERPRISE_USER_SCHEMA ? undefined : definitionOf(kind, undefined, key);
    if (def?.multiValued && Array.isArray(value)) {
      const added: unknown[] = [];
      for (const item of value) {
        if (isPlainObject(item) && typeof item.operation === 'string' && item.operation.toLowerCase() === 'delete') {
          if (typeof item.value === 'string')
            operations.push({ op: 'remove', path: `${def.name}[value eq ${JSON.stringify(item.value)}]` });
        } else if (isPlainObject(item)) {
          const { operation: _operation, ...rest } = item;
          added.push(rest);
        } else added.push(item);
      }
      if (added.length > 0) operations.push({ op: 'add', path: def.name, value: added });
    } else operations.push({ op: 'replace', value: { [key]: value } });
  }
  return operations;
}
