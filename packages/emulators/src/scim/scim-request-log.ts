// Every request the emulator saw, for tests that assert what a connector actually sent.
import type { JsonValue } from './scim-json.js';

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  /** true when the response was dropped on purpose (fault injection) */
  dropped: boolean;
  at: string;
  /** Who says it sent the request: its X-Provisio-Job and X-Provisio-Worker headers ("41.2 worker-…"), when it had them. */
  origin?: string;
}

/** A SCIM request with its JSON body as received (passwords masked; a body that is not JSON as its text). */
export interface ReceivedRequest {
  method: string;
  path: string;
  status: number;
  body: JsonValue;
  /** As LoggedRequest's. */
  origin?: string;
}

interface RawBody {
  method: string;
  path: string;
  status: number;
  text: string;
  origin?: string;
}

const MASK = '********';

function parsed(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** The body with every "password" member masked: the log shows what was sent, passwordOf() what was set. */
function masked(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(masked);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, key.toLowerCase() === 'password' && typeof v === 'string' ? MASK : masked(v)]),
  );
}

export class ScimRequestLog {
  private static readonly MAX_ENTRIES = 10_000;
  // Bodies are kept for the latest requests only (and parsed when asked for): a bulk load would otherwise hold every payload.
  private static readonly MAX_BODIES = 1_000;
  private static readonly MAX_BODY_CHARS = 16 * 1024 * 1024;
  private readonly entries: LoggedRequest[] = [];
  private readonly bodies: RawBody[] = [];
  private bodyChars = 0;
  private readonly counters = new Map<string, number>();
  private readonly statusCounters = new Map<string, number>();
  private readonly userCreates = new Map<string, number[]>();
  private readonly userCreateTimes = new Map<string, string[]>();
  private readonly userWrites = new Map<string, string[]>();
  /** Requests to the OAuth token endpoint (kept apart: the log is about SCIM calls). */
  tokenRequests = 0;

  record(entry: Omit<LoggedRequest, 'at'>): void {
    if (this.entries.length >= ScimRequestLog.MAX_ENTRIES) this.entries.shift();
    this.entries.push({ ...entry, at: new Date().toISOString() });
    const key = `${entry.method} ${entry.path}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + 1);
    const statusKey = `${key} ${entry.status}`;
    this.statusCounters.set(statusKey, (this.statusCounters.get(statusKey) ?? 0) + 1);
  }

  /** A request that carried a JSON body (POST, PUT, PATCH, Bulk), as the service parsed it. */
  recordBody(entry: RawBody): void {
    this.bodies.push(entry);
    this.bodyChars += entry.text.length;
    while (this.bodies.length > ScimRequestLog.MAX_BODIES || (this.bodyChars > ScimRequestLog.MAX_BODY_CHARS && this.bodies.length > 1)) {
      this.bodyChars -= this.bodies.shift()?.text.length ?? 0;
    }
  }

  /** The latest requests with a body, oldest first; by method and path prefix when given. */
  received(method?: string, pathPrefix?: string): ReceivedRequest[] {
    return this.bodies
      .filter((e) => (!method || e.method === method) && (!pathPrefix || e.path.startsWith(pathPrefix)))
      .map(({ text, ...e }) => ({ ...e, body: masked(parsed(text)) }));
  }

  /** A POST to a Users collection: the userName it carried, the status it got and who sent it (not capped like the log). */
  recordUserCreate(userName: string, status: number, origin?: string): void {
    const key = userName.toLowerCase();
    this.userCreates.set(key, [...(this.userCreates.get(key) ?? []), status]);
    const entry = `${status} at ${new Date().toISOString()}${origin ? ` from ${origin}` : ''}`;
    this.userCreateTimes.set(key, [...(this.userCreateTimes.get(key) ?? []), entry]);
    this.recordUserWrite(userName, 'POST', status, origin);
  }

  /** A write of one user (create, replace, patch, delete): kept per userName, not capped like the log. */
  recordUserWrite(userName: string, method: string, status: number, origin?: string): void {
    const key = userName.toLowerCase();
    const entry = `${new Date().toISOString().slice(11, 23)} ${method} ${status}${origin ? ` from ${origin}` : ''}`;
    const writes = this.userWrites.get(key);
    if (writes) writes.push(entry);
    else this.userWrites.set(key, [entry]);
  }

  /** Each write of a userName (lower case) as "time METHOD status from origin", in order. */
  userWriteTimeline(userName: string): string[] {
    return [...(this.userWrites.get(userName.toLowerCase()) ?? [])];
  }

  /** Each create of a userName (lower case) as "status at time", in order: to tell when a second create came. */
  userCreateTimeline(userName: string): string[] {
    return [...(this.userCreateTimes.get(userName.toLowerCase()) ?? [])];
  }

  /** Counts keyed "METHOD /path status", never capped. */
  countsByStatus(): Record<string, number> {
    return Object.fromEntries(this.statusCounters);
  }

  /** The statuses of every create of each userName (lower case), in order. */
  userCreateStatuses(): Record<string, number[]> {
    return Object.fromEntries([...this.userCreates].map(([name, statuses]) => [name, [...statuses]]));
  }

  list(): LoggedRequest[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** Counts keyed "METHOD /path" (path without query). */
  counts(): Record<string, number> {
    return Object.fromEntries(this.counters);
  }

  /** Requests with this method whose path starts with `pathPrefix` (both optional). */
  count(method?: string, pathPrefix?: string): number {
    return this.entries.filter((e) => (!method || e.method === method) && (!pathPrefix || e.path.startsWith(pathPrefix))).length;
  }

  clear(): void {
    this.entries.length = 0;
    this.bodies.length = 0;
    this.bodyChars = 0;
    this.counters.clear();
    this.statusCounters.clear();
    this.userCreates.clear();
    this.userCreateTimes.clear();
    this.userWrites.clear();
    this.tokenRequests = 0;
  }
}
