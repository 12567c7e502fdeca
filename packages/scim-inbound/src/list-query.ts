import { parseFilter, parsePatchPath, type IdentityQuery } from '@provisio/core/engine';
import { badRequest } from './scim-error.js';
import { isPlainObject } from './resource-validator.js';

/** A list request (GET query string or POST /.search body, RFC 7644 §3.4.2–3.4.3) as a store query plus projection. */
export interface ListRequest {
  query: IdentityQuery;
  startIndex: number;
  count: number;
  attributes?: string[];
  excludedAttributes?: string[];
}

type Params = Record<string, unknown>;

/** Query parameter names are case-insensitive in practice (Entra sends `startIndex`, some clients `startindex`). */
function param(params: Params, name: string): unknown {
  const key = Object.keys(params).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : params[key];
  return Array.isArray(value) ? value[0] : value;
}

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number)) throw badRequest('invalidValue', `${name} must be an integer`);
  return number;
}

export function attributeList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!list || list.some((v) => typeof v !== 'string'))
    throw badRequest('invalidValue', `${name} must be a comma-separated list of attribute names`);
  return (list as string[]).map((v) => v.trim()).filter((v) => v !== '');
}

export function readListRequest(params: Params, maxResults: number): ListRequest {
  if (!isPlainObject(params)) throw badRequest('invalidSyntax', 'a search request must be an object');
  const filterText = param(params, 'filter');
  if (filterText !== undefined && typeof filterText !== 'string') throw badRequest('invalidFilter', 'filter must be a string');
  const sortByText = param(params, 'sortBy');
  if (sortByText !== undefined && typeof sortByText !== 'string') throw badRequest('invalidValue', 'sortBy must be an attribute path');
  const sortOrder = param(params, 'sortOrder');
  if (sortOrder !== undefined && (typeof sortOrder !== 'string' || !/^(ascending|descending)$/i.test(sortOrder)))
    throw badRequest('invalidValue', 'sortOrder must be ascending or descending');
  let sortBy;
  if (sortByText) {
    try {
      const parsed = parsePatchPath(sortByText);
      if (parsed.valueFilter) throw new Error('filter');
      sortBy = parsed.path;
    } catch {
      throw badRequest('invalidValue', `sortBy "${sortByText}" is not an attribute path`);
    }
  }
  // RFC 7644 §3.4.2.4: startIndex below 1 means 1, a negative count means 0; the server caps count.
  const startIndex = Math.max(1, integer(param(params, 'startIndex'), 'startIndex') ?? 1);
  const count = Math.min(maxResults, Math.max(0, integer(param(params, 'count'), 'count') ?? maxResults));
  return {
    query: {
      filter: typeof filterText === 'string' && filterText.trim() !== '' ? parseFilter(filterText) : undefined,
      sortBy,
      sortOrder: typeof sortOrder === 'string' && sortOrder.toLowerCase() === 'descending' ? 'descending' : 'ascending',
      startIndex,
      count,
    },
    startIndex,
    count,
    attributes: attributeList(param(params, 'attributes'), 'attributes'),
    excludedAttributes: attributeList(param(params, 'excludedAttributes'), 'excludedAttributes'),
  };
}
