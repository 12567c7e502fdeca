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

/** The token binds the offset to the listing it came from, so a token reused with another query fails. */
export function paginate<T>(items: T[], query: URLSearchParams, limits: PageLimits, listingKey: string): Page<T> {
  const size = parseMaxResults(query.get('maxResults'), limits);
  const offset = parsePageToken(query.get('pageToken'), listingKey);
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  return next < items.length ? { items: page, nextPageToken: encodeToken(next, listingKey) } : { items: page };
}

function parseMaxResults(raw: string | null, limits: PageLimits): number {
  if (raw === null || raw === '') return limits.defaultSize;
  if (!/^-?\d+$/.test(raw)) throw googleErrors.invalid(`Invalid value at 'max_results' (TYPE_INT32), "${raw}"`);
  const value = Number(raw);
  if (value < 1 || value > limits.maxSize) throw googleErrors.invalidRange(raw, 1, limits.maxSize);
  return value;
}

function encodeToken(offset: number, listingKey: string): string {
  return Buffer.from(JSON.stringify({ o: offset, k: listingKey })).toString('base64url');
}

function parsePageToken(raw: string | null, listingKey: string): number {
  if (raw === null || raw === '') return 0;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof decoded === 'object' && decoded !== null && 'o' in decoded && 'k' in decoded) {
      const { o, k } = decoded;
      if (typeof o === 'number' && Number.isInteger(o) && o >= 0 && k === listingKey) return o;
    }
  } catch {
    // falls through to the same answer as any other unusable token
  }
  throw googleErrors.invalid('Invalid page token');
}
