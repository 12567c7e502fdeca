// JSON value types and the few structural helpers every SCIM module needs.
type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function cloneJson<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Finds an object key ignoring case: SCIM attribute names are case-insensitive (RFC 7643 §2.1). */
export function findKey(obj: JsonObject, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

/** True when a parsed document nests deeper than `max` (checked iteratively: it guards recursive code). */
export function nestsDeeperThan(value: JsonValue, max: number): boolean {
  const stack: { v: JsonValue; depth: number }[] = [{ v: value, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { v, depth } = next;
    if (depth > max) return true;
    const children = Array.isArray(v) ? v : isJsonObject(v) ? Object.values(v) : [];
    for (const child of children) stack.push({ v: child, depth: depth + 1 });
  }
  return false;
}
