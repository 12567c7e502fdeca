// Query, .search and paging parameters (RFC 7644 §3.4.2, §3.4.3) and their execution over rendered resources.
import { resolveAttrPath } from './scim-attribute-path.js';
import type { ResourceTypeDef } from './scim-core-schemas.js';
import { badRequest } from './scim-errors.js';
import { compileFilter } from './scim-filter-evaluator.js';
import { parseFilter, type FilterNode, type ScimDialect } from './scim-filter-parser.js';
import { isJsonObject, type JsonObject, type JsonValue } from './scim-json.js';
import { parseAttributeList, type Projection } from './scim-projection.js';

export interface ListQuery extends Projection {
  filter?: FilterNode;
  maxFilterMatches: number;
  startIndex: number;
  count: number;
  sortBy?: string;
  descending: boolean;
}

export interface ListLimits {
  maxResults: number;
  maxFilterMatches: number;
}

function parseInteger(raw: string | number | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = typeof raw === 'number' ? raw : /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n)) throw badRequest('invalidValue', `"${name}" must be an integer`);
  return n;
}

function parseSortOrder(raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const order = raw.toLowerCase();
  if (order !== 'ascending' && order !== 'descending') {
    throw badRequest('invalidValue', '"sortOrder" must be "ascending" or "descending"');
  }
  return order === 'descending';
}

interface RawQuery {
  filter?: string;
  startIndex?: string | number;
  count?: string | number;
  sortBy?: string;
  sortOrder?: string;
  attributes?: string[];
  excludedAttributes?: string[];
}

function buildQuery(raw: RawQuery, dialect: ScimDialect, limits: ListLimits): ListQuery {
  // RFC 7644 §3.4.2.4: startIndex below 1 means 1, a negative count means 0; the service caps count.
  const startIndex = Math.max(1, parseInteger(raw.startIndex, 'startIndex') ?? 1);
  const count = Math.min(limits.maxResults, Math.max(0, parseInteger(raw.count, 'count') ?? limits.maxResults));
  return {
    filter: raw.filter === undefined ? undefined : parseFilter(raw.filter, dialect),
    maxFilterMatches: limits.maxFilterMatches,
    startIndex,
    count,
    sortBy: raw.sortBy,
    descending: parseSortOrder(raw.sortOrder),
    attributes: raw.attributes,
    excludedAttributes: raw.excludedAttributes,
  };
}

export function parseQueryParams(params: URLSearchParams, dialect: ScimDialect, limits: ListLimits): ListQuery {
  const get = (name: string) => params.get(name) ?? undefined;
  return buildQuery(
    {
      filter: get('filter'),
      startIndex: get('startIndex'),
      count: get('count'),
      sortBy: get('sortBy'),
      sortOrder: get('sortOrder'),
      attributes: parseAttributeList(get('attributes')),
      excludedAttributes: parseAttributeList(get('excludedAttributes')),
    },
    dialect,
    limits,
  );
}

const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** POST .../.search body (RFC 7644 §3.4.3). */
export function parseSearchRequest(body: JsonValue | undefined, limits: ListLimits): ListQuery {
  if (!isJsonObject(body)) throw badRequest('invalidSyntax', 'A SearchRequest body must be a JSON object');
  const schemas = body['schemas'];
  if (!Array.isArray(schemas) || !schemas.includes(SEARCH_REQUEST)) {
    throw badRequest('invalidSyntax', `"schemas" must contain "${SEARCH_REQUEST}"`);
  }
  const str = (name: string): string | undefined => {
    const v = body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw badRequest('invalidValue', `"${name}" must be a string`);
    return v;
  };
  const num = (name: string): number | undefined => {
    const v = body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number') throw badRequest('invalidValue', `"${name}" must be an integer`);
    return v;
  };
  const list = (name: string): string[] | undefined => {
    const v = body[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
      throw badRequest('invalidValue', `"${name}" must be an array of attribute names`);
    }
    return v as string[];
  };
  return buildQuery(
    {
      filter: str('filter'),
      startIndex: num('startIndex'),
      count: num('count'),
      sortBy: str('sortBy'),
      sortOrder: str('sortOrder'),
      attributes: list('attributes'),
      excludedAttributes: list('excludedAttributes'),
    },
    'v2',
    limits,
  );
}

function sortKey(rt: ResourceTypeDef, sortBy: string): (r: JsonObject) => string | number | boolean | undefined {
  const resolved = resolveAttrPath(rt, sortBy);
  if (!resolved || (resolved.attr.type === 'complex' && !resolved.sub && !resolved.attr.multiValued)) {
    throw badRequest('invalidValue', `Cannot sort by "${sortBy}"`);
  }
  const { extensionId, attr, sub } = resolved;
  const def = sub ?? attr;
  return (r) => {
    const holder = extensionId ? r[extensionId] : r;
    let v: JsonValue | undefined = isJsonObject(holder) ? holder[attr.name] : undefined;
    // RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary (else first) value.
    if (Array.isArray(v)) v = v.find((i) => isJsonObject(i) && i['primary'] === true) ?? v[0];
    if (attr.type === 'complex') v = isJsonObject(v) ? v[sub?.name ?? 'value'] : undefined;
    if (typeof v === 'string') return def.caseExact ? v : v.toLowerCase();
    return typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
  };
}

interface ListResult {
  totalResults: number;
  startIndex: number;
  page: JsonObject[];
}

/** Filters, sorts and pages rendered resources. Unassigned sort values go last. */
function runListQuery(rt: ResourceTypeDef, resources: JsonObject[], query: ListQuery, lenientFilter = false): ListResult {
  const predicate = query.filter ? compileFilter(query.filter, rt, lenientFilter) : undefined;
  let matched = predicate ? resources.filter(predicate) : resources;
  if (predicate && matched.length > query.maxFilterMatches) {
    throw badRequest('tooMany', `The filter matches ${matched.length} resources; this service processes at most ${query.maxFilterMatches}`);
  }
  if (query.sortBy) {
    const key = sortKey(rt, query.sortBy);
    const dir = query.descending ? -1 : 1;
    matched = [...matched].sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      if (ka === kb) return 0;
      if (ka === undefined) return 1;
      if (kb === undefined) return -1;
      return (ka < kb ? -1 : 1) * dir;
    });
  }
  const page = matched.slice(query.startIndex - 1, query.startIndex - 1 + query.count);
  return { totalResults: matched.length, startIndex: query.startIndex, page };
}

/** The resources of one kind a list query matches, in list order, each rendered when read. */
export interface MatchingResources {
  rt: ResourceTypeDef;
  total: number;
  at(index: number): JsonObject;
}

/**
 * Without a filter or a sort, the matches are the stored resources, rendered only when a page
 * reads them: a deep startIndex costs what one page does. With one, all are rendered to be
 * compared, as a real server without an index on that attribute would.
 */
export function matchingResources<T>(
  rt: ResourceTypeDef,
  stored: readonly T[],
  render: (resource: T) => JsonObject,
  query: ListQuery,
  lenientFilter = false,
): MatchingResources {
  if (!query.filter && !query.sortBy) return { rt, total: stored.length, at: (i) => render(stored[i]) };
  const result = runListQuery(rt, stored.map(render), { ...query, startIndex: 1, count: Number.MAX_SAFE_INTEGER }, lenientFilter);
  return { rt, total: result.totalResults, at: (i) => result.page[i] };
}

/** The page `query` asks for: matches `startIndex`..`startIndex + count - 1` across kinds, in order. */
export function pageOf(
  matches: readonly MatchingResources[],
  query: ListQuery,
  project: (m: MatchingResources, r: JsonObject) => JsonObject,
): JsonObject[] {
  const page: JsonObject[] = [];
  let skip = query.startIndex - 1;
  for (const match of matches) {
    if (page.length >= query.count) break;
    const from = Math.min(skip, match.total);
    skip -= from;
    for (let i = from; i < match.total && page.length < query.count; i++) page.push(project(match, match.at(i)));
  }
  return page;
}
