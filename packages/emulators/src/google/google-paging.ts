// maxResults / pageToken / nextPageToken as the Directory API list methods use them.
import { googleErrors } from './google-errors.js';

export interface PageLimits {
  defaultSize: number;
  maxSize: number;
}

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

/** Where an item stands in a listing: a unique string, the listing being in its order (or the reverse). */
export interface ListingOrder<T> {
  positionOf(item: T): string;
  descending?: boolean;
}

/**
 * One page of `items`, put in the listing's order. The token names the listing it came from,
 * so a token reused with another query fails, and the position of the last item given, so the
 * next page starts right after it: a deletion between two pages skips nobody.
 */
export function paginate<T>(items: T[], query: URLSearchParams, limits: PageLimits, listingKey: string, order: ListingOrder<T>): Page<T> {
  const size = parseMaxResults(query.get('maxResults'), limits);
  const after = parsePageToken(query.get('pageToken'), listingKey);
  const { positionOf } = order;
  const sorted = items
    .map((item) => ({ item, position: positionOf(item) }))
    .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  if (order.descending) sorted.reverse();
  const start = after === undefined ? 0 : firstPast(sorted, after, order.descending === true);
  const page = sorted.slice(start, start + size).map((s) => s.item);
  const last = page[page.length - 1];
  return start + size < sorted.length && last !== undefined
    ? { items: page, nextPageToken: encodeToken(positionOf(last), listingKey) }
    : { items: page };
}

/** The index of the first entry past `after` in the listing's direction (a binary search). */
function firstPast(sorted: ReadonlyArray<{ position: string }>, after: string, descending: boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const position = sorted[middle].position;
    const past = descending ? position < after : position > after;
    if (past) high = middle;
    else low = middle + 1;
  }
  return low;
}

function parseMaxResults(raw: string | null, limits: PageLimits): number {
  if (raw === null || raw === '') return limits.defaultSize;
  if (!/^-?\d+$/.test(raw)) throw googleErrors.invalid(`Invalid value at 'max_results' (TYPE_INT32), "${raw}"`);
  const value = Number(raw);
  if (value < 1 || value > limits.maxSize) throw googleErrors.invalidRange(raw, 1, limits.maxSize);
  return value;
}

function encodeToken(after: string, listingKey: string): string {
  return Buffer.from(JSON.stringify({ a: after, k: listingKey })).toString('base64url');
}

function parsePageToken(raw: string | null, listingKey: string): string | undefined {
  if (raw === null || raw === '') return undefined;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof decoded === 'object' && decoded !== null && 'a' in decoded && 'k' in decoded) {
      const { a, k } = decoded;
      if (typeof a === 'string' && k === listingKey) return a;
    }
  } catch {
    // falls through to the same answer as any other unusable token
  }
  throw googleErrors.invalid('Invalid page token');
}
