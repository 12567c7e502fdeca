import type { MappedAttributes } from '@provisio/core';
import { PATCH_OP_SCHEMA, type JsonObject, type ScimDialect } from './scim-dialect.js';
import { fieldLocation, scimValue } from './scim-user-fields.js';

/** Values the connector itself decides, on top of the mapped fields. */
export interface UserExtras {
  userName?: string;
  externalId?: string;
  password?: string;
  active?: boolean;
}

const isClear = (value: unknown) => value === null || value === undefined || value === '';

function withExtras(fields: MappedAttributes, extras: UserExtras): MappedAttributes {
  const all: MappedAttributes = { ...fields };
  if (extras.userName !== undefined) all['userName'] = extras.userName;
  if (extras.externalId !== undefined && isClear(all['externalId'])) all['externalId'] = extras.externalId;
  if (extras.active !== undefined) all['active'] = extras.active;
  return all;
}

/** The full User resource (POST and PUT). */
export function buildUserResource(dialect: ScimDialect, fields: MappedAttributes, extras: UserExtras): JsonObject {
  const resource: JsonObject = {};
  const name: JsonObject = {};
  const enterprise: JsonObject = {};
  for (const [field, raw] of Object.entries(withExtras(fields, extras))) {
    const location = fieldLocation(field);
    if (isClear(raw)) continue;
    const value = scimValue(field, raw);
    if (location.at === 'top') resource[location.attribute] = value;
    else if (location.at === 'name') name[location.sub] = value;
    else if (location.at === 'multi') resource[location.attribute] = [{ value, type: location.type, primary: true }];
    else if (location.at === 'enterprise') enterprise[location.attribute] = value;
    else enterprise['manager'] = { [dialect.managerIdKey]: value };
  }
  if (Object.keys(name).length > 0) resource['name'] = name;
  if (extras.password !== undefined) resource['password'] = extras.password;
  const hasEnterprise = Object.keys(enterprise).length > 0;
  if (hasEnterprise) resource[dialect.enterpriseSchema] = enterprise;
  return { schemas: [dialect.userSchema, ...(hasEnterprise ? [dialect.enterpriseSchema] : [])], ...resource };
}

/** SCIM 2.0 PatchOp (RFC 7644 §3.5.2): replace what changed, remove what was cleared. */
export function buildUserPatchV2(dialect: ScimDialect, changed: MappedAttributes, extras: UserExtras): JsonObject {
  const operations: JsonObject[] = [];
  for (const [field, raw] of Object.entries(withExtras(changed, extras))) {
    const location = fieldLocation(field);
    const path =
      location.at === 'top' || location.at === 'multi'
        ? location.attribute
        : location.at === 'name'
          ? `name.${location.sub}`
          : `${dialect.enterpriseSchema}:${location.at === 'manager' ? 'manager' : location.attribute}`;
    if (isClear(raw)) {
      operations.push({ op: 'remove', path });
      continue;
    }
    const value = scimValue(field, raw);
    if (location.at === 'multi') operations.push({ op: 'replace', path, value: [{ value, type: location.type, primary: true }] });
    else if (location.at === 'manager') operations.push({ op: 'replace', path, value: { value } });
    else operations.push({ op: 'replace', path, value });
  }
  if (extras.password !== undefined) operations.push({ op: 'replace', path: 'password', value: extras.password });
  return { schemas: [PATCH_OP_SCHEMA], Operations: operations };
}

/**
 * SCIM 1.1 PATCH (draft §3.3.2): a partial resource; `meta.attributes` lists what to clear.
 * Emails and phone numbers are cleared and re-added, since 1.1 PATCH adds to multi-valued attributes.
 */
export function buildUserPatchV11(dialect: ScimDialect, changed: MappedAttributes, extras: UserExtras): JsonObject {
  const clear: string[] = [];
  const present: MappedAttributes = {};
  for (const [field, raw] of Object.entries(withExtras(changed, extras))) {
    const location = fieldLocation(field);
    if (location.at === 'multi') clear.push(location.attribute);
    if (!isClear(raw)) {
      present[field] = raw;
      continue;
    }
    if (location.at === 'top') clear.push(location.attribute);
    else if (location.at === 'name') clear.push(`name.${location.sub}`);
    else if (location.at === 'enterprise') clear.push(`${dialect.enterpriseSchema}:${location.attribute}`);
    else if (location.at === 'manager') clear.push(`${dialect.enterpriseSchema}:manager`);
  }
  const partial = buildUserResource(dialect, present, { password: extras.password });
  return clear.length > 0 ? { ...partial, meta: { attributes: clear } } : partial;
}

export function buildUserPatch(dialect: ScimDialect, changed: MappedAttributes, extras: UserExtras): JsonObject {
  return dialect.version === '2.0' ? buildUserPatchV2(dialect, changed, extras) : buildUserPatchV11(dialect, changed, extras);
}

export function isEmptyPatch(dialect: ScimDialect, patch: JsonObject): boolean {
  if (dialect.version === '2.0') return (patch['Operations'] as unknown[]).length === 0;
  return Object.keys(patch).every((k) => k === 'schemas');
}
