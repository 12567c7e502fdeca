import type { AuditRecord, EntityType, GroupMemberRef, GroupRecord, JobRecord, LinkRecord, UserRecord } from '@provisio/core';

/** Row shapes of the SQLite tables and their conversion to core's records. */
export interface UserRow {
  id: string;
  user_name: string;
  external_id: string | null;
  active: number;
  resource: string;
  version: number;
  created_at: string;
  updated_at: string;
  password_hash: string | null;
}

export interface GroupRow {
  id: string;
  display_name: string;
  external_id: string | null;
  resource: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface MemberRow {
  member_id: string;
  display: string | null;
  type: string | null;
}

export interface LinkRow {
  instance_id: string;
  entity_type: string;
  local_id: string;
  remote_id: string | null;
  remote_name: string | null;
  status: string;
  last_error: string | null;
  last_synced_at: string | null;
  synced_attributes: string | null;
  synced_members: string | null;
  remote_active: number | null;
}

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
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  details: string | null;
}

const opt = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

export function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    userName: row.user_name,
    externalId: opt(row.external_id),
    active: row.active === 1,
    resource: JSON.parse(row.resource),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    passwordHash: opt(row.password_hash),
  };
}

export function toGroup(row: GroupRow, members: MemberRow[]): GroupRecord {
  return {
    id: row.id,
    displayName: row.display_name,
    externalId: opt(row.external_id),
    resource: JSON.parse(row.resource),
    members: members.map((m): GroupMemberRef => ({ value: m.member_id, ...(m.display === null ? {} : { display: m.display }), ...(m.type === null ? {} : { type: m.type as GroupMemberRef['type'] }) })),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toLink(row: LinkRow): LinkRecord {
  return {
    instanceId: row.instance_id,
    entityType: row.entity_type as EntityType,
    localId: row.local_id,
    remoteId: opt(row.remote_id),
    remoteName: opt(row.remote_name),
    status: row.status as LinkRecord['status'],
    lastError: opt(row.last_error),
    lastSyncedAt: opt(row.last_synced_at),
    syncedAttributes: row.synced_attributes === null ? undefined : JSON.parse(row.synced_attributes),
    syncedMembers: row.synced_members === null ? undefined : JSON.parse(row.synced_members),
    remoteActive: row.remote_active === null ? undefined : row.remote_active === 1,
  };
}

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
  };
}

export function toAudit(row: AuditRow): AuditRecord {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    entityType: row.entity_type as AuditRecord['entityType'],
    entityId: row.entity_id,
    details: row.details === null ? undefined : JSON.parse(row.details),
  };
}
