import type { Job, Link, Quarantine } from '@provisio/admin-contract';
import type { JobRecord, LinkRecord, QuarantineRecord } from '@provisio/core';

/**
 * The admin API's JSON shapes (typed by @provisio/admin-contract): stable names,
 * ISO dates. A running job shows its lease, so a stuck one is visible; other
 * jobs show none (a finished job's old lease means nothing).
 */
export function jobView(job: JobRecord): Job {
  const leased = job.status === 'running';
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
    takeovers: job.takeovers ?? 0,
    outcomeUnknown: job.outcomeUnknown === true,
    runAt: new Date(job.runAt).toISOString(),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    lastError: job.lastError ?? null,
    lastErrorKind: job.lastErrorKind ?? null,
    claimedBy: leased ? (job.claimedBy ?? null) : null,
    leaseUntil: leased && job.leaseUntil !== undefined ? new Date(job.leaseUntil).toISOString() : null,
    history: job.history,
  };
}

export function linkView(link: LinkRecord): Link {
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

/** A quarantine state as the overview shows it (ISO times). */
export function quarantineView(record: QuarantineRecord): Quarantine {
  return {
    since: new Date(record.since).toISOString(),
    reason: record.reason,
    nextProbeAt: new Date(record.nextProbeAt).toISOString(),
    probeCount: record.probeCount,
    ...(record.lastProbeError === undefined ? {} : { lastProbeError: record.lastProbeError }),
  };
}
