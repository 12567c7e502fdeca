import type { MappedAttributes } from '@provisio/core';
import { asObject, type JsonObject } from './scim-dialect.js';
import { isClear } from './scim-mapped-values.js';
import { attributePath, type FilterValue, type MappingTarget } from './scim-mapping-target.js';
import type { ScimUserModel } from './scim-user-model.js';

/** Values the connector itself decides, on top of the mapped fields. */
export interface UserExtras {
  userName?: string;
  externalId?: string;
  password?: string;
  active?: boolean;
}

export function withExtras(fields: MappedAttributes, extras: UserExtras): MappedAttributes {
  const all: MappedAttributes = { ...fields };
  if (extras.userName !== undefined) all['userName'] = extras.userName;
  if (extras.externalId !== undefined && isClear(all['externalId'])) all['externalId'] = extras.externalId;
  if (extras.active !== undefined) all['active'] = extras.active;
  return all;
}

/** Whether a value of a multi-valued attribute is the one a filter's terms name (text compared ignoring case, as `eq` does). */
export function matchesElement(value: unknown, terms: readonly (readonly [string, FilterValue])[]): boolean {
  const item = asObject(value);
  if (!item) return false;
  return terms.every(([name, wanted]) => {
    const key = Object.keys(item).find((k) => k.toLowerCase() === name.toLowerCase());
    const actual = key === undefined ? undefined : item[key];
    return typeof actual === 'string' && typeof wanted === 'string' ? actual.toLowerCase() === wanted.toLowerCase() : actual === wanted;
  });
}

/**
 * Writes each mapped value where its target is, nesting as SCIM does: `name.givenName` in `name`, a
 * filtered path in the value its filter names (created with the filter's values, `type: "work"`),
 * extension attributes under their URN. Empty values are left out. Returns the extensions written.
 */
export function placeValues(model: ScimUserModel, body: JsonObject, values: MappedAttributes): string[] {
  const targets = model.targets(Object.keys(values));
  const extensions: string[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const target = targets.get(key) as MappingTarget;
    const value = model.wireOrClear(target, raw);
    if (value === undefined) continue;
    let holder = body;
    if (target.extension !== undefined) {
      holder = asObject(body[target.extension]) ?? {};
      body[target.extension] = holder;
      if (!extensions.includes(target.extension)) extensions.push(target.extension);
    }
    place(holder, target, value);
  }
  return extensions;
}

function place(holder: JsonObject, target: MappingTarget, value: unknown): void {
  const name = target.attribute.name;
  if (target.element) {
    const list = Array.isArray(holder[name]) ? (holder[name] as JsonObject[]) : [];
    holder[name] = list;
    let element = list.find((item) => matchesElement(item, target.element ?? []));
    if (!element) {
      element = Object.fromEntries(target.element);
      if (target.primary) element['primary'] = true;
      list.push(element);
    }
    if (target.sub) element[target.sub.name] = value;
    else Object.assign(element, value);
    return;
  }
  if (target.sub) {
    const parent = asObject(holder[name]) ?? {};
    parent[target.sub.name] = value;
    holder[name] = parent;
    return;
  }
  holder[name] = value;
}

/** The full User resource (POST and PUT). */
export function buildUserResource(model: ScimUserModel, fields: MappedAttributes, extras: UserExtras): JsonObject {
  const resource: JsonObject = {};
  const extensions = placeValues(model, resource, withExtras(fields, extras));
  if (extras.password !== undefined) resource['password'] = extras.password;
  return { schemas: [model.schema.core, ...extensions], ...resource };
}

/** Every value the mapping writes in one multi-valued attribute, for a full-value replace. */
export function wholeAttribute(model: ScimUserModel, path: string, attributes: MappedAttributes): unknown[] {
  const targets = model.targets(Object.keys(attributes));
  const inAttribute = Object.fromEntries(
    Object.entries(attributes).filter(([key]) => attributePath(targets.get(key) as MappingTarget).toLowerCase() === path.toLowerCase()),
  );
  const body: JsonObject = {};
  placeValues(model, body, inAttribute);
  const target = targets.get(Object.keys(inAttribute)[0] ?? '');
  const holder = target?.extension === undefined ? body : asObject(body[target.extension]);
  const list = target ? holder?.[target.attribute.name] : undefined;
  return Array.isArray(list) ? list : [];
}
