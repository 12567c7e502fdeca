import type { HttpStatusClassifier } from '@provisio/core';

/**
 * Where Rest Directory's statuses mean something else than core's usual reading (408, 429 and 5xx
 * retried, honouring Retry-After; 409 a conflict, so the existing account is linked; other 4xx
 * failed at once). Undefined keeps core's reading. Network failures are always retried.
 */
export const restDirectoryStatusKind: HttpStatusClassifier = (response) => {
  // 423 Locked: another change of the same record is in progress; it is free again soon.
  if (response.status === 423) return 'transient';
  return undefined;
};
