import { emailIndexEntries, SCIM_DATE_TIME, sortValue, type GroupRecord } from '@provisio/core/engine';
import { identityRowMappers, POSTGRES_COLUMNS, type GroupRow as SharedGroupRow } from '@provisio/store-sql';

/**
 * Row shapes of the identity tables, their conversion to core's records (shared
 * with SQLite in @provisio/store-sql), and the derived columns (lower-cased,
 * epoch ms, email index rows) computed at write time. `pg` parses json/jsonb
 * itself; bigint columns arrive as strings.
 */

export type { AuditRow, LinkRow, MemberRow, UserRow } from '@provisio/store-sql';

/** `members`: [member_id, display, type] in list order, aggregated by the SELECT. */
export interface GroupRow extends SharedGroupRow {
  members: [string, string | null, string | null][];
}

/** Column lists of the SELECTs, over the alias `t`. */
export const USER_COLUMNS =
  't.id, t.user_name, t.external_id, t.active, t.resource, t.version, t.created_at, t.updated_at, t.password_hash';
export const GROUP_SUMMARY_COLUMNS = 't.id, t.display_name, t.external_id, t.resource, t.version, t.created_at, t.updated_at';
export const GROUP_COLUMNS = `${GROUP_SUMMARY_COLUMNS},
  coalesce((SELECT json_agg(json_build_array(m.member_id, m.display, m.type) ORDER BY m.position) FROM group_members m WHERE m.group_id = t.id), '[]'::json) AS members`;
export const LINK_COLUMNS =
  'instance_id, entity_type, local_id, remote_id, remote_name, status, last_error, last_synced_at, synced_attributes, synced_members, remote_active';

const mappers = identityRowMappers(POSTGRES_COLUMNS);

export const { toUser, toLink, toAudit, toGroupSummary, toGroupMember } = mappers;

export function toGroup(row: GroupRow): GroupRecord {
  return mappers.toGroup(
    row,
    row.members.map(([member_id, display, type]) => ({ member_id, display, type })),
  );
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
  return {
    value: entries.map((e) => e.value),
    type: entries.map((e) => e.type),
    primary: entries.map((e) => e.primary),
    present: entries.map((e) => e.present),
  };
}

/** What `emails` sorts by (core's sortValue: the primary value, else the first), when it is a string. */
export function emailSortKey(resource: object): string | null {
  const key = sortValue(resource, { attribute: 'emails' });
  return typeof key === 'string' ? key : null;
}
