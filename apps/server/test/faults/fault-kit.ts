// Helpers the fault tests (and others) share: bounded waits, SCIM and admin API clients, and the "exactly once" check.
import { existsSync, readFileSync } from 'node:fs';

/** Polls `check` every `everyMs` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface ScimAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

/** One SCIM 2.0 request with a bearer token (or none), bounded in time. */
export async function scim(
  baseUrl: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 10000,
): Promise<ScimAnswer> {
  const response = await fetch(`${baseUrl}/scim/v2${path}`, {
    method,
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), 'content-type': 'application/scim+json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { unparsed: text };
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** One admin API request with a bearer token, bounded in time: its JSON answer, or an error unless it answers 200. */
export async function adminOk<T>(baseUrl: string, token: string, method: string, path: string, timeoutMs = 30000): Promise<T> {
  const response = await fetch(`${baseUrl}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${method} /admin/v1${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export const userBody = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName,
  name: { givenName: 'Test', familyName: userName.split('@')[0] },
  emails: [{ value: userName, type: 'work', primary: true }],
  ...extra,
});

/** Lines of a memory connector's journal (what the target received), optionally of one operation. */
export function journal(path: string, op?: string): { op: string; localId: string; accountName?: string; instanceId: string }[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  return lines
    .map((l) => JSON.parse(l) as { op: string; localId: string; accountName?: string; instanceId: string })
    .filter((l) => op === undefined || l.op === op);
}

/**
 * How many times each expected name arrived, and what arrived that nobody expected.
 * "Exactly once" is `missing`, `duplicated` and `unexpected` all empty.
 */
export function deliveryReport(
  expected: readonly string[],
  arrived: readonly string[],
): { missing: string[]; duplicated: string[]; unexpected: string[] } {
  const counts = new Map<string, number>();
  for (const name of arrived) counts.set(name.toLowerCase(), (counts.get(name.toLowerCase()) ?? 0) + 1);
  const wanted = new Set(expected.map((n) => n.toLowerCase()));
  return {
    missing: [...wanted].filter((n) => !counts.has(n)),
    duplicated: [...counts].filter(([n, c]) => wanted.has(n) && c > 1).map(([n, c]) => `${n} ×${c}`),
    unexpected: [...counts.keys()].filter((n) => !wanted.has(n)),
  };
}

export const EXACTLY_ONCE = { missing: [], duplicated: [], unexpected: [] };

/**
 * Waits (bounded) until a memory connector's journal holds as many creates as there are `expected` names, and a
 * moment more for a duplicate to show up; then reports how the names arrived (compare with EXACTLY_ONCE).
 */
export async function journalDeliveryReport(path: string, expected: readonly string[], timeoutMs = 20000) {
  await waitFor(`${expected.length} creates in ${path}`, () => journal(path, 'createUser').length >= expected.length, timeoutMs);
  await new Promise((resolve) => setTimeout(resolve, 300)); // a duplicate would show up now
  return deliveryReport(
    expected,
    journal(path, 'createUser').map((l) => l.accountName ?? ''),
  );
}
