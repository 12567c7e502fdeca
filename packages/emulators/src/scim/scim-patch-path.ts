// PATCH "path" (RFC 7644 §3.5.2): attrPath, attrPath.subAttr, attrPath[valFilter], attrPath[valFilter].subAttr,
// or the URN of a whole schema extension.
import { extensionByUrn, resolveAttrPath } from './scim-attribute-path.js';
import type { ResourceTypeDef } from './scim-core-schemas.js';
import { badRequest, ScimError } from './scim-errors.js';
import { compileElementFilter, type ResourcePredicate } from './scim-filter-evaluator.js';
import { parseFilter, type FilterNode } from './scim-filter-parser.js';
import { findAttr, type AttrDef, type SchemaDef } from './scim-schema-model.js';

export type PatchTarget =
  | { kind: 'extension'; ext: SchemaDef }
  | {
      kind: 'attr';
      extensionId: string | null;
      attr: AttrDef;
      /** Sub-attribute named after the attribute ("name.givenName") or after the filter ("emails[...].value"). */
      sub?: AttrDef;
      filter?: { node: FilterNode; matches: ResourcePredicate };
    };

const invalidPath = (detail: string) => badRequest('invalidPath', detail);

export function parsePatchPath(rt: ResourceTypeDef, path: string): PatchTarget {
  const open = path.indexOf('[');
  if (open < 0) {
    const ext = extensionByUrn(rt, path);
    if (ext) return { kind: 'extension', ext };
    const resolved = resolveAttrPath(rt, path);
    if (!resolved) throw invalidPath(`"${path}" is not a valid attribute path for ${rt.kind}`);
    return { kind: 'attr', ...resolved };
  }
  const close = path.lastIndexOf(']');
  if (close < open) throw invalidPath(`Unbalanced "[" in path "${path}"`);
  const resolved = resolveAttrPath(rt, path.slice(0, open));
  if (!resolved || resolved.sub || !resolved.attr.multiValued || resolved.attr.type !== 'complex') {
    throw invalidPath(`"${path.slice(0, open)}" must name a multi-valued complex attribute to carry a value filter`);
  }
  const after = path.slice(close + 1);
  let sub: AttrDef | undefined;
  if (after !== '') {
    sub = after.startsWith('.') ? findAttr(resolved.attr.subAttributes, after.slice(1)) : undefined;
    if (!sub) throw invalidPath(`"${after}" is not a sub-attribute of "${resolved.attr.name}"`);
  }
  let node: FilterNode;
  let matches: ResourcePredicate;
  try {
    node = parseFilter(path.slice(open + 1, close));
    matches = compileElementFilter(node, rt, resolved.attr);
  } catch (err) {
    if (err instanceof ScimError) throw invalidPath(`Invalid value filter in path "${path}": ${err.detail}`);
    throw err;
  }
  return { kind: 'attr', extensionId: resolved.extensionId, attr: resolved.attr, sub, filter: { node, matches } };
}

/** The sub-attribute values a simple `a eq "x" and b eq "y"` filter pins down, used to create a missing element. */
export function equalityTemplate(node: FilterNode): Record<string, string | number | boolean> | undefined {
  if (node.kind === 'compare' && node.op === 'eq' && node.value !== null && !node.path.includes('.')) {
    return { [node.path]: node.value };
  }
  if (node.kind === 'and') {
    const [l, r] = [equalityTemplate(node.left), equalityTemplate(node.right)];
    return l && r ? { ...l, ...r } : undefined;
  }
  return undefined;
}
