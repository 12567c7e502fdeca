import { decideHeld, guardAllowance, type DeprovisionGuardState, type JobGuard, type NewJob } from '@provisio/core/engine';

/**
 * The accidental-deletion guard as both SQL stores keep it: one row per instance in
 * `deprovision_guards`; the store reads the row and the counts, these decide.
 */
export interface GuardRow {
  tripped_at: string | null;
  counting_since: string | null;
}

/** What a guard that has not tripped counts with: its guarded jobs so far, and the linked users its share is of. */
export interface GuardCounts {
  counted: number;
  linked: number;
}

export const isTripped = (row: GuardRow | undefined): boolean => row?.tripped_at != null;

/** Where the count of guarded jobs starts: the window's start, or the guard's last reset when that is later. */
export function countingFrom(row: GuardRow | undefined, guard: JobGuard, now: number): string {
  const windowStart = new Date(now - guard.windowMs).toISOString();
  return row?.counting_since && row.counting_since > windowStart ? row.counting_since : windowStart;
}

/**
 * The guard's decision on one instance's jobs of a write (`indexes` into `jobs`): marks the
 * held ones in `held` and says whether the guard trips now. No `counts`: it is tripped already.
 */
export function holdGuarded(
  jobs: readonly NewJob[],
  { guard, indexes }: { guard: JobGuard; indexes: readonly number[] },
  counts: GuardCounts | undefined,
  held: boolean[],
): boolean {
  const state = counts
    ? { tripped: false, counted: counts.counted, allowance: guardAllowance(guard, counts.linked) }
    : { tripped: true, counted: 0, allowance: Number.POSITIVE_INFINITY };
  const decision = decideHeld(
    indexes.map((i) => jobs[i]),
    state,
  );
  decision.held.forEach((isHeld, k) => (held[indexes[k]] = isHeld));
  return decision.trips;
}

export function guardStateOf(instanceId: string, row: GuardRow | undefined): DeprovisionGuardState {
  return {
    instanceId,
    tripped: isTripped(row),
    ...(row?.tripped_at ? { trippedAt: row.tripped_at } : {}),
    ...(row?.counting_since ? { countingSince: row.counting_since } : {}),
  };
}
