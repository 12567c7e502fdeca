import type { ScimGroup, ScimUser } from '../model/identity.js';
import { groupView, userView } from '../pipeline/identity-views.js';
import type { AttrPath, FilterNode } from '../scim-filter/filter-ast.js';
import { attributeContainer, getAttribute, isPlainObject, valuesOf } from '../scim-filter/attribute-lookup.js';
import { matchesFilter } from '../scim-filter/filter-evaluator.js';
import { asBoolean } from '../scim-filter/value-comparison.js';
import type { GroupRecord, UserRecord } from './records.js';
import type { IdentityQuery, QueryPage } from './store-ports.js';

/**
 * The meaning of IdentityQuery, shared by every store: the in-memory store runs it
 * as is, SQL stores push what they can down and use these for the rest, so both
 * give the same answers (the store contract checks it).
 */

/** xsd:dateTime as SCIM uses it (same test as the filter evaluator). */
export const SCIM_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?$/i;

const CASE_EXACT_SORT = new Set(['id', 'externalid', 'meta.version', 'meta.resourcetype', 'meta.location']);

export function userFilterDocument(record: UserRecord, groups: readonly GroupRecord[]): ScimUser {
  return userView(record, groups);
}

export function groupFilterDocument(record: GroupRecord): ScimGroup {
  return groupView(record);
}

/** Does the filter (or sort) read this top-level attribute? Used to skip deriving `groups` when nobody asks. */
export function filterMentions(node: FilterNode | undefined, attribute: string): boolean {
  if (!node) return false;
  const name = attribute.toLowerCase();
  switch (node.kind) {
    case 'and':
    case 'or':
      return filterMentions(node.left, attribute) || filterMentions(node.right, attribute);
    case 'not':
      return filterMentions(node.filter, attribute);
    case 'valuePath':
      return node.path.attribute.toLowerCase() === name;
    default:
      return node.path.attribute.toLowerCase() === name;
  }
}

/** The value a resource sorts by: for a multi-valued attribute, its primary value, else its first (RFC 7644 §3.4.2.3). */
export function sortValue(resource: object, sortBy: AttrPath): string | number | boolean | undefined {
  const items = valuesOf(getAttribute(attributeContainer(resource, sortBy.schema), sortBy.attribute));
  const item = items.find((i) => isPlainObject(i) && asBoolean(getAttribute(i, 'primary')) === true) ?? items[0];
  let value: unknown = item;
  if (sortBy.subAttribute !== undefined)
    value = isPlainObject(item)
      ? getAttribute(item, sortBy.subAttribute)
      : sortBy.subAttribute.toLowerCase() === 'value'
        ? item
        : undefined;
  else if (isPlainObject(item)) value = getAttribute(item, 'value');
  if (typeof value === 'string') {
    const key = (sortBy.subAttribute === undefined ? sortBy.attribute : `${sortBy.attribute}.${sortBy.subAttribute}`).toLowerCase();
    return CASE_EXACT_SORT.has(key) ? value : value.toLowerCase();
  }
  return typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}

/** Ascending order; absent values last. */
export function compareSortValues(a: string | number | boolean | undefined, b: string | number | boolean | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (typeof a !== typeof b) return typeof a < typeof b ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Zero-based offset and limit (undefined: no limit) of a page. */
export function pageBounds(query: IdentityQuery): { offset: number; limit: number | undefined } {
  const start = Number.isFinite(query.startIndex) ? Math.max(1, Math.floor(query.startIndex ?? 1)) : 1;
  const limit = query.count === undefined || !Number.isFinite(query.count) ? undefined : Math.max(0, Math.floor(query.count));
  return { offset: start - 1, limit };
}

/**
 * Filter, sort and page in memory. `items` must be in insertion order; `document`
 * gives the resource the filter and sort read.
 */
export function queryInMemory<R>(items: Iterable<R>, document: (record: R) => object, query: IdentityQuery): QueryPage<R> {
  const matched: { record: R; doc: object }[] = [];
  for (const record of items) {
    const doc = document(record);
    if (!query.filter || matchesFilter(doc, query.filter)) matched.push({ record, doc });
  }
  const sortBy = query.sortBy;
  if (sortBy) {
    const direction = query.sortOrder === 'descending' ? -1 : 1;
    const keyed = matched.map((m) => ({ ...m, key: sortValue(m.doc, sortBy) }));
    keyed.sort((x, y) => direction * compareSortValues(x.key, y.key));
    matched.splice(0, matched.length, ...keyed);
  }
  const { offset, limit } = pageBounds(query);
  const page = matched.slice(offset, limit === undefined ? undefined : offset + limit);
  return { totalResults: matched.length, records: page.map((m) => m.record) };
}
