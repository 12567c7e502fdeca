// A job as the admin API's OpenAPI document describes it, for the tests of the response checks.
const AT = '2026-12-02T10:00:00.000Z';

/** A running job with every field the document requires. */
export const documentedJob = {
  id: 'j1',
  connector: 'scim-app',
  entityType: 'user',
  localId: 'u1',
  action: 'sync',
  reason: 'created',
  status: 'running',
  attempts: 1,
  maxAttempts: 5,
  takeovers: 0,
  outcomeUnknown: false,
  runAt: AT,
  createdAt: AT,
  updatedAt: AT,
  lastError: null,
  lastErrorKind: null,
  claimedBy: 'worker-1',
  leaseUntil: AT,
  history: [{ attempt: 1, startedAt: AT }],
};
