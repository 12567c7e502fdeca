import { identityRowMappers, SQLITE_COLUMNS } from '@provisio/store-sql';
import type { EntityType } from '@provisio/core';
import type { JobRecord, LinkRecord } from '@provisio/core/engine';

/** Row shapes of the SQLite tables and their conversion to core's records (identity rows: shared with PostgreSQL). */
export type { AuditRow, GroupRow, LinkRow, MemberRow, UserRow } from '@provisio/store-sql';

export const { toUser, toGroup, toGroupSummary, toGroupMember, toLink, toAudit } = identityRowMappers(SQLITE_COLUMNS);

export interface JobRow {
  id: number;
  instance_id: string;
  entity_type: string;
  local_id: string;
  action: string;
  reason: string;
  status: string;
  attempts: number;
  max_attempts: number;
  run_at: number;
  created_at: string;
  updated_at: string;
  last_error: string | null;
  last_error_kind: string | null;
  claimed_by: string | null;
  lease_until: number | null;
  history: string;
  takeovers: number;
  outcome_unknown: number;
  claim_token: string | null;
  last_known: string | null;
  request_id: string | null;
}

const opt = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

export function linkParams(link: LinkRecord) {
  return {
    instance_id: link.instanceId,
    entity_type: link.entityType,
    local_id: link.localId,
    remote_id: link.remoteId ?? null,
    remote_name: link.remoteName ?? null,
    status: link.status,
    last_error: link.lastError ?? null,
    last_synced_at: link.lastSyncedAt ?? null,
    synced_attributes: link.syncedAttributes === undefined ? null : JSON.stringify(link.syncedAttributes),
    synced_members: link.syncedMembers === undefined ? null : JSON.stringify(link.syncedMembers),
    remote_active: link.remoteActive === undefined ? null : link.remoteActive ? 1 : 0,
  };
}

export function toJob(row: JobRow): JobRecord {
  return {
    id: String(row.id),
    instanceId: row.instance_id,
    entityType: row.entity_type as EntityType,
    localId: row.local_id,
    action: row.action as JobRecord['action'],
    reason: row.reason,
    status: row.status as JobRecord['status'],
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastError: opt(row.last_error),
    lastErrorKind: opt(row.last_error_kind) as JobRecord['lastErrorKind'],
    claimedBy: opt(row.claimed_by),
    leaseUntil: opt(row.lease_until),
    history: JSON.parse(row.history),
    takeovers: row.takeovers,
    ...(row.outcome_unknown ? { outcomeUnknown: true } : {}),
    ...(row.last_known === null ? {} : { lastKnown: JSON.parse(row.last_known) }),
    ...(row.request_id === null ? {} : { requestId: row.request_id }),
  };
}
