import type { MappedAttributes } from '@provisio/core';
import { PATCH_OP_SCHEMA, type JsonObject } from './scim-dialect.js';
import { isClear } from './scim-mapped-values.js';
import { attributePath, elementPath, targetPath, type MappingTarget } from './scim-mapping-target.js';
import { buildUserResource, wholeAttribute, withExtras, type UserExtras } from './scim-user-mapper.js';
import type { ScimUserModel } from './scim-user-model.js';

/** What an update knows: the fields that changed (null: cleared) and every mapped value now. */
export interface UserChange {
  changed: MappedAttributes;
  attributes: MappedAttributes;
}

/** Every mapped value after the change (`changed` wins over a stale `attributes`), empty ones left out. */
function valuesNow(change: UserChange, changed: MappedAttributes): MappedAttributes {
  return Object.fromEntries(Object.entries({ ...change.attributes, ...changed }).filter(([, value]) => !isClear(value)));
}

export interface PatchOptions {
  /**
   * Whether to PATCH one value of a multi-valued attribute by a value-filtered path
   * (`addresses[type eq "work"].locality`); false: replace the whole attribute with every mapped value.
   */
  valueFilters: boolean;
  /** `add`, never `replace`, a value named by a filter (add sets it whether it exists or not, RFC 7644 §3.5.2.1). */
  addOnly?: boolean;
}

export interface UserPatch {
  body: JsonObject;
  /** The body addresses values by filtered paths (a service that cannot do them answers 400 invalidPath). */
  filtered: boolean;
  /** It replaces a value named by a filter, which must exist (else 400 noTarget). */
  replacesFiltered: boolean;
  empty: boolean;
}

/**
 * SCIM 2.0 PatchOp (RFC 7644 §3.5.2) with only what changed: replace a changed attribute, remove a
 * cleared one. A value named by a filter is added when the mapping holds nothing else in it (add
 * creates it with the filter's values), replaced when it already exists, and removed, whole, once
 * nothing the mapping writes is left in it.
 */
function buildUserPatchV2(model: ScimUserModel, change: UserChange, extras: UserExtras, options: PatchOptions): UserPatch {
  const changed = withExtras(change.changed, extras);
  const now = valuesNow(change, changed);
  const targets = model.targets([...Object.keys(changed), ...Object.keys(now)]);
  const operations: JsonObject[] = [];
  const whole = new Set<string>();
  const cleared = new Map<string, MappingTarget[]>();
  // Whether another mapped key holds a value in this element after the change.
  const held = (element: string, except: (key: string) => boolean) =>
    Object.keys(now).some((key) => {
      const other = targets.get(key) as MappingTarget;
      return !except(key) && other.element !== undefined && elementPath(other).toLowerCase() === element;
    });
  for (const [key, raw] of Object.entries(changed)) {
    const target = targets.get(key) as MappingTarget;
    if (target.element && !options.valueFilters) {
      whole.add(attributePath(target));
      continue;
    }
    const value = model.wireOrClear(target, raw);
    if (value === undefined && target.element) {
      const element = elementPath(target).toLowerCase();
      cleared.set(element, [...(cleared.get(element) ?? []), target]);
    } else if (value === undefined) {
      operations.push({ op: 'remove', path: targetPath(target) });
    } else if (target.element) {
      const exists = !options.addOnly && held(elementPath(target).toLowerCase(), (k) => k in changed);
      operations.push({ op: exists ? 'replace' : 'add', path: targetPath(target), value });
    } else {
      operations.push({ op: 'replace', path: targetPath(target), value });
    }
  }
  for (const [element, gone] of cleared) {
    if (held(element, (k) => gone.some((t) => t.key === k))) for (const t of gone) operations.push({ op: 'remove', path: targetPath(t) });
    else operations.push({ op: 'remove', path: elementPath(gone[0]) });
  }
  for (const path of whole) {
    const values = wholeAttribute(model, path, now);
    operations.push(values.length > 0 ? { op: 'replace', path, value: values } : { op: 'remove', path });
  }
  if (extras.password !== undefined) operations.push({ op: 'replace', path: 'password', value: extras.password });
  return {
    body: { schemas: [PATCH_OP_SCHEMA], Operations: operations },
    filtered: operations.some((op) => String(op['path']).includes('[')),
    replacesFiltered: operations.some((op) => op['op'] === 'replace' && String(op['path']).includes('[')),
    empty: operations.length === 0,
  };
}

/**
 * SCIM 1.1 PATCH (1.1 protocol §3.3.2): a partial resource, `meta.attributes` naming what to clear.
 * 1.1 PATCH adds to multi-valued attributes and has no filtered paths, so a changed multi-valued
 * attribute is cleared and sent again with every value the mapping writes in it.
 */
function buildUserPatchV11(model: ScimUserModel, change: UserChange, extras: UserExtras): UserPatch {
  const changed = withExtras(change.changed, extras);
  const now = valuesNow(change, changed);
  const targets = model.targets([...Object.keys(changed), ...Object.keys(now)]);
  const clear: string[] = [];
  const present: MappedAttributes = {};
  const multi = new Set<string>();
  for (const [key, raw] of Object.entries(changed)) {
    const target = targets.get(key) as MappingTarget;
    if (target.attribute.multiValued) multi.add(attributePath(target).toLowerCase());
    else if (isClear(raw)) clear.push(targetPath(target));
    else present[key] = raw;
  }
  for (const [key, value] of Object.entries(now)) {
    if (multi.has(attributePath(targets.get(key) as MappingTarget).toLowerCase())) present[key] = value;
  }
  for (const key of Object.keys(changed)) {
    const path = attributePath(targets.get(key) as MappingTarget);
    if (multi.has(path.toLowerCase()) && !clear.includes(path)) clear.push(path);
  }
  const partial = buildUserResource(model, present, { password: extras.password });
  const body = clear.length > 0 ? { ...partial, meta: { attributes: clear } } : partial;
  return { body, filtered: false, replacesFiltered: false, empty: Object.keys(body).every((k) => k === 'schemas') };
}

export function buildUserPatch(model: ScimUserModel, change: UserChange, extras: UserExtras, options: PatchOptions): UserPatch {
  return model.dialect.version === '2.0' ? buildUserPatchV2(model, change, extras, options) : buildUserPatchV11(model, change, extras);
}
