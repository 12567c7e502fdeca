import type { GuardReport as AdminGuardReport, Job, Link, Quarantine } from '@provisio/admin-contract';
import {
  DEFAULT_GUARD_WINDOW_MS,
  type GuardReport,
  type JobRecord,
  type LinkRecord,
  type ProvisioningTarget,
  type QuarantineRecord,
} from '@provisio/core/engine';

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

/** The guard of a target as the admin API shows it: its limit from the manifest, its state and held jobs from the store. */
export function guardView(target: ProvisioningTarget, report: GuardReport): AdminGuardReport {
  return {
    connector: target.id,
    enabled: target.guard !== undefined,
    threshold: {
      maxCount: target.guard?.maxCount ?? null,
      maxPercent: target.guard?.maxPercent ?? null,
      windowMs: target.guard?.windowMs ?? DEFAULT_GUARD_WINDOW_MS,
    },
    tripped: report.tripped,
    trippedAt: report.trippedAt ?? null,
    countingSince: report.countingSince ?? null,
    held: report.held,
    sample: report.sample.map((job) => ({
      jobId: job.id,
      entityType: job.entityType,
      localId: job.localId,
      userName: heldName(job),
      action: job.action,
      reason: job.reason,
      createdAt: job.createdAt,
    })),
  };
}

function heldName(job: JobRecord): string | null {
  const known = job.lastKnown as { userName?: unknown; displayName?: unknown } | undefined;
  const name = known?.userName ?? known?.displayName;
  return typeof name === 'string' ? name : null;
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
