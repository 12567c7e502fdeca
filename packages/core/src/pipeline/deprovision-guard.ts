import { durationMs } from '../manifest/duration.js';
import type { ConnectorInstanceConfig } from '../manifest/manifest-schema.js';
import type { ScimUser } from '../model/identity.js';
import type { JobGuard } from '../store/records.js';

/** The default when an instance says nothing: the smaller of 500 and 10 % of its linked accounts, per hour. */
const DEFAULT_GUARD_COUNT = 500;
const DEFAULT_GUARD_PERCENT = 10;
export const DEFAULT_GUARD_WINDOW_MS = 60 * 60 * 1000;

/**
 * The guard limit of an instance, or undefined when its guard is off (`deprovisionGuard: false`).
 * A number is a count; "10%" a share of the instance's linked accounts; no threshold: the default.
 */
export function guardLimitOf(settings: Pick<ConnectorInstanceConfig, 'deprovisionGuard'>): Omit<JobGuard, 'counts'> | undefined {
  if (settings.deprovisionGuard === false) return undefined;
  const guard = typeof settings.deprovisionGuard === 'object' ? settings.deprovisionGuard : undefined;
  const ms = guard?.window === undefined ? DEFAULT_GUARD_WINDOW_MS : durationMs(guard.window);
  const threshold = guard?.threshold;
  if (threshold === undefined) return { maxCount: DEFAULT_GUARD_COUNT, maxPercent: DEFAULT_GUARD_PERCENT, windowMs: ms };
  if (typeof threshold === 'number') return { maxCount: threshold, windowMs: ms };
  return { maxPercent: Number(threshold.replace('%', '')), windowMs: ms };
}

/** A share of the linked accounts never admits fewer than this: a small instance (or a new one) is not frozen by its first removals. */
const MIN_SHARE_ALLOWANCE = 10;

/**
 * How many deprovisioning jobs the window admits: the smaller of the count and the share of
 * `linked` accounts (the share at least MIN_SHARE_ALLOWANCE).
 */
export function guardAllowance(guard: Omit<JobGuard, 'counts'>, linked: number): number {
  const byCount = guard.maxCount ?? Number.POSITIVE_INFINITY;
  const byShare =
    guard.maxPercent === undefined
      ? Number.POSITIVE_INFINITY
      : Math.max(MIN_SHARE_ALLOWANCE, Math.floor((linked * guard.maxPercent) / 100));
  return Math.min(byCount, byShare);
}

/** A sync that turns an active user inactive deprovisions (the connector deactivates the account): the guard counts it. */
export function deactivates(before: ScimUser | undefined, after: ScimUser | undefined): boolean {
  return before !== undefined && before.active !== false && after !== undefined && after.active === false;
}

/**
 * Which of `jobs` (one write, in order) the guard holds, given the instance's state: all guarded ones
 * once it is tripped; otherwise those past the allowance (and from the first of those on, every guarded
 * one: the guard trips). Jobs that only carry a deprovisioned state (`counts: false`) are held when
 * tripped but never counted.
 */
export function decideHeld(
  jobs: readonly { guard?: JobGuard }[],
  state: { tripped: boolean; counted: number; allowance: number },
): { held: boolean[]; trips: boolean } {
  let counted = state.counted;
  let tripped = state.tripped;
  let trips = false;
  const held = jobs.map((job) => {
    if (!job.guard) return false;
    if (tripped) return true;
    if (!job.guard.counts) return false;
    if (counted + 1 > state.allowance) {
      tripped = true;
      trips = true;
      return true;
    }
    counted += 1;
    return false;
  });
  return { held, trips };
}

/** The guarded jobs of one write by instance: the guard they carry (one per instance) and their positions, in order. */
export function guardedByInstance(
  jobs: readonly { instanceId: string; guard?: JobGuard }[],
): Map<string, { guard: JobGuard; indexes: number[] }> {
  const groups = new Map<string, { guard: JobGuard; indexes: number[] }>();
  jobs.forEach((job, index) => {
    if (!job.guard) return;
    const group = groups.get(job.instanceId);
    if (group) group.indexes.push(index);
    else groups.set(job.instanceId, { guard: job.guard, indexes: [index] });
  });
  return groups;
}
