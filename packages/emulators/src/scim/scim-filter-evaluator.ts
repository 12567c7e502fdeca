// Compiles a parsed filter against a resource type (so bad attribute/operator pairs fail as invalidFilter
// even when nothing would match) and evaluates it on rendered SCIM 2.0 resources.
import { resolveAttrPath } from './scim-attribute-path.js';
import type { ResourceTypeDef } from './scim-core-schemas.js';
import { badRequest } from './scim-errors.js';
import type { CompareOp, CompValue, FilterNode } from './scim-filter-parser.js';
import { findKey, isJsonObject, type JsonObject, type JsonValue } from './scim-json.js';
import { findAttr, type AttrDef } from './scim-schema-model.js';

export type ResourcePredicate = (resource: JsonObject) => boolean;

const invalid = (detail: string) => badRequest('invalidFilter', detail);

function get(obj: JsonValue | undefined, name: string): JsonValue | undefined {
  if (!isJsonObject(obj)) return undefined;
  const key = findKey(obj, name);
  return key === undefined ? undefined : obj[key];
}

function isPresent(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isJsonObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** Builds the comparison of one attribute value against the literal, type-checked up front. */
function comparator(def: AttrDef, op: CompareOp, literal: CompValue, path: string): (v: JsonValue) => boolean {
  const stringLike = def.type === 'string' || def.type === 'reference' || def.type === 'binary';
  if (def.type === 'boolean') {
    if (typeof literal !== 'boolean') throw invalid(`"${path}" is boolean; compare it with true or false`);
    if (op !== 'eq' && op !== 'ne') throw invalid(`Operator "${op}" is not defined for boolean "${path}"`);
    return (v) => v === literal;
  }
  if (def.type === 'integer' || def.type === 'decimal') {
    if (typeof literal !== 'number') throw invalid(`"${path}" is numeric; compare it with a number`);
    if (op === 'co' || op === 'sw' || op === 'ew') throw invalid(`Operator "${op}" is not defined for numeric "${path}"`);
    return (v) => typeof v === 'number' && order(op, v - literal);
  }
  if (def.type === 'complex') throw invalid(`"${path}" is complex; name a sub-attribute`);
  if (typeof literal !== 'string') throw invalid(`"${path}" is a ${def.type}; compare it with a quoted string`);
  if (def.type === 'dateTime' && op !== 'co' && op !== 'sw' && op !== 'ew') {
    const when = Date.parse(literal);
    if (Number.isNaN(when)) throw invalid(`"${literal}" is not a valid dateTime`);
    return (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)) && order(op, Date.parse(v) - when);
  }
  if (def.type === 'binary' && op !== 'eq' && op !== 'ne') throw invalid(`Only eq and ne are defined for binary "${path}"`);
  const fold = (s: string) => (def.caseExact || !stringLike ? s : s.toLowerCase());
  const want = fold(literal);
  return (v) => {
    if (typeof v !== 'string') return false;
    const have = fold(v);
    switch (op) {
      case 'co':
        return have.includes(want);
      case 'sw':
        return have.startsWith(want);
      case 'ew':
        return have.endsWith(want);
      default:
        return order(op, have < want ? -1 : have > want ? 1 : 0);
    }
  };
}

function order(op: CompareOp, diff: number): boolean {
  switch (op) {
    case 'eq':
    case 'ne': // "ne" is evaluated as the negation of "eq" by the caller
      return diff === 0;
    case 'gt':
      return diff > 0;
    case 'ge':
      return diff >= 0;
    case 'lt':
      return diff < 0;
    case 'le':
      return diff <= 0;
    default:
      return false;
  }
}

interface Target {
  def: AttrDef;
  values: (resource: JsonObject) => JsonValue[];
}

/** Resolves a path to the attribute whose values are compared, flattening multi-valued attributes. */
function resolveTarget(rt: ResourceTypeDef, path: string, parent: AttrDef | undefined, forPresence: boolean): Target {
  if (parent) {
    const sub = findAttr(parent.subAttributes, path);
    if (!sub) throw invalid(`"${path}" is not a sub-attribute of "${parent.name}"`);
    return { def: sub, values: (el) => [get(el, sub.name)].filter((v): v is JsonValue => v !== undefined) };
  }
  const resolved = resolveAttrPath(rt, path);
  if (!resolved) throw invalid(`Unknown attribute "${path}" in filter`);
  const { extensionId, attr, sub } = resolved;
  const container = (r: JsonObject): JsonValue | undefined => (extensionId ? get(r, extensionId) : r);
  let def: AttrDef = sub ?? attr;
  let subName = sub?.name;
  if (!sub && attr.type === 'complex' && !forPresence) {
    // RFC 7644 §3.4.2.2: a multi-valued complex attribute without a sub-attribute compares its "value".
    const value = attr.multiValued ? findAttr(attr.subAttributes, 'value') : undefined;
    if (!value) throw invalid(`"${path}" is complex; name a sub-attribute`);
    def = value;
    subName = value.name;
  }
  return {
    def,
    values: (r) => {
      const raw = get(container(r), attr.name);
      const items = attr.multiValued ? (Array.isArray(raw) ? raw : []) : raw === undefined ? [] : [raw];
      const picked = subName ? items.map((i) => get(i, subName)) : items;
      return picked.filter((v): v is JsonValue => v !== undefined && v !== null);
    },
  };
}

/** With `lenient`, attributes the type does not have match nothing instead of failing (root-level searches). */
function compile(node: FilterNode, rt: ResourceTypeDef, parent: AttrDef | undefined, lenient = false): ResourcePredicate {
  if (lenient && (node.kind === 'compare' || node.kind === 'present' || node.kind === 'valuePath')) {
    const known = parent ? findAttr(parent.subAttributes, node.path) : resolveAttrPath(rt, node.path);
    if (!known) return () => false;
  }
  switch (node.kind) {
    case 'and': {
      const [l, r] = [compile(node.left, rt, parent, lenient), compile(node.right, rt, parent, lenient)];
      return (res) => l(res) && r(res);
    }
    case 'or': {
      const [l, r] = [compile(node.left, rt, parent, lenient), compile(node.right, rt, parent, lenient)];
      return (res) => l(res) || r(res);
    }
    case 'not': {
      const inner = compile(node.filter, rt, parent, lenient);
      return (res) => !inner(res);
    }
    case 'present': {
      const target = resolveTarget(rt, node.path, parent, true);
      return (res) => target.values(res).some(isPresent);
    }
    case 'valuePath': {
      const resolved = resolveAttrPath(rt, node.path);
      if (!resolved || resolved.sub || resolved.attr.type !== 'complex') {
        throw invalid(`"${node.path}" must name a complex attribute to carry a value filter`);
      }
      const { extensionId, attr } = resolved;
      const inner = compile(node.filter, rt, attr);
      return (res) => {
        const raw = get(extensionId ? get(res, extensionId) : res, attr.name);
        const items = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
        return items.some((el) => isJsonObject(el) && inner(el));
      };
    }
    case 'compare': {
      const target = resolveTarget(rt, node.path, parent, false);
      if (node.value === null) {
        if (node.op !== 'eq' && node.op !== 'ne') throw invalid(`Operator "${node.op}" cannot compare with null`);
        const wantMissing = node.op === 'eq';
        return (res) => (target.values(res).length === 0) === wantMissing;
      }
      const cmp = comparator(target.def, node.op, node.value, node.path);
      if (node.op === 'ne') return (res) => !target.values(res).some(cmp);
      return (res) => target.values(res).some(cmp);
    }
  }
}

export function compileFilter(node: FilterNode, rt: ResourceTypeDef, lenient = false): ResourcePredicate {
  return compile(node, rt, undefined, lenient);
}

/** Compiles a value filter against the elements of one multi-valued attribute (PATCH value paths). */
export function compileElementFilter(node: FilterNode, rt: ResourceTypeDef, parent: AttrDef): ResourcePredicate {
  return compile(node, rt, parent);
}
