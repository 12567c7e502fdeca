import type { MappedAttributes, RemoteUser } from '@provisio/core';
import { asObject, type JsonObject } from './scim-dialect.js';
import { isClear } from './scim-mapped-values.js';
import { attributePath, type MappingTarget } from './scim-mapping-target.js';
import { matchesElement } from './scim-user-mapper.js';
import type { ScimUserModel } from './scim-user-model.js';

/** The fields the connector reads back when the caller names none: the usual mapping targets. */
export const DEFAULT_READ_FIELDS = ['userName', 'externalId', 'displayName', 'givenName', 'familyName', 'email', 'title', 'active'];

/** The SCIM attribute a target is read from (for `attributes=`, RFC 7644 §3.4.2.5): a filtered value needs its whole attribute. */
function readPath(target: MappingTarget): string {
  return target.sub && !target.element ? `${attributePath(target)}.${target.sub.name}` : attributePath(target);
}

/** The `attributes` parameter asking for the fields read back, plus id, userName and active. */
export function attributesParameter(model: ScimUserModel, fields: readonly string[]): string {
  const targets = model.targets(fields);
  return [...new Set(['id', 'userName', 'active', ...fields.map((f) => readPath(targets.get(f) as MappingTarget))])].join(',');
}

/** A member of a JSON object by name, ignoring case (services answer in their own spelling at times). */
function member(object: JsonObject | undefined, name: string): unknown {
  if (!object) return undefined;
  if (name in object) return object[name];
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

/** The value of a multi-valued attribute a filtered target writes; for `email`/`phoneNumber` also the primary or first. */
function elementOf(list: unknown, target: MappingTarget): JsonObject | undefined {
  const items = (Array.isArray(list) ? list : []).map(asObject).filter((i): i is JsonObject => i !== undefined);
  const found = items.find((item) => matchesElement(item, target.element ?? []));
  if (found || !target.primary) return found;
  return items.find((i) => i['primary'] === true) ?? items[0];
}

/**
 * A whole multi-valued attribute in the shape the mapping gives it: a value the connector wrote as
 * `{ value }` reads back as that value, one value as itself, several as a list.
 */
function wholeValue(list: unknown): unknown {
  if (!Array.isArray(list)) return list;
  if (list.length === 0) return undefined;
  const items = list.map((item) => {
    const object = asObject(item);
    return object && Object.keys(object).length === 1 && 'value' in object ? object['value'] : item;
  });
  return items.length === 1 ? items[0] : items;
}

/** One mapped field of a User resource, read where the connector writes it. */
function valueOf(resource: JsonObject, target: MappingTarget): unknown {
  const holder = target.extension === undefined ? resource : asObject(member(resource, target.extension));
  const value = member(holder, target.attribute.name);
  if (target.element) {
    const element = elementOf(value, target);
    return target.sub ? member(element, target.sub.name) : element;
  }
  if (target.sub) return member(asObject(value), target.sub.name);
  return target.attribute.multiValued ? wholeValue(value) : value;
}

export function remoteUserOf(model: ScimUserModel, resource: JsonObject, fields: readonly string[]): RemoteUser {
  const targets = model.targets(fields);
  const attributes: MappedAttributes = {};
  for (const field of fields) {
    const value = valueOf(resource, targets.get(field) as MappingTarget);
    if (!isClear(value)) attributes[field] = value;
  }
  const userName = resource['userName'];
  return {
    remoteId: String(resource['id']),
    ...(typeof userName === 'string' ? { remoteName: userName } : {}),
    active: resource['active'] !== false,
    attributes,
  };
}
