/**
 * `Retry-After` as RFC 9110 §10.2.3 allows it: delay-seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`), in ms from `now`. Undefined when absent or unreadable;
 * a date in the past is 0 (retry now).
 */
export function parseRetryAfter(header: string | readonly string[] | null | undefined, now: number): number | undefined {
  const value = (typeof header === 'string' ? header : header?.[0])?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // All three HTTP date forms begin with the day's name; Date.parse alone would read "-3" as a year.
  if (!/^[A-Za-z]{3}/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
