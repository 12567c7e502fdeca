import type { JobRecord, LinkRecord } from '@provisio/core';

/** The admin API's JSON shapes: stable names, no internals (no lease owners), ISO dates. */
export function jobView(job: JobRecord) {
  return {
    id: job.id,
    connector: job.instanceId,
    entityType: job.entityType,
    localId: job.localId,
    action: job.action,
    reason: job.reason,
    status: job.status,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    runAt: new Date(job.runAt).toISOString(),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    lastError: job.lastError ?? null,
    lastErrorKind: job.lastErrorKind ?? null,
    history: job.history,
  };
}

export function linkView(link: LinkRecord) {
  return {
    connector: link.instanceId,
    entityType: link.entityType,
    localId: link.localId,
    remoteId: link.remoteId ?? null,
    remoteName: link.remoteName ?? null,
    status: link.status,
    remoteActive: link.remoteActive ?? null,
    lastError: link.lastError ?? null,
    lastSyncedAt: link.lastSyncedAt ?? null,
  };
}
