import { z } from 'zod';
import { parseDuration } from './duration.js';

/** A duration in the manifest, as milliseconds once parsed; at least `minMs`. */
export function durationSchema(minMs = 1) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration; write e.g. 30s, 10m, 1h (or a number of seconds)` });
      return z.NEVER;
    }
    if (ms < minMs) {
      ctx.addIssue({ code: 'custom', message: `must be at least ${minMs >= 1000 ? `${minMs / 1000}s` : `${minMs}ms`}` });
      return z.NEVER;
    }
    return ms;
  });
}
