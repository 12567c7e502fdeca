import type { ScimDialect } from './scim-dialect.js';
import { singleValue } from './scim-mapped-values.js';
import { closestName } from '@provisio/core';
import { TargetProblem } from './scim-target-problem.js';
import { findAttribute, findExtension, type TargetAttribute, type TargetUserSchema } from './scim-target-schema.js';
import { flatFieldPath, PRIMARY_VALUE_FIELDS, USER_FIELDS } from './scim-user-fields.js';

export type FilterValue = string | number | boolean;

/**
 * Where one mapping key writes in a User (RFC 7644 §3.10 attribute paths, with a value filter
 * naming one element of a multi-valued attribute, as in PATCH paths §3.5.2):
 * `title`, `name.givenName`, `roles`, `addresses[type eq "work"].locality`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter`.
 */
export interface MappingTarget {
  key: string;
  /** The extension URN the attribute belongs to; undefined for the core schema. */
  extension?: string;
  attribute: TargetAttribute;
  /** The value filter's `sub eq value` terms, in schema spelling: the element they match, or create. */
  element?: readonly (readonly [string, FilterValue])[];
  sub?: TargetAttribute;
  /** The flat `email` / `phoneNumber`: created primary, read back from the primary value when none has the type. */
  primary?: boolean;
}

const NAME = /^[A-Za-z$][\w$-]*$/;
const TERM = /\s*([A-Za-z][\w$-]*)\s+eq\s+("(?:[^"\\]|\\.)*"|true|false|-?\d+(?:\.\d+)?)\s*/iy;
const AND = /and\b/iy;
// Sent from the received password (password provisioning), never from a mapping.
const PASSWORD = 'password';

/** `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, after the schema URN. */
interface ParsedPath {
  extension?: string;
  attribute: string;
  filter?: string;
  sub?: string;
}

export function resolveTarget(schema: TargetUserSchema, dialect: ScimDialect, key: string): MappingTarget {
  const flat = flatFieldPath(dialect, key);
  const target = resolvePath(schema, flat ?? key);
  return flat !== undefined && PRIMARY_VALUE_FIELDS.has(key) ? { ...target, key, primary: true } : { ...target, key };
}

function resolvePath(schema: TargetUserSchema, path: string): Omit<MappingTarget, 'key'> {
  const parsed = parsePath(schema, path);
  const attributes = parsed.extension === undefined ? schema.attributes : (findExtension(schema, parsed.extension)?.attributes ?? []);
  const attribute = findAttribute(attributes, parsed.attribute);
  if (!attribute) throw new TargetProblem(unknownAttribute(schema, parsed));
  const where = parsed.extension === undefined ? `"${attribute.name}"` : `"${attribute.name}" of ${parsed.extension}`;
  if (attribute.readOnly) throw new TargetProblem(`${where} is read-only on the target (the service sets it)`);
  if (attribute.name === PASSWORD && parsed.extension === undefined) {
    throw new TargetProblem('"password" is not a mapping target (the password comes from password provisioning)');
  }
  if (parsed.filter !== undefined && (!attribute.multiValued || attribute.type !== 'complex')) {
    throw new TargetProblem(`${where} is not a multi-valued complex attribute, so it cannot carry a value filter`);
  }
  const sub = parsed.sub === undefined ? undefined : subAttribute(attribute, parsed.sub, where);
  const extension = parsed.extension;
  if (parsed.filter === undefined) {
    if (sub && attribute.multiValued) {
      throw new TargetProblem(`${where} is multi-valued: name the value with a filter, e.g. ${attribute.name}[type eq "work"].${sub.name}`);
    }
    if (attribute.type === 'complex' && !attribute.multiValued && !sub) {
      const names = attribute.subAttributes.map((s) => s.name).join(', ');
      throw new TargetProblem(`${where} is complex: map one of its sub-attributes (${attribute.name}.<${names}>)`);
    }
    return { ...(extension ? { extension } : {}), attribute, ...(sub ? { sub } : {}) };
  }
  // The filter's values are written into the value it creates: in the sub-attribute's type (`primary eq "true"` is refused).
  const element = parseFilter(parsed.filter).map(([name, value]) => {
    const term = subAttribute(attribute, name, where);
    if (typeof singleValue(term, value) !== typeof value) {
      throw new TargetProblem(`the value filter compares "${term.name}" (${term.type}) with ${JSON.stringify(value)}`);
    }
    return [term.name, value] as const;
  });
  return { ...(extension ? { extension } : {}), attribute, element, ...(sub ? { sub } : {}) };
}

function parsePath(schema: TargetUserSchema, path: string): ParsedPath {
  let rest = path;
  let extension: string | undefined;
  if (/^urn:/i.test(path)) {
    const urns = [schema.core, ...schema.extensions.map((e) => e.id)].sort((a, b) => b.length - a.length);
    const urn = urns.find((u) => path.toLowerCase().startsWith(`${u.toLowerCase()}:`));
    if (urn === undefined) {
      const head = path.split('[')[0];
      const given = head.slice(0, head.lastIndexOf(':'));
      const near = closestName(given, urns);
      throw new TargetProblem(`the target has no schema "${given}"${near ? `; did you mean "${near}"?` : ''} (it has ${urns.join(', ')})`);
    }
    extension = urn.toLowerCase() === schema.core.toLowerCase() ? undefined : urn;
    rest = path.slice(urn.length + 1);
  }
  const open = rest.indexOf('[');
  const close = rest.lastIndexOf(']');
  if (open < 0 !== close < 0 || close < open) throw new TargetProblem(`unbalanced "[" "]" in "${path}"`);
  const attribute = open < 0 ? rest.split('.')[0] : rest.slice(0, open);
  const after = open < 0 ? rest.slice(attribute.length) : rest.slice(close + 1);
  if (after !== '' && !after.startsWith('.')) throw new TargetProblem(`"${path}" is not an attribute path`);
  const sub = after === '' ? undefined : after.slice(1);
  if (!NAME.test(attribute) || (sub !== undefined && !NAME.test(sub))) throw new TargetProblem(`"${path}" is not an attribute path`);
  return {
    ...(extension ? { extension } : {}),
    attribute,
    ...(open < 0 ? {} : { filter: rest.slice(open + 1, close) }),
    ...(sub ? { sub } : {}),
  };
}

/** `type eq "work"`, `type eq "work" and primary eq true`: the only filters that name one element to create. */
function parseFilter(text: string): [string, FilterValue][] {
  const terms: [string, FilterValue][] = [];
  let at = 0;
  for (let n = 0; n <= text.length; n++) {
    TERM.lastIndex = at;
    const term = TERM.exec(text);
    if (!term) break;
    terms.push([term[1], filterValue(term[2])]);
    at = TERM.lastIndex;
    if (at === text.length) return terms;
    AND.lastIndex = at;
    if (!AND.exec(text)) break;
    at = AND.lastIndex;
  }
  throw new TargetProblem(
    `the value filter "[${text}]" must be sub-attribute eq value terms joined by "and" (e.g. [type eq "work"]): it names the value to write`,
  );
}

function filterValue(literal: string): FilterValue {
  if (literal.startsWith('"')) return JSON.parse(literal) as string;
  if (/^(true|false)$/i.test(literal)) return literal.toLowerCase() === 'true';
  return Number(literal);
}

function subAttribute(attribute: TargetAttribute, name: string, where: string): TargetAttribute {
  const sub = findAttribute(attribute.subAttributes, name);
  if (sub?.readOnly) throw new TargetProblem(`"${attribute.name}.${sub.name}" is read-only on the target`);
  if (sub) return sub;
  const near = closestName(
    name,
    attribute.subAttributes.map((s) => s.name),
  );
  const known = attribute.subAttributes.map((s) => s.name).join(', ') || 'none';
  throw new TargetProblem(`${where} has no sub-attribute "${name}"${near ? `; did you mean "${near}"?` : ''} (it has ${known})`);
}

function unknownAttribute(schema: TargetUserSchema, parsed: ParsedPath): string {
  const inExtension = parsed.extension !== undefined;
  const own = inExtension ? (findExtension(schema, parsed.extension ?? '')?.attributes ?? []) : schema.attributes;
  const writable = own.filter((a) => !a.readOnly && !(a.name === PASSWORD && !inExtension)).map((a) => a.name);
  const candidates = inExtension ? writable : [...Object.keys(USER_FIELDS), ...writable];
  let near = closestName(parsed.attribute, candidates);
  if (!near && !inExtension) {
    // A bare extension attribute: suggest its full path.
    for (const extension of schema.extensions) {
      const found = extension.attributes.find((a) => a.name.toLowerCase() === parsed.attribute.toLowerCase());
      if (found) near = `${extension.id}:${found.name}`;
    }
  }
  const where = inExtension ? `extension ${parsed.extension}` : 'the core User schema';
  return `${where} has no attribute "${parsed.attribute}"${near ? `; did you mean "${near}"?` : ''}`;
}

/** `addresses`, `urn:…:User:costCenter`: the attribute's own path (PATCH remove/replace of the whole, `attributes=`). */
export function attributePath(target: Pick<MappingTarget, 'extension' | 'attribute'>): string {
  return target.extension === undefined ? target.attribute.name : `${target.extension}:${target.attribute.name}`;
}

/** `addresses[type eq "work"]`: the element the target writes in (its filter in canonical form). */
export function elementPath(target: MappingTarget): string {
  const filter = (target.element ?? []).map(([name, value]) => `${name} eq ${JSON.stringify(value)}`).join(' and ');
  return `${attributePath(target)}[${filter}]`;
}

/** The full path of the target, as a PATCH `path` (RFC 7644 §3.5.2). */
export function targetPath(target: MappingTarget): string {
  const base = target.element ? elementPath(target) : attributePath(target);
  return target.sub ? `${base}.${target.sub.name}` : base;
}

/** Lower-cased full path: two keys with the same slot write the same value. */
export function slotOf(target: MappingTarget): string {
  return targetPath(target).toLowerCase();
}
