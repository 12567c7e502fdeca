/** "12 s ago", "3 min ago", "2 h ago", else the date; "never" for null. */
export function timeAgo(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const seconds = Math.round((now - at) / 1000);
  if (seconds < 0) return `in ${formatDuration(-seconds)}`;
  if (seconds < 5) return 'just now';
  return `${formatDuration(seconds)} ago`;
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

/** The smallest "nice" axis maximum (1, 2, 5 × 10^n) at or above `value`; at least 1. */
export function niceMax(value: number): number {
  if (!(value > 1)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

export interface ChartBar {
  x: number;
  width: number;
  /** Heights of the stacked parts, bottom first, in chart units. */
  succeeded: number;
  failed: number;
}

/** Stacked bars (succeeded below, failed + retried above) for minute buckets, scaled to `height`. */
export function chartBars(
  buckets: readonly { succeeded: number; failed: number; retried: number }[],
  width: number,
  height: number,
): { bars: ChartBar[]; max: number } {
  const max = niceMax(Math.max(0, ...buckets.map((b) => b.succeeded + b.failed + b.retried)));
  const slot = buckets.length > 0 ? width / buckets.length : width;
  const bars = buckets.map((b, i) => ({
    x: i * slot,
    width: Math.max(1, slot - 1),
    succeeded: (b.succeeded / max) * height,
    failed: ((b.failed + b.retried) / max) * height,
  }));
  return { bars, max };
}

/** Sums a series, for the chart's text summary. */
export function totals(buckets: readonly { succeeded: number; failed: number; retried: number }[]): {
  succeeded: number;
  failed: number;
  retried: number;
} {
  return buckets.reduce((t, b) => ({ succeeded: t.succeeded + b.succeeded, failed: t.failed + b.failed, retried: t.retried + b.retried }), {
    succeeded: 0,
    failed: 0,
    retried: 0,
  });
}

/** "1 user", "3 users": a count with its noun, plural unless exactly one. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Pretty JSON for display. */
export function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'null';
}

/** A mapping rule in one line: `path`, `path (default: x) | transform`. */
export function describeRule(rule: unknown): string {
  if (typeof rule === 'string') return rule;
  if (!rule || typeof rule !== 'object') return String(rule);
  const r = rule as { from?: string; default?: unknown; transform?: string };
  const parts = [r.from ?? '(constant)'];
  if (r.default !== undefined) parts.push(`default ${JSON.stringify(r.default)}`);
  if (r.transform) parts.push(`| ${r.transform}`);
  return parts.join(' ');
}
