import { type EntityType } from '@provisio/core';
import {
  getAttribute,
  IdentityError,
  lowerText,
  StoreConflictError,
  type GroupMembersChange,
  type GroupRecord,
  type IdentityWrite,
  type LinkRecord,
  type UserRecord,
} from '@provisio/core/engine';
import { dateMs, emailRows, emailSortKey } from './identity-rows.js';
import { runUnread, type Queryable } from './queryable.js';

/**
 * Applies everything of an IdentityWrite except its jobs (the caller enqueues
 * those in the same transaction). The caller runs this between BEGIN and COMMIT
 * on one client and rolls back when it throws: after a failed statement
 * PostgreSQL accepts nothing more in that transaction, so a conflict is detected
 * by its error and thrown at once.
 *
 * Concurrency: expected versions lock their rows (`FOR UPDATE`, in id order so
 * that two writers never wait on each other crosswise); an identity expected
 * not to exist is inserted with `ON CONFLICT (id) DO NOTHING`, so a concurrent
 * creator of the same id leaves it unwritten: a `version` conflict.
 *
 * Tenants: every row written is `tenant`'s, every row read, changed or deleted
 * is one of `tenant`'s. Identity ids are unique across tenants: a put of an id
 * another tenant holds is a `uniqueness` conflict, never a change of that row.
 */
export async function applyIdentityWrite(db: Queryable, tenant: string, write: IdentityWrite): Promise<void> {
  try {
    await checkVersions(db, tenant, 'user', notInserted(write.expectedUserVersions, write.putUsers));
    await checkVersions(db, tenant, 'group', notInserted(write.expectedGroupVersions, write.putGroups));
    if (write.deleteUsers?.length) {
      await db.query('DELETE FROM users WHERE tenant = $1 AND id = ANY($2::text[])', [tenant, write.deleteUsers]);
      await db.query('DELETE FROM pending_passwords WHERE tenant = $1 AND user_id = ANY($2::text[])', [tenant, write.deleteUsers]);
    }
    for (const user of write.putUsers ?? []) await putUser(db, tenant, user, write.expectedUserVersions?.[user.id] === 0);
    if (write.deleteGroups?.length)
      await db.query('DELETE FROM groups WHERE tenant = $1 AND id = ANY($2::text[])', [tenant, write.deleteGroups]);
    for (const group of write.putGroups ?? []) await putGroup(db, tenant, group, write.expectedGroupVersions?.[group.id] === 0);
    for (const change of write.changeGroupMembers ?? []) await changeMembers(db, tenant, change);
    if (write.dropPendingPasswords?.length)
      await db.query('DELETE FROM pending_passwords WHERE tenant = $1 AND user_id = ANY($2::text[])', [tenant, write.dropPendingPasswords]);
    if (write.pendingPasswords?.length) {
      // The last one of a user wins (one statement may not upsert the same row twice).
      const latest = [...new Map(write.pendingPasswords.map((p) => [p.userId, p])).values()];
      await runUnread(
        db,
        `INSERT INTO pending_passwords (tenant, user_id, sealed, awaiting, expires_at)
         SELECT $1, r.user_id, r.sealed, ARRAY(SELECT jsonb_array_elements_text(r.awaiting)), r.expires_at
         FROM jsonb_to_recordset($2::jsonb) AS r(user_id text, sealed text, awaiting jsonb, expires_at bigint)
         ON CONFLICT (tenant, user_id) DO UPDATE SET sealed = EXCLUDED.sealed, awaiting = EXCLUDED.awaiting, expires_at = EXCLUDED.expires_at`,
        [
          tenant,
          JSON.stringify(latest.map((p) => ({ user_id: p.userId, sealed: p.sealed, awaiting: p.awaiting, expires_at: p.expiresAt }))),
        ],
      );
    }
    for (const link of write.putLinks ?? []) await putLink(db, tenant, link);
    if (write.audit?.length) {
      const entries = write.audit;
      await runUnread(
        db,
        `INSERT INTO audit (tenant, at, actor, action, entity_type, entity_id, details)
         SELECT $7, a.at, a.actor, a.action, a.entity_type, a.entity_id, a.details::jsonb
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS a(at, actor, action, entity_type, entity_id, details, n)
         ORDER BY a.n`,
        [
          entries.map((e) => e.at),
          entries.map((e) => e.actor),
          entries.map((e) => e.action),
          entries.map((e) => e.entityType),
          entries.map((e) => e.entityId),
          entries.map((e) => (e.details === undefined ? null : JSON.stringify(e.details))),
          tenant,
        ],
      );
    }
  } catch (error) {
    throw storeError(error);
  }
}

/** Writes a link (insert or replace), e.g. with a job's outcome in the same transaction. */
export async function putLink(db: Queryable, tenant: string, link: LinkRecord): Promise<void> {
  try {
    await db.query(
      `INSERT INTO links (tenant, instance_id, entity_type, local_id, remote_id, remote_name, status, last_error, last_synced_at, synced_attributes, synced_members, remote_active)
       VALUES ($12, $1, $2, $3, $4, $5, $6, $7, $8, $9::json, $10::json, $11)
       ON CONFLICT (tenant, instance_id, entity_type, local_id) DO UPDATE SET remote_id = EXCLUDED.remote_id, remote_name = EXCLUDED.remote_name,
         status = EXCLUDED.status, last_error = EXCLUDED.last_error, last_synced_at = EXCLUDED.last_synced_at,
         synced_attributes = EXCLUDED.synced_attributes, synced_members = EXCLUDED.synced_members, remote_active = EXCLUDED.remote_active`,
      [
        link.instanceId,
        link.entityType,
        link.localId,
        link.remoteId ?? null,
        link.remoteName ?? null,
        link.status,
        link.lastError ?? null,
        link.lastSyncedAt ?? null,
        link.syncedAttributes === undefined ? null : JSON.stringify(link.syncedAttributes),
        link.syncedMembers === undefined ? null : JSON.stringify(link.syncedMembers),
        link.remoteActive ?? null,
        tenant,
      ],
    );
  } catch (error) {
    throw unstorableValue(error) ?? error;
  }
}

/**
 * The expected versions less those of identities expected not to exist that the write inserts: the insert
 * (ON CONFLICT (id) DO NOTHING) finds one that exists by itself (idConflict), without a statement before it.
 */
function notInserted(expected: Record<string, number> | undefined, puts: readonly { id: string }[] | undefined): Record<string, number> {
  const inserted = new Set(puts?.map((p) => p.id));
  return Object.fromEntries(Object.entries(expected ?? {}).filter(([id, version]) => version !== 0 || !inserted.has(id)));
}

async function checkVersions(
  db: Queryable,
  tenant: string,
  entityType: EntityType,
  expected: Record<string, number> | undefined,
): Promise<void> {
  const entries = Object.entries(expected ?? {});
  if (entries.length === 0) return;
  const table = entityType === 'user' ? 'users' : 'groups';
  const { rows } = await db.query<{ id: string; version: number }>(
    `SELECT id, version FROM ${table} WHERE tenant = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE`,
    [tenant, entries.map(([id]) => id)],
  );
  const current = new Map(rows.map((row) => [row.id, row.version]));
  for (const [id, version] of entries) {
    const actual = current.get(id) ?? 0;
    if (actual !== version)
      throw new StoreConflictError('version', `${entityType} ${id} is at version ${actual}, not ${version}`, entityType, id);
  }
}

async function putUser(db: Queryable, tenant: string, user: UserRecord, mustBeNew: boolean): Promise<void> {
  const values = [
    tenant,
    user.id,
    user.userName,
    user.userName.toLowerCase(),
    user.externalId ?? null,
    lowerText(getAttribute(user.resource, 'displayName')),
    emailSortKey(user.resource),
    user.active,
    JSON.stringify(user.resource),
    user.version,
    user.createdAt,
    user.updatedAt,
    dateMs(user.createdAt),
    dateMs(user.updatedAt),
    user.passwordHash ?? null,
  ];
  const insert = `INSERT INTO users (tenant, id, user_name, user_name_lower, external_id, display_name_lower, email_sort, active, resource, version, created_at, updated_at, created_ms, updated_ms, password_hash)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15) ON CONFLICT (id) DO NOTHING`;
  // An update keeps seq (the insertion order) and created_at.
  const update = `UPDATE users SET user_name = $3, user_name_lower = $4, external_id = $5, display_name_lower = $6, email_sort = $7, active = $8,
    resource = $9::jsonb, version = $10, updated_at = $12, updated_ms = $14, password_hash = $15 WHERE tenant = $1 AND id = $2`;
  try {
    if ((await writeIdentity(db, mustBeNew, insert, update, values)) === 0) throw await idConflict(db, tenant, 'user', user.id);
  } catch (error) {
    throw uniqueViolation(error, 'user', user.id, `userName "${user.userName}" is already taken`) ?? error;
  }
  const emails = emailRows(user.resource);
  // One statement, rows by position: unchanged emails are not rewritten, surplus ones go.
  await runUnread(
    db,
    `WITH surplus AS (DELETE FROM user_emails WHERE tenant = $7 AND user_id = $1 AND position >= $6)
     INSERT INTO user_emails (tenant, user_id, position, value_lower, type_lower, is_primary, present)
     SELECT $7, $1, e.n - 1, e.value, e.type, e.is_primary, e.present
     FROM unnest($2::text[], $3::text[], $4::boolean[], $5::boolean[]) WITH ORDINALITY AS e(value, type, is_primary, present, n)
     ON CONFLICT (user_id, position) DO UPDATE SET value_lower = EXCLUDED.value_lower, type_lower = EXCLUDED.type_lower, is_primary = EXCLUDED.is_primary, present = EXCLUDED.present
       WHERE (user_emails.value_lower, user_emails.type_lower, user_emails.is_primary, user_emails.present)
         IS DISTINCT FROM (EXCLUDED.value_lower, EXCLUDED.type_lower, EXCLUDED.is_primary, EXCLUDED.present)`,
    [user.id, emails.value, emails.type, emails.primary, emails.present, emails.value.length, tenant],
  );
}

async function putGroup(db: Queryable, tenant: string, group: GroupRecord, mustBeNew: boolean): Promise<void> {
  const values = [
    tenant,
    group.id,
    group.id.toLowerCase(),
    group.displayName,
    group.displayName.toLowerCase(),
    group.externalId ?? null,
    JSON.stringify(group.resource),
    group.version,
    group.createdAt,
    group.updatedAt,
    dateMs(group.createdAt),
    dateMs(group.updatedAt),
  ];
  const insert = `INSERT INTO groups (tenant, id, id_lower, display_name, display_name_lower, external_id, resource, version, created_at, updated_at, created_ms, updated_ms)
    VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING`;
  const update = `UPDATE groups SET display_name = $4, display_name_lower = $5, external_id = $6, resource = $7::jsonb, version = $8,
    updated_at = $10, updated_ms = $12 WHERE tenant = $1 AND id = $2`;
  try {
    if ((await writeIdentity(db, mustBeNew, insert, update, values)) === 0) throw await idConflict(db, tenant, 'group', group.id);
  } catch (error) {
    throw uniqueViolation(error, 'group', group.id, `displayName "${group.displayName}" is already taken`) ?? error;
  }
  // Rows by position, as for emails: adding a member to a large group writes one row, not all of them.
  await runUnread(
    db,
    `WITH surplus AS (DELETE FROM group_members WHERE tenant = $9 AND group_id = $1 AND position >= $8)
     INSERT INTO group_members (tenant, group_id, position, member_id, member_id_lower, display, display_lower, type, type_lower)
     SELECT $9, $1, m.n - 1, m.member_id, m.member_id_lower, m.display, m.display_lower, m.type, m.type_lower
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS m(member_id, member_id_lower, display, display_lower, type, type_lower, n)
     ON CONFLICT (group_id, position) DO UPDATE SET member_id = EXCLUDED.member_id, member_id_lower = EXCLUDED.member_id_lower,
       display = EXCLUDED.display, display_lower = EXCLUDED.display_lower, type = EXCLUDED.type, type_lower = EXCLUDED.type_lower
       WHERE (group_members.member_id, group_members.display, group_members.type) IS DISTINCT FROM (EXCLUDED.member_id, EXCLUDED.display, EXCLUDED.type)`,
    [
      group.id,
      group.members.map((m) => m.value),
      group.members.map((m) => m.value.toLowerCase()),
      group.members.map((m) => m.display ?? null),
      group.members.map((m) => lowerText(m.display)),
      group.members.map((m) => m.type ?? null),
      group.members.map((m) => lowerText(m.type)),
      group.members.length,
      tenant,
    ],
  );
}

/**
 * A membership delta: the group's row (version, updatedAt) and the changed members' rows only. Taken out by the
 * member index; added after the last position (group_members_position's last entry), each unless the group lists it already.
 */
async function changeMembers(db: Queryable, tenant: string, change: GroupMembersChange): Promise<void> {
  const { rowCount } = await db.query('UPDATE groups SET version = $3, updated_at = $4, updated_ms = $5 WHERE tenant = $1 AND id = $2', [
    tenant,
    change.groupId,
    change.version,
    change.updatedAt,
    dateMs(change.updatedAt),
  ]);
  if (!rowCount)
    throw new StoreConflictError('version', `group ${change.groupId} is at version 0, not ${change.version - 1}`, 'group', change.groupId);
  if (change.remove.length > 0)
    await runUnread(db, 'DELETE FROM group_members WHERE tenant = $1 AND member_id = ANY($3::text[]) AND group_id = $2', [
      tenant,
      change.groupId,
      change.remove,
    ]);
  // One row per value (the first): the statement cannot see its own rows to skip a second.
  const add = [...new Map(change.add.map((m) => [m.value, m])).values()];
  if (add.length === 0) return;
  await runUnread(
    db,
    `INSERT INTO group_members (tenant, group_id, position, member_id, member_id_lower, display, display_lower, type, type_lower)
     SELECT $1, $2, coalesce(
       (SELECT l.position FROM group_members l WHERE l.tenant = $1 AND l.group_id = $2 ORDER BY l.position DESC LIMIT 1), -1) + m.n,
       m.member_id, m.member_id_lower, m.display, m.display_lower, m.type, m.type_lower
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS m(member_id, member_id_lower, display, display_lower, type, type_lower, n)
     WHERE NOT EXISTS (SELECT 1 FROM group_members e WHERE e.tenant = $1 AND e.member_id = m.member_id AND e.group_id = $2)`,
    [
      tenant,
      change.groupId,
      add.map((m) => m.value),
      add.map((m) => m.value.toLowerCase()),
      add.map((m) => m.display ?? null),
      add.map((m) => lowerText(m.display)),
      add.map((m) => m.type ?? null),
      add.map((m) => lowerText(m.type)),
    ],
  );
}

/**
 * Inserts the identity (`mustBeNew`), or inserts or updates it, in one statement; returns how many rows it wrote.
 * Not ON CONFLICT DO UPDATE: the id may be another tenant's, whose row must stay as it is (row-level security
 * would refuse to touch it too, with an error that does not say why). With the insert and the update in one
 * statement, the update sees the table as it was before the insert: it runs only when the insert wrote nothing.
 */
async function writeIdentity(db: Queryable, mustBeNew: boolean, insert: string, update: string, values: unknown[]): Promise<number> {
  if (mustBeNew) return (await db.query(insert, values)).rowCount ?? 0;
  const { rows } = await db.query<{ written: string }>(
    `WITH inserted AS (${insert} RETURNING 1), updated AS (${update} AND NOT EXISTS (SELECT 1 FROM inserted) RETURNING 1)
     SELECT (SELECT count(*) FROM inserted) + (SELECT count(*) FROM updated) AS written`,
    values,
  );
  return Number(rows[0].written);
}

/**
 * Why an identity was not written: this tenant holds the id (someone created it since we looked, a race:
 * `version`), or another tenant does (`uniqueness`: ids are unique across tenants).
 */
async function idConflict(db: Queryable, tenant: string, entityType: EntityType, id: string): Promise<StoreConflictError> {
  const table = entityType === 'user' ? 'users' : 'groups';
  const { rows } = await db.query(`SELECT 1 FROM ${table} WHERE tenant = $1 AND id = $2`, [tenant, id]);
  return rows.length > 0
    ? new StoreConflictError('version', `${entityType} ${id} was created concurrently (expected it not to exist)`, entityType, id)
    : new StoreConflictError('uniqueness', `${entityType} id ${id} is taken`, entityType, id);
}

interface PgError {
  code?: string;
}

const pgError = (error: unknown): PgError => (typeof error === 'object' && error !== null ? (error as PgError) : {});

/** 23505 on a unique name: a taken name. (An id taken meanwhile is no error: the insert does nothing, see idConflict.) */
function uniqueViolation(error: unknown, entityType: EntityType, id: string, takenMessage: string): StoreConflictError | undefined {
  const { code } = pgError(error);
  if (code !== '23505') return undefined;
  return new StoreConflictError('uniqueness', takenMessage, entityType, id);
}

/** PostgreSQL cannot store NUL in text or jsonb: a client's bad value, not a server fault. */
function unstorableValue(error: unknown): IdentityError | undefined {
  const { code } = pgError(error);
  if (code !== '22021' && code !== '22P05') return undefined;
  return new IdentityError('invalidValue', 'a value contains a character PostgreSQL cannot store (such as \\u0000)');
}

/**
 * What the store reports for a statement's error (also for one deferred to a later round trip, see runUnread).
 * Deadlocks and serialization failures pass through untouched: the caller's transaction runs again on those.
 */
export function storeError(error: unknown): unknown {
  return unstorableValue(error) ?? error;
}
