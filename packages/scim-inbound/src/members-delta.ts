import type { ScimGroupMember } from '@provisio/core';
import { parsePatchPath, type GroupMembersDelta } from '@provisio/core/engine';
import type { PatchOperation } from './patch-operations.js';
import { coerceAttribute, definitionOf, isPlainObject } from './resource-validator.js';
import type { ScimSchemas } from './scim-schemas.js';

/**
 * A Group PATCH that only adds and removes members by value, as a delta core applies without
 * reading the group's other members: `add` of `members` (with a path, or a value object holding
 * only `members`), `remove` of `members[value eq "…"]`, and `remove` of `members` with a value
 * list (Entra ID, Okta). The operations fold in order, the last one of a value (ignoring case)
 * deciding, which is what applying them one by one to the list gives. Anything else (a replace,
 * another filter, a member without a value, a path that does not parse): undefined, and the
 * PATCH takes the full path with its own errors.
 */
export function membersDeltaOf(operations: readonly PatchOperation[], schemas: ScimSchemas): GroupMembersDelta | undefined {
  const def = definitionOf('Group', undefined, 'members', schemas);
  if (!def) return undefined;
  const last = new Map<string, { add?: ScimGroupMember; remove?: string }>();
  for (const operation of operations) {
    const change = changeOf(operation);
    if (!change) return undefined;
    const members = change.values === undefined ? undefined : membersIn(coerceAttribute(def, change.values, def.name));
    if (change.op === 'add') {
      if (!members) return undefined;
      for (const member of members) last.set(member.value.toLowerCase(), { add: member });
    } else if (change.filterValue !== undefined) last.set(change.filterValue.toLowerCase(), { remove: change.filterValue });
    else {
      if (!members) return undefined;
      for (const member of members) last.set(member.value.toLowerCase(), { remove: member.value });
    }
  }
  const decided = [...last.values()];
  return {
    add: decided.flatMap((d) => (d.add ? [d.add] : [])),
    remove: decided.flatMap((d) => (d.remove === undefined ? [] : [d.remove])),
  };
}

/** What one operation does to members, or undefined when it is not a plain add or removal by value. */
function changeOf({ op, path, value }: PatchOperation): { op: 'add' | 'remove'; values?: unknown; filterValue?: string } | undefined {
  if (op === 'replace') return undefined;
  if (path === undefined) {
    if (op !== 'add' || !isPlainObject(value)) return undefined;
    const keys = Object.keys(value);
    return keys.length === 1 && keys[0].toLowerCase() === 'members' ? { op, values: value[keys[0]] } : undefined;
  }
  let parsed: ReturnType<typeof parsePatchPath>;
  try {
    parsed = parsePatchPath(path);
  } catch {
    return undefined;
  }
  if (parsed.path.schema !== undefined || parsed.path.attribute.toLowerCase() !== 'members' || parsed.path.subAttribute !== undefined)
    return undefined;
  if (parsed.subAttribute !== undefined) return undefined;
  const filter = parsed.valueFilter;
  if (filter === undefined) return value === undefined || value === null ? undefined : { op, values: value };
  const byValue =
    op === 'remove' &&
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    typeof filter.value === 'string' &&
    filter.path.attribute.toLowerCase() === 'value' &&
    filter.path.subAttribute === undefined &&
    filter.path.schema === undefined;
  return byValue ? { op, filterValue: filter.value as string } : undefined;
}

/** Coerced members that all carry a value (the full path refuses or skips the others with its own words). */
function membersIn(coerced: unknown): ScimGroupMember[] | undefined {
  const items = coerced === undefined ? [] : Array.isArray(coerced) ? coerced : [coerced];
  if (items.length === 0) return undefined;
  const members: ScimGroupMember[] = [];
  for (const item of items) {
    if (!isPlainObject(item) || typeof item.value !== 'string' || item.value === '') return undefined;
    members.push({ value: item.value });
  }
  return members;
}
