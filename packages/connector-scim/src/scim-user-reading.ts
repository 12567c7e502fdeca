import type { MappedAttributes, RemoteUser } from '@provisio/core';
import { asObject, type JsonObject, type ScimDialect } from './scim-dialect.js';
import { fieldLocation, type FieldLocation } from './scim-user-fields.js';

/** The flat fields the connector reads back when the caller names none: the usual mapping targets. */
export const DEFAULT_READ_FIELDS = ['userName', 'externalId', 'displayName', 'givenName', 'familyName', 'email', 'title', 'active'];

/** The SCIM attribute a flat field is read from (for `attributes=`, RFC 7644 §3.4.2.5). */
function attributePath(dialect: ScimDialect, location: FieldLocation): string {
  if (location.at === 'top' || location.at === 'multi') return location.attribute;
  if (location.at === 'name') return `name.${location.sub}`;
  return `${dialect.enterpriseSchema}:${location.at === 'manager' ? 'manager' : location.attribute}`;
}

/** The `attributes` parameter asking for the fields read back, plus id, userName and active. */
export function attributesParameter(dialect: ScimDialect, fields: readonly string[]): string {
  return [...new Set(['id', 'userName', 'active', ...fields.map((f) => attributePath(dialect, fieldLocation(f)))])].join(',');
}

function primaryValue(list: unknown, type: string): unknown {
  if (!Array.isArray(list)) return undefined;
  const entries = list.map(asObject).filter((e): e is JsonObject => e !== undefined);
  const entry = entries.find((e) => e['type'] === type) ?? entries.find((e) => e['primary'] === true) ?? entries[0];
  return entry?.['value'];
}

/** One flat field of a User resource, read where buildUserResource writes it. */
function valueOf(dialect: ScimDialect, resource: JsonObject, location: FieldLocation): unknown {
  const enterprise = asObject(resource[dialect.enterpriseSchema]);
  switch (location.at) {
    case 'top':
      return resource[location.attribute];
    case 'name':
      return asObject(resource['name'])?.[location.sub];
    case 'multi':
      return primaryValue(resource[location.attribute], location.type);
    case 'enterprise':
      return enterprise?.[location.attribute];
    case 'manager': {
      const manager = asObject(enterprise?.['manager']);
      return manager?.[dialect.managerIdKey] ?? manager?.['value'];
    }
  }
}

export function remoteUserOf(dialect: ScimDialect, resource: JsonObject, fields: readonly string[]): RemoteUser {
  const attributes: MappedAttributes = {};
  for (const field of fields) {
    const value = valueOf(dialect, resource, fieldLocation(field));
    if (value !== undefined && value !== null && value !== '') attributes[field] = value;
  }
  const userName = resource['userName'];
  return {
    remoteId: String(resource['id']),
    ...(typeof userName === 'string' ? { remoteName: userName } : {}),
    active: resource['active'] !== false,
    attributes,
  };
}
