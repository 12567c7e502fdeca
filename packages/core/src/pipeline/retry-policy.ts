import type { RetryPolicyConfig } from '../manifest/manifest-schema.js';

/**
 * Exponential backoff with full jitter (AWS architecture blog), floored by the
 * remote's Retry-After: after attempt n, wait random(0, min(max, base·2^(n-1))),
 * but never less than what the remote asked for.
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicyConfig,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}
