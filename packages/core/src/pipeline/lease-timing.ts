/**
 * The margins around a job's lease (`worker.leaseSeconds`). A worker stops calling the
 * target a margin before the lease it knows of ends: its calls are aborted then. Another
 * worker takes the job over only a grace period (another margin) after the lease ended:
 * the old worker's calls were cut off a margin before the end, and the grace allows for
 * the two processes' clocks differing and for a request already on its way to land.
 */
export function leaseMarginMs(leaseMs: number): number {
  return Math.min(2000, leaseMs / 10);
}

/**
 * How long after a lease ended (or after a call was cut off at its deadline) before the job is
 * taken up again: half the lease, at most 30 s, never less than the margin. A request the old
 * worker had already written may still be on its way or queued in a busy target; the look the
 * next attempt starts with must come after it. A margin alone (1 s at a 10 s lease) proved too
 * short on a saturated machine: a second create request reached the target once in a CI run.
 */
export function takeoverGraceMs(leaseMs: number): number {
  return Math.max(leaseMarginMs(leaseMs), Math.min(30_000, leaseMs / 2));
}
