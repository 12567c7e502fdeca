import type { EntityType } from '@provisio/core';
import type { AuditRecord, GroupMemberRef, GroupRecord, GroupSummary, LinkRecord, UserRecord } from '@provisio/core/engine';

/**
 * Identity, link and audit rows to core's records, for both SQL stores: the
 * tables have the same columns; only how the driver hands back JSON and boolean
 * columns differs (SQLite: text and 0/1; pg: parsed values and booleans).
 */
export interface ColumnDecoder {
  json(value: unknown): unknown;
  bool(value: unknown): boolean;
}

export const SQLITE_COLUMNS: ColumnDecoder = { json: (value) => JSON.parse(value as string), bool: (value) => value === 1 };
export const POSTGRES_COLUMNS: ColumnDecoder = { json: (value) => value, bool: (value) => value === true };

export interface UserRow {
  id: string;
  user_name: string;
  external_id: string | null;
  active: unknown;
  resource: unknown;
  version: number;
  created_at: string;
  updated_at: string;
  password_hash: string | null;
}

export interface GroupRow {
  id: string;
  display_name: string;
  external_id: string | null;
  resource: unknown;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One member of a group, in list order. */
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
  synced_attributes: unknown;
  synced_members: unknown;
  remote_active: unknown;
}

export interface AuditRow {
  /** A number from SQLite, a bigint's string from pg. */
  seq: number | string;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  details: unknown;
}

export interface IdentityRowMappers {
  toUser(row: UserRow): UserRecord;
  toGroup(row: GroupRow, members: readonly MemberRow[]): GroupRecord;
  toGroupSummary(row: GroupRow): GroupSummary;
  toGroupMember(row: MemberRow): GroupMemberRef;
  toLink(row: LinkRow): LinkRecord;
  toAudit(row: AuditRow): AuditRecord;
}

const opt = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

const toGroupMember = (m: MemberRow): GroupMemberRef => ({
  value: m.member_id,
  ...(m.display === null ? {} : { display: m.display }),
  ...(m.type === null ? {} : { type: m.type as GroupMemberRef['type'] }),
});

export function identityRowMappers(decode: ColumnDecoder): IdentityRowMappers {
  const groupSummary = (row: GroupRow): GroupSummary => ({
    id: row.id,
    displayName: row.display_name,
    externalId: opt(row.external_id),
    resource: decode.json(row.resource) as GroupRecord['resource'],
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
  const optJson = <T>(value: unknown): T | undefined => (value === null ? undefined : (decode.json(value) as T));
  return {
    toUser: (row) => ({
      id: row.id,
      userName: row.user_name,
      externalId: opt(row.external_id),
      active: decode.bool(row.active),
      resource: decode.json(row.resource) as UserRecord['resource'],
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      passwordHash: opt(row.password_hash),
    }),
    toGroup: (row, members) => ({ ...groupSummary(row), members: members.map(toGroupMember) }),
    toGroupSummary: (row) => groupSummary(row),
    toGroupMember,
    toLink: (row) => ({
      instanceId: row.instance_id,
      entityType: row.entity_type as EntityType,
      localId: row.local_id,
      remoteId: opt(row.remote_id),
      remoteName: opt(row.remote_name),
      status: row.status as LinkRecord['status'],
      lastError: opt(row.last_error),
      lastSyncedAt: opt(row.last_synced_at),
      syncedAttributes: optJson(row.synced_attributes),
      syncedMembers: optJson(row.synced_members),
      remoteActive: row.remote_active === null ? undefined : decode.bool(row.remote_active),
    }),
    toAudit: (row) => ({
      seq: Number(row.seq),
      at: row.at,
      actor: row.actor,
      action: row.action,
      entityType: row.entity_type as AuditRecord['entityType'],
      entityId: row.entity_id,
      details: optJson(row.details),
    }),
  };
}
