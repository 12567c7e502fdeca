/** A manifest duration: a whole number and a unit (ms, s, m, h, d), e.g. `7d`, `12h`, `90s`. */
export const DURATION_PATTERN = /^\s*(\d+)\s*(ms|s|m|h|d)\s*$/;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a duration the manifest schema accepted. */
export function durationMs(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
