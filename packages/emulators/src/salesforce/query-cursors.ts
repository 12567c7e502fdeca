// Query locators: results beyond one batch are kept here and fetched through
// nextRecordsUrl (/services/data/vXX.X/query/01g...-2000), like Salesforce. The
// result is a snapshot taken when the query ran; a cursor idle for 15 minutes, or
// read to its end, is gone, and its locators answer INVALID_QUERY_LOCATOR.
import { randomBytes } from 'node:crypto';

interface Cursor {
  records: Record<string, unknown>[];
  expiresAt: number;
}

const CURSOR_TTL_MS = 15 * 60 * 1000;
const MAX_OPEN_CURSORS = 1000;

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();

  /** The first page of a result, opening a locator when more remain. */
  firstPage(records: Record<string, unknown>[], batchSize: number, version: string): QueryPage {
    return this.page(`01g${randomBytes(6).toString('hex')}`, records, 0, records.length, batchSize, version);
  }

  /** A following page by locator (`<id>-<offset>`), or undefined when unknown or expired. */
  nextPage(locator: string, batchSize: number, version: string): QueryPage | undefined {
    const dash = locator.lastIndexOf('-');
    const key = locator.slice(0, dash);
    const offset = Number(locator.slice(dash + 1));
    const cursor = this.cursors.get(key);
    if (!cursor || dash < 0 || !Number.isInteger(offset) || offset <= 0 || offset >= cursor.records.length) return undefined;
    if (cursor.expiresAt < Date.now()) {
      this.cursors.delete(key);
      return undefined;
    }
    // Salesforce counts the 15 minutes from the cursor's last use.
    cursor.expiresAt = Date.now() + CURSOR_TTL_MS;
    return this.page(key, cursor.records, offset, cursor.records.length, batchSize, version);
  }

  /** Every open cursor expires now, as 15 idle minutes would make it (a test hook). */
  expireAll(): void {
    this.cursors.clear();
  }

  private page(
    key: string,
    records: Record<string, unknown>[],
    offset: number,
    totalSize: number,
    batchSize: number,
    version: string,
  ): QueryPage {
    const end = offset + batchSize;
    const slice = records.slice(offset, end);
    if (end >= records.length) {
      this.cursors.delete(key);
      return { totalSize, done: true, records: slice };
    }
    if (!this.cursors.has(key)) {
      if (this.cursors.size >= MAX_OPEN_CURSORS) this.cursors.delete(this.cursors.keys().next().value as string);
      this.cursors.set(key, { records, expiresAt: Date.now() + CURSOR_TTL_MS });
    }
    return { totalSize, done: false, nextRecordsUrl: `/services/data/v${version}/query/${key}-${end}`, records: slice };
  }
}
