import type { AttrPath, CompareFilter, FilterNode } from './filter-ast.js';
import { asElement, attributeContainer, getAttribute, isPlainObject, valuesAt, valuesOf } from './attribute-lookup.js';
import { compareValue } from './value-comparison.js';

/**
 * Attributes whose string values compare case-sensitively (RFC 7643 §3.1, §4.1.2, §7 schemas).
 * Names are `attribute` or `attribute.subAttribute`, case-insensitive, without schema URN.
 * Every `$ref` sub-attribute is caseExact too.
 */
export const DEFAULT_CASE_EXACT_ATTRIBUTES: readonly string[] = [
  'id',
  'externalId',
  'meta.resourceType',
  'meta.location',
  'meta.version',
  'x509Certificates.value',
];

export interface FilterMatchOptions {
  /** Replaces DEFAULT_CASE_EXACT_ATTRIBUTES. */
  caseExactAttributes?: Iterable<string>;
}

const DEFAULT_CASE_EXACT = toLowerSet(DEFAULT_CASE_EXACT_ATTRIBUTES);

/**
 * Does `resource` match `filter`? Multi-valued attributes match when any value does;
 * `ne` is "not eq" (so an absent attribute is `ne` anything); `eq null` means absent.
 */
export function matchesFilter(resource: object, filter: FilterNode, options: FilterMatchOptions = {}): boolean {
  return evaluate(filter, resource, undefined, caseExactTest(options));
}

/** A test of the values of a multi-valued attribute against a value filter (`emails[type eq "work"]`). */
export function elementMatcher(filter: FilterNode, parentAttribute: string, options: FilterMatchOptions = {}): (item: unknown) => boolean {
  const isCaseExact = caseExactTest(options);
  const parent = parentAttribute.toLowerCase();
  return (item) => evaluate(filter, asElement(item), parent, isCaseExact);
}

function evaluate(node: FilterNode, scope: unknown, parent: string | undefined, isCaseExact: CaseExactTest): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, scope, parent, isCaseExact) && evaluate(node.right, scope, parent, isCaseExact);
    case 'or':
      return evaluate(node.left, scope, parent, isCaseExact) || evaluate(node.right, scope, parent, isCaseExact);
    case 'not':
      return !evaluate(node.filter, scope, parent, isCaseExact);
    case 'present':
      return valuesAtPath(scope, node.path).some(isPresentValue);
    case 'compare':
      return matchesCompare(node, valuesAtPath(scope, node.path), isCaseExact(caseExactKey(parent, node.path)));
    case 'valuePath': {
      const items = valuesOf(getAttribute(attributeContainer(scope, node.path.schema), node.path.attribute));
      const key = caseExactKey(parent, node.path);
      return items.some((item) => evaluate(node.filter, asElement(item), key, isCaseExact));
    }
  }
}

function matchesCompare(node: CompareFilter, values: unknown[], caseExact: boolean): boolean {
  // A complex value compared directly stands for its "value" sub-attribute (RFC 7644 §3.4.2.2).
  const leaves = values.map((v) => (isPlainObject(v) ? getAttribute(v, 'value') : v)).filter((v) => v !== undefined && v !== null);
  const expected = node.value;
  if (expected === null) return node.op === 'eq' ? leaves.length === 0 : node.op === 'ne' && leaves.length > 0;
  if (node.op === 'ne') return !leaves.some((leaf) => compareValue(leaf, 'eq', expected, caseExact));
  return leaves.some((leaf) => compareValue(leaf, node.op, expected, caseExact));
}

function valuesAtPath(scope: unknown, path: AttrPath): unknown[] {
  return valuesAt(attributeContainer(scope, path.schema), path.attribute, path.subAttribute);
}

/** `pr`: not null, not "", not an empty array or object. */
export function isPresentValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.some(isPresentValue);
  if (isPlainObject(value)) return Object.values(value).some(isPresentValue);
  return true;
}

function caseExactKey(parent: string | undefined, path: AttrPath): string {
  const local = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  return (parent === undefined ? local : `${parent}.${local}`).toLowerCase();
}

type CaseExactTest = (key: string) => boolean;

function caseExactTest(options: FilterMatchOptions): CaseExactTest {
  const names = options.caseExactAttributes === undefined ? DEFAULT_CASE_EXACT : toLowerSet(options.caseExactAttributes);
  return (key) => names.has(key) || key === '$ref' || key.endsWith('.$ref');
}

function toLowerSet(names: Iterable<string>): ReadonlySet<string> {
  return new Set([...names].map((name) => name.toLowerCase()));
}
