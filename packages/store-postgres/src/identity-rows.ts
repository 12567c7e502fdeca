import { emailIndexEntries, SCIM_DATE_TIME, sortValue, type AuditRecord, type EntityType, type GroupMemberRef, type GroupRecord, type LinkRecord, type UserRecord } from '@provisio/core';

/**
 * Row shapes of the identity tables, their conversion to core's records, and the
 * derived columns (lower-cased, epoch ms, email index rows) computed at write time.
 * `pg` parses json/jsonb itself; bigint columns arrive as strings.
 */

export interface UserRow {
  id: string;
  user_name: string;
  external_id: string | null;
  active: boolean;
  resource: UserRecord['resource'];
  version: number;
  created_at: string;
  updated_at: string;
  password_hash: string | null;
}

/** `members`: [member_id, display, type] in list order, aggregated by the SELECT. */
export interface GroupRow {
  id: string;
  display_name: string;
  external_id: string | null;
  resource: GroupRecord['resource'];
  version: number;
  created_at: string;
  updated_at: string;
  members: [string, string | null, string | null][];
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
  synced_attributes: LinkRecord['syncedAttributes'] | null;
  synced_members: string[] | null;
  remote_active: boolean | null;
}

export interface AuditRow {
  seq: string;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  details: Record<string, unknown> | null;
}

/** Column lists of the SELECTs, over the alias `t`. */
export const USER_COLUMNS = 't.id, t.user_name, t.external_id, t.active, t.resource, t.version, t.created_at, t.updated_at, t.password_hash';
export const GROUP_COLUMNS = `t.id, t.display_name, t.external_id, t.resource, t.version, t.created_at, t.updated_at,
  coalesce((SELECT json_agg(json_build_array(m.member_id, m.display, m.type) ORDER BY m.position) FROM group_members m WHERE m.group_id = t.id), '[]'::json) AS members`;
export const LINK_COLUMNS =
  'instance_id, entity_type, local_id, remote_id, remote_name, status, last_error, last_synced_at, synced_attributes, synced_members, remote_active';

const opt = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

export function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    userName: row.user_name,
    externalId: opt(row.external_id),
    active: row.active,
    resource: row.resource,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    passwordHash: opt(row.password_hash),
  };
}

export function toGroup(row: GroupRow): GroupRecord {
  return {
    id: row.id,
    displayName: row.display_name,
    externalId: opt(row.external_id),
    resource: row.resource,
    members: row.members.map(([value, display, type]): GroupMemberRef => ({ value, ...(display === null ? {} : { display }), ...(type === null ? {} : { type: type as GroupMemberRef['type'] }) })),
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
    syncedAttributes: opt(row.synced_attributes),
    syncedMembers: opt(row.synced_members),
    remoteActive: opt(row.remote_active),
  };
}

export function toAudit(row: AuditRow): AuditRecord {
  return {
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    action: row.action,
    entityType: row.entity_type as AuditRecord['entityType'],
    entityId: row.entity_id,
    details: opt(row.details),
  };
}

/** Epoch ms of a SCIM dateTime, as core's filter reads it; null for anything else. */
export function dateMs(value: string): number | null {
  if (!SCIM_DATE_TIME.test(value)) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

/** The user_emails rows of a resource: one per email, a SCIM 1.1 plain string counting as its value. */
export interface EmailRows {
  value: (string | null)[];
  type: (string | null)[];
  primary: (boolean | null)[];
  /** `emails pr` per value: not null, not "", not an object of nothing but those. */
  present: boolean[];
}

export function emailRows(resource: unknown): EmailRows {
  const entries = emailIndexEntries(resource);
  return { value: entries.map((e) => e.value), type: entries.map((e) => e.type), primary: entries.map((e) => e.primary), present: entries.map((e) => e.present) };
}

/** What `emails` sorts by (core's sortValue: the primary value, else the first), when it is a string. */
export function emailSortKey(resource: object): string | null {
  const key = sortValue(resource, { attribute: 'emails' });
  return typeof key === 'string' ? key : null;
}

