// RFC 7644 §3.5.2 PatchOp applied to a copy of a resource's canonical attributes. Atomic by
// construction: the caller stores the result only if every operation (and later validation) succeeds.
import { resolveAttrPath } from './scim-attribute-path.js';
import type { ResourceTypeDef } from './scim-core-schemas.js';
import { badRequest, ScimError } from './scim-errors.js';
import { findKey, isJsonObject, jsonEqual, type JsonObject, type JsonValue } from './scim-json.js';
import { openMessage } from './scim-message.js';
import { equalityTemplate, parsePatchPath, type PatchTarget } from './scim-patch-path.js';
import { normalizeAttrValue } from './scim-resource-validator.js';
import { findAttr, type AttrDef, type SchemaDef } from './scim-schema-model.js';

const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

type OpName = 'add' | 'replace' | 'remove';

interface PatchOperation {
  op: OpName;
  path?: string;
  value?: JsonValue;
}

const mutability = (detail: string) => new ScimError(400, 'mutability', detail);

function parseOperations(body: JsonValue | undefined): PatchOperation[] {
  const { operations: ops } = openMessage(body, PATCH_OP_SCHEMA, 'PatchOp');
  if (!Array.isArray(ops) || ops.length === 0) throw badRequest('invalidSyntax', '"Operations" must be a non-empty array');
  return ops.map((raw, i) => {
    if (!isJsonObject(raw)) throw badRequest('invalidSyntax', `Operation ${i} must be a JSON object`);
    const get = (name: string) => {
      const key = findKey(raw, name);
      return key === undefined ? undefined : raw[key];
    };
    // Op names are matched case-insensitively: Entra ID sends "Add"/"Replace"/"Remove".
    const op = String(get('op') ?? '').toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      throw badRequest('invalidSyntax', `Operation ${i}: "op" must be "add", "replace" or "remove"`);
    }
    const path = get('path');
    if (path !== undefined && typeof path !== 'string') throw badRequest('invalidPath', `Operation ${i}: "path" must be a string`);
    const value = get('value');
    if (op !== 'remove' && value === undefined) throw badRequest('invalidValue', `Operation ${i}: "${op}" needs a "value"`);
    // RFC 7644 §3.5.2.2: remove without a path has no target.
    if (op === 'remove' && (path === undefined || path === '')) throw badRequest('noTarget', `Operation ${i}: "remove" needs a "path"`);
    return { op, path: path === '' ? undefined : path, value };
  });
}

/** What the service's PATCH implements beyond the RFC's minimum. */
export interface PatchFeatures {
  /** Value-filtered paths (`emails[type eq "work"].value`); false: 400 invalidPath, as services without valuePath support answer. */
  valueFilters: boolean;
}

class PatchEngine {
  constructor(
    private readonly rt: ResourceTypeDef,
    private readonly attrs: JsonObject,
    private readonly resourceId: string,
    private readonly features: PatchFeatures,
  ) {}

  apply(op: PatchOperation): void {
    if (op.path === undefined) return this.applyWithoutPath(op);
    if (!this.features.valueFilters && op.path.includes('[')) {
      throw badRequest('invalidPath', `Value filters in PATCH paths are not supported by this service: "${op.path}"`);
    }
    const target = parsePatchPath(this.rt, op.path);
    if (target.kind === 'extension') return this.applyToExtension(op, target.ext);
    this.applyToAttr(op, target);
  }

  /** add/replace with no path: the value is a partial resource (RFC 7644 §3.5.2.1, §3.5.2.3). */
  private applyWithoutPath(op: PatchOperation): void {
    if (!isJsonObject(op.value)) throw badRequest('invalidValue', `"${op.op}" without a path needs an object value`);
    for (const [key, value] of Object.entries(op.value)) {
      if (key.toLowerCase() === 'schemas') continue;
      const ext = this.rt.extensions.find((s) => s.id.toLowerCase() === key.toLowerCase());
      if (ext) {
        this.applyToExtension(op, ext, value);
        continue;
      }
      const resolved = resolveAttrPath(this.rt, key);
      if (!resolved || resolved.sub) throw badRequest('invalidSyntax', `Unknown attribute "${key}" in ${op.op} value`);
      this.applyToAttr({ op: op.op, value }, { kind: 'attr', ...resolved });
    }
  }

  private applyToExtension(op: PatchOperation, ext: SchemaDef, value: JsonValue | undefined = op.value): void {
    if (op.op === 'remove') {
      delete this.attrs[ext.id];
      return;
    }
    if (!isJsonObject(value)) throw badRequest('invalidValue', `"${ext.id}" needs an object value`);
    for (const [key, v] of Object.entries(value)) {
      const attr = findAttr(ext.attributes, key);
      if (!attr) throw badRequest('invalidSyntax', `Unknown attribute "${key}" in "${ext.id}"`);
      this.applyToAttr({ op: op.op, value: v }, { kind: 'attr', extensionId: ext.id, attr });
    }
  }

  private holder(extensionId: string | null): JsonObject {
    if (!extensionId) return this.attrs;
    const existing = this.attrs[extensionId];
    if (isJsonObject(existing)) return existing;
    const created: JsonObject = {};
    this.attrs[extensionId] = created;
    return created;
  }

  private tidy(extensionId: string | null): void {
    const ext = extensionId ? this.attrs[extensionId] : undefined;
    if (extensionId && isJsonObject(ext) && Object.keys(ext).length === 0) delete this.attrs[extensionId];
  }

  private applyToAttr(op: PatchOperation, target: Extract<PatchTarget, { kind: 'attr' }>): void {
    const { attr, sub, filter, extensionId } = target;
    this.checkMutable(attr, op, this.holder(extensionId)[attr.name]);
    const holder = this.holder(extensionId);
    if (filter) this.applyFiltered(op, holder, attr, filter, sub);
    else if (sub) this.applySub(op, holder, attr, sub);
    else this.applyWhole(op, holder, attr);
    this.tidy(extensionId);
  }

  private checkMutable(attr: AttrDef, op: PatchOperation, current: JsonValue | undefined): void {
    if (attr.mutability !== 'readOnly') return;
    // Echoing a readOnly attribute unchanged (Okta sends the group "id") is not an attempt to modify it.
    const now = attr.name === 'id' ? this.resourceId : current;
    if (op.op !== 'remove' && jsonEqual(op.value, now)) return;
    throw mutability(`Attribute "${attr.name}" is readOnly`);
  }

  private applyWhole(op: PatchOperation, holder: JsonObject, attr: AttrDef): void {
    if (attr.mutability === 'readOnly') return;
    const current = holder[attr.name];
    if (op.op === 'remove') {
      if (attr.multiValued && op.value !== undefined && Array.isArray(current)) {
        // Entra ID removes members as {"path":"members","value":[{"value":"id"}]}: remove those values only.
        const drop = (Array.isArray(op.value) ? op.value : [op.value]).filter(isJsonObject);
        const kept = current.filter((item) => !drop.some((d) => isJsonObject(item) && sameValue(item, d)));
        setOrDelete(holder, attr.name, kept.length > 0 ? kept : undefined);
        return;
      }
      delete holder[attr.name];
      return;
    }
    if (attr.multiValued) {
      const incoming = normalizeAttrValue(attr, Array.isArray(op.value) ? op.value : [op.value ?? null]);
      const items = Array.isArray(incoming) ? incoming : [];
      if (op.op === 'replace' || !Array.isArray(current)) {
        setOrDelete(holder, attr.name, items.length > 0 ? items : undefined);
        return;
      }
      const merged = [...current];
      for (const item of items) if (!merged.some((m) => jsonEqual(m, item))) merged.push(item);
      setOrDelete(holder, attr.name, singlePrimary(merged, items));
      return;
    }
    const value = normalizeAttrValue(attr, op.value ?? null);
    // RFC 7644 §3.5.2.3: replacing a complex attribute leaves unspecified sub-attributes unchanged.
    if (attr.type === 'complex' && isJsonObject(current) && isJsonObject(value)) holder[attr.name] = { ...current, ...value };
    else setOrDelete(holder, attr.name, value);
  }

  private applySub(op: PatchOperation, holder: JsonObject, attr: AttrDef, sub: AttrDef): void {
    const current = holder[attr.name];
    if (attr.multiValued) {
      // "emails.type" without a filter addresses that sub-attribute of every value.
      if (!Array.isArray(current) || current.length === 0) {
        if (op.op === 'remove') return;
        throw badRequest('noTarget', `"${attr.name}" has no values to set "${sub.name}" on`);
      }
      for (const item of current) if (isJsonObject(item)) this.writeSub(op, item, attr, sub);
      return;
    }
    if (op.op === 'remove' && !isJsonObject(current)) return;
    const obj = isJsonObject(current) ? current : {};
    this.writeSub(op, obj, attr, sub);
    setOrDelete(holder, attr.name, Object.keys(obj).length > 0 ? obj : undefined);
  }

  private writeSub(op: PatchOperation, element: JsonObject, attr: AttrDef, sub: AttrDef): void {
    if (sub.mutability === 'readOnly' || (sub.mutability === 'immutable' && element[sub.name] !== undefined)) {
      if (op.op === 'remove' || !jsonEqual(op.value, element[sub.name])) {
        throw mutability(`Sub-attribute "${attr.name}.${sub.name}" is ${sub.mutability}`);
      }
    }
    if (op.op === 'remove') {
      delete element[sub.name];
      return;
    }
    setOrDelete(element, sub.name, normalizeAttrValue(sub, op.value ?? null, `${attr.name}.${sub.name}`));
  }

  private applyFiltered(
    op: PatchOperation,
    holder: JsonObject,
    attr: AttrDef,
    filter: NonNullable<Extract<PatchTarget, { kind: 'attr' }>['filter']>,
    sub: AttrDef | undefined,
  ): void {
    const current = Array.isArray(holder[attr.name]) ? (holder[attr.name] as JsonValue[]) : [];
    const matched = current.filter((item): item is JsonObject => isJsonObject(item) && filter.matches(item));
    if (op.op === 'remove') {
      if (sub) for (const item of matched) this.writeSub(op, item, attr, sub);
      else {
        const kept = current.filter((item) => !matched.includes(item as JsonObject));
        setOrDelete(holder, attr.name, kept.length > 0 ? kept : undefined);
      }
      return;
    }
    if (matched.length === 0) {
      // RFC 7644 §3.5.2.3: replace with an unmatched value filter fails with noTarget. An "add" whose
      // filter pins the element down (emails[type eq "work"].value) creates it, as Entra ID expects.
      const template = op.op === 'add' ? equalityTemplate(filter.node) : undefined;
      if (!template) throw badRequest('noTarget', `No value of "${attr.name}" matches the path filter`);
      const element: JsonObject = { ...template };
      const created = sub ? { ...element, [sub.name]: op.value ?? null } : isJsonObject(op.value) ? { ...element, ...op.value } : element;
      const normalized = normalizeAttrValue(attr, [created]);
      const items = Array.isArray(normalized) ? normalized : [];
      setOrDelete(holder, attr.name, singlePrimary([...current, ...items], items));
      return;
    }
    if (sub) {
      for (const item of matched) this.writeSub(op, item, attr, sub);
      if (sub.name === 'primary' && op.value === true) singlePrimary(current, matched.slice(0, 1));
      return;
    }
    const normalized = normalizeAttrValue(attr, [op.value ?? null]);
    const replacement = Array.isArray(normalized) && isJsonObject(normalized[0]) ? normalized[0] : undefined;
    if (!replacement) throw badRequest('invalidValue', `A value of "${attr.name}" must be an object`);
    const next = current.map((item) =>
      matched.includes(item as JsonObject) ? (op.op === 'add' ? { ...(item as JsonObject), ...replacement } : { ...replacement }) : item,
    );
    setOrDelete(
      holder,
      attr.name,
      singlePrimary(
        next,
        next.filter((_, i) => matched.includes(current[i] as JsonObject)),
      ),
    );
  }
}

function sameValue(item: JsonObject, probe: JsonObject): boolean {
  return Object.entries(probe).every(([k, v]) => jsonEqual(item[k], v));
}

function setOrDelete(holder: JsonObject, name: string, value: JsonValue | undefined): void {
  if (value === undefined) delete holder[name];
  else holder[name] = value;
}

/** RFC 7644 §3.5.2: setting primary on one value clears it on the others. */
function singlePrimary(items: JsonValue[], preferred: JsonValue[]): JsonValue[] {
  const winner = preferred.find((p) => isJsonObject(p) && p['primary'] === true);
  if (!winner) return items;
  for (const item of items)
    if (isJsonObject(item) && item !== winner && !jsonEqual(item, winner) && item['primary'] === true) item['primary'] = false;
  return items;
}

/** Returns the patched attributes; throws ScimError on the first failing operation. */
export function applyPatchV2(
  rt: ResourceTypeDef,
  attrs: JsonObject,
  resourceId: string,
  body: JsonValue | undefined,
  features: PatchFeatures = { valueFilters: true },
): JsonObject {
  const engine = new PatchEngine(rt, attrs, resourceId, features);
  for (const op of parseOperations(body)) engine.apply(op);
  return attrs;
}
