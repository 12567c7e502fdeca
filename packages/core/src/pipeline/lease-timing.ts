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

/** How long after a lease ended before the job is taken over (see leaseMarginMs). */
export function takeoverGraceMs(leaseMs: number): number {
  return leaseMarginMs(leaseMs);
}
