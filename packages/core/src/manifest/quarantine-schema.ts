import { z } from 'zod';
import { durationSchema } from './duration-schema.js';

export const QUARANTINE_DEFAULTS = {
  failureRate: 0.9,
  minCalls: 20,
  windowMs: 10 * 60_000,
  probe: { firstMs: 60_000, maxMs: 60 * 60_000 },
} as const;

const probeSchema = z
  .strictObject({
    first: durationSchema(1000)
      .optional()
      .describe('Delay of the first probe after entering quarantine (default 1m); doubles per failed probe.'),
    max: durationSchema(1000).optional().describe('Longest delay between probes (default 1h).'),
  })
  .refine((p) => p.first === undefined || p.max === undefined || p.first <= p.max, {
    message: 'probe.first must not be longer than probe.max',
  });

/**
 * When most calls to an instance fail for a reason no retry of one job fixes
 * (authentication refused, permission denied, target unreachable), its jobs wait
 * and a probe checks the target at a growing interval. `false` turns it off.
 */
export const quarantineSchema = z
  .union([
    z.literal(false),
    z.strictObject({
      failureRate: z
        .number()
        .gt(0)
        .max(1)
        .optional()
        .describe('Share of calls in the window that must fail this way, 0 < rate ≤ 1 (default 0.9).'),
      minCalls: z.number().int().min(1).optional().describe('Calls in the window before the rate counts (default 20).'),
      window: durationSchema(1000).optional().describe('How far back calls count (default 10m).'),
      probe: probeSchema.optional(),
    }),
  ])
  .transform((value) =>
    value === false
      ? false
      : {
          failureRate: value.failureRate ?? QUARANTINE_DEFAULTS.failureRate,
          minCalls: value.minCalls ?? QUARANTINE_DEFAULTS.minCalls,
          windowMs: value.window ?? QUARANTINE_DEFAULTS.windowMs,
          probe: {
            firstMs: value.probe?.first ?? QUARANTINE_DEFAULTS.probe.firstMs,
            maxMs: value.probe?.max ?? Math.max(QUARANTINE_DEFAULTS.probe.maxMs, value.probe?.first ?? 0),
          },
        },
  );

export type QuarantineSettings = Exclude<z.output<typeof quarantineSchema>, false>;
