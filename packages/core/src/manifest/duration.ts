import { z } from 'zod';

/** A manifest duration: a number and a unit (ms, s, m, h, d), e.g. `7d`, `12h`, `90s`, `1.5h`, `250ms`. */
export const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Milliseconds of a duration ("90s", "15m", "12h", "30d", "250ms"), or of a number of seconds;
 * undefined when it is not one. The one parser every manifest duration goes through.
 */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  const match = DURATION_PATTERN.exec(value);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

/** Milliseconds of a duration the manifest schema accepted. */
export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`not a duration: ${text}`);
  return ms;
}

/**
 * A retention period: a positive duration ("30d", "12h", "15m", "90s"), or `false` to
 * keep for ever. 0 is refused: "delete at once" is never what a retention setting means.
 * Output: milliseconds, or false.
 */
export const retentionPeriodSchema = z.union([z.literal(false), z.string(), z.number()]).transform((value, context) => {
  if (value === false) return false as const;
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined) {
    context.addIssue({
      code: 'custom',
      message: `must be a duration like "30d", "12h", "15m" or "90s", or false to keep for ever (got ${JSON.stringify(value)})`,
    });
    return z.NEVER;
  }
  if (ms === 0) {
    context.addIssue({ code: 'custom', message: 'must be longer than 0 (use false to keep for ever)' });
    return z.NEVER;
  }
  return ms;
});
