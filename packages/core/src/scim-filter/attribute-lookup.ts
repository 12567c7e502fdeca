/** Reading attributes from a SCIM resource the way RFC 7643 §2.1 says: names are case-insensitive. */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own property by case-insensitive name (exact spelling tried first, as it is by far the common case). */
export function getAttribute(source: unknown, name: string): unknown {
  if (!isPlainObject(source)) return undefined;
  if (Object.hasOwn(source, name)) return source[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(source)) {
    if (key.toLowerCase() === lower) return source[key];
  }
  return undefined;
}

/**
 * Where the attributes of `schema` live: an extension's attributes sit under its URN key
 * (`"urn:...:enterprise:2.0:User": { department }`), a core schema's at the top level.
 */
export function attributeContainer(resource: unknown, schema: string | undefined): unknown {
  if (schema === undefined) return resource;
  const extension = getAttribute(resource, schema);
  if (extension !== undefined) return extension;
  return /:core:/i.test(schema) ? resource : undefined;
}

/** A multi-valued attribute's values, a single value as a one-element list, nothing for absent. */
export function valuesOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The values of `sub` in one value of a complex attribute. SCIM 1.1 clients send plain
 * multi-valued attributes (`"emails": ["kim@wso2.com"]`): such a primitive is its own `value`.
 */
export function subAttributeValues(item: unknown, sub: string): unknown[] {
  if (isPlainObject(item)) return valuesOf(getAttribute(item, sub));
  if (item !== null && item !== undefined && sub.toLowerCase() === 'value') return [item];
  return [];
}

/** A value of a multi-valued attribute as the scope of a value filter (`[type eq "work"]`). */
export function asElement(item: unknown): unknown {
  return isPlainObject(item) ? item : { value: item };
}

/** Every value at `attribute[.sub]` inside `container`, flattened over multi-valued attributes. */
export function valuesAt(container: unknown, attribute: string, sub: string | undefined): unknown[] {
  const items = valuesOf(getAttribute(container, attribute));
  return sub === undefined ? items : items.flatMap((item) => subAttributeValues(item, sub));
}
