import { type EntityType } from '@provisio/core';
import {
  lowerText,
  StoreConflictError,
  type GroupMembersChange,
  type GroupRecord,
  type CommitReceipt,
  type IdentityWrite,
  type LinkRecord,
  type NewJob,
  type UserRecord,
} from '@provisio/core/engine';
import { emailRows } from './migrations.js';
import type { SqliteAudit } from './sqlite-audit.js';
import type { SqliteGuards } from './sqlite-guards.js';
import type { StatementCache } from './sqlite-statements.js';

/**
 * The identity writes of the Store port, of one tenant: one IdentityWrite (versions checked,
 * users, groups, pending passwords, the jobs it causes and its audit), applied
 * inside the caller's transaction. The jobs go through the job queue's `enqueue`.
 * Ids are unique across tenants: a put of another tenant's id is a uniqueness conflict, never an overwrite.
 */
export class SqliteIdentityWrites {
  constructor(
    private readonly statements: StatementCache,
    private readonly tenant: string,
    private readonly audit: SqliteAudit,
    private readonly enqueue: (job: NewJob, now: number, held: boolean) => void,
    private readonly guards: SqliteGuards,
    private readonly putLink: (link: LinkRecord) => void,
  ) {}

  apply(write: IdentityWrite, now: number): CommitReceipt {
    this.checkVersions('user', 'users', write.expectedUserVersions);
    this.checkVersions('group', 'groups', write.expectedGroupVersions);
    const tenant = this.tenant;
    for (const id of write.deleteUsers ?? []) {
      this.stmt('DELETE FROM users WHERE id = ? AND tenant = ?').run(id, tenant);
      this.stmt('DELETE FROM pending_passwords WHERE tenant = ? AND user_id = ?').run(tenant, id);
    }
    for (const user of write.putUsers ?? []) this.putUser(user);
    for (const id of write.deleteGroups ?? []) this.stmt('DELETE FROM groups WHERE id = ? AND tenant = ?').run(id, tenant);
    for (const group of write.putGroups ?? []) this.putGroup(group);
    for (const change of write.changeGroupMembers ?? []) this.changeMembers(change);
    for (const id of write.dropPendingPasswords ?? [])
      this.stmt('DELETE FROM pending_passwords WHERE tenant = ? AND user_id = ?').run(tenant, id);
    for (const { userId, sealed, awaiting, expiresAt } of write.pendingPasswords ?? []) {
      this.stmt(
        `INSERT INTO pending_passwords (tenant, user_id, sealed, awaiting, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(tenant, user_id) DO UPDATE SET sealed = excluded.sealed, awaiting = excluded.awaiting, expires_at = excluded.expires_at`,
      ).run(tenant, userId, sealed, JSON.stringify(awaiting), expiresAt);
    }
    for (const link of write.putLinks ?? []) this.putLink(link);
    const jobs = write.jobs ?? [];
    const { held, trippedGuards } = this.guards.decide(jobs, now);
    jobs.forEach((job, index) => this.enqueue(job, now, held[index]));
    for (const entry of write.audit ?? []) this.audit.append(entry);
    return { trippedGuards };
  }

  private stmt(sql: string) {
    return this.statements.get(sql);
  }

  /** Writes one user and its email index rows; an update touches only what changed. */
  private putUser(user: UserRecord): void {
    const params = {
      id: user.id,
      tenant: this.tenant,
      user_name: user.userName,
      user_name_lower: user.userName.toLowerCase(),
      external_id: user.externalId ?? null,
      active: user.active ? 1 : 0,
      resource: JSON.stringify(user.resource),
      version: user.version,
      created_at: user.createdAt,
      updated_at: user.updatedAt,
      password_hash: user.passwordHash ?? null,
      display_name_lower: lowerText(user.resource.displayName),
    };
    let existed = false;
    this.unique(
      'user',
      user.id,
      () => {
        // The common case is a change to an existing user: a plain UPDATE that sets the indexed
        // columns only when they changed, so their indexes are not rewritten for nothing.
        const before =
          user.version > 1
            ? (this.stmt(
                'SELECT user_name, user_name_lower, external_id, display_name_lower, active FROM users WHERE id = ? AND tenant = ?',
              ).get(user.id, this.tenant) as Record<string, unknown> | undefined)
            : undefined;
        if (before) {
          const indexed = (['user_name', 'user_name_lower', 'external_id', 'display_name_lower', 'active'] as const).filter(
            (column) => before[column] !== params[column],
          );
          const sets = [
            'resource = @resource',
            'version = @version',
            'updated_at = @updated_at',
            'password_hash = @password_hash',
            ...indexed.map((column) => `${column} = @${column}`),
          ];
          this.stmt(`UPDATE users SET ${sets.join(', ')} WHERE id = @id AND tenant = @tenant`).run(params);
          existed = true;
        }
        if (!existed) {
          const { changes } = this.stmt(
            `INSERT INTO users (id, tenant, user_name, user_name_lower, external_id, active, resource, version, created_at, updated_at, password_hash, display_name_lower)
           VALUES (@id, @tenant, @user_name, @user_name_lower, @external_id, @active, @resource, @version, @created_at, @updated_at, @password_hash, @display_name_lower)
           ON CONFLICT(id) DO UPDATE SET user_name = excluded.user_name, user_name_lower = excluded.user_name_lower, external_id = excluded.external_id,
             display_name_lower = excluded.display_name_lower,
             active = excluded.active, resource = excluded.resource, version = excluded.version, updated_at = excluded.updated_at, password_hash = excluded.password_hash
           WHERE users.tenant = excluded.tenant`,
          ).run(params);
          if (changes === 0) throw idTaken('user', user.id);
        }
      },
      `userName "${user.userName}" is already taken`,
    );
    const emails = emailRows(user.resource);
    if (existed) {
      // Reading the few index rows is cheaper than rewriting them when the emails did not change.
      const current = this.stmt(
        'SELECT value_lower AS value, type_lower AS type, is_primary AS "primary" FROM user_emails WHERE user_id = ? AND tenant = ? ORDER BY position',
      ).all(user.id, this.tenant);
      if (JSON.stringify(current) === JSON.stringify(emails)) return;
    }
    this.stmt('DELETE FROM user_emails WHERE user_id = ? AND tenant = ?').run(user.id, this.tenant);
    const insertEmail = this.stmt(
      'INSERT INTO user_emails (user_id, tenant, position, value_lower, type_lower, is_primary) VALUES (?, ?, ?, ?, ?, ?)',
    );
    emails.forEach((e, position) => insertEmail.run(user.id, this.tenant, position, e.value, e.type, e.primary));
  }

  /** Writes one group and its member rows (in list order). */
  private putGroup(group: GroupRecord): void {
    this.unique(
      'group',
      group.id,
      () => {
        const { changes } = this.stmt(
          `INSERT INTO groups (id, tenant, display_name, display_name_lower, external_id, resource, version, created_at, updated_at)
         VALUES (@id, @tenant, @display_name, @display_name_lower, @external_id, @resource, @version, @created_at, @updated_at)
         ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name, display_name_lower = excluded.display_name_lower, external_id = excluded.external_id, resource = excluded.resource,
           version = excluded.version, updated_at = excluded.updated_at
         WHERE groups.tenant = excluded.tenant`,
        ).run({
          id: group.id,
          tenant: this.tenant,
          display_name: group.displayName,
          display_name_lower: group.displayName.toLowerCase(),
          external_id: group.externalId ?? null,
          resource: JSON.stringify(group.resource),
          version: group.version,
          created_at: group.createdAt,
          updated_at: group.updatedAt,
        });
        if (changes === 0) throw idTaken('group', group.id);
      },
      `displayName "${group.displayName}" is already taken`,
    );
    this.stmt('DELETE FROM group_members WHERE group_id = ? AND tenant = ?').run(group.id, this.tenant);
    const insert = this.stmt('INSERT INTO group_members (group_id, tenant, member_id, position, display, type) VALUES (?, ?, ?, ?, ?, ?)');
    group.members.forEach((m, position) => insert.run(group.id, this.tenant, m.value, position, m.display ?? null, m.type ?? null));
  }

  /** A membership delta: the group's row and the changed members' rows only (positions after the last, by its index). */
  private changeMembers(change: GroupMembersChange): void {
    const { changes } = this.stmt('UPDATE groups SET version = ?, updated_at = ? WHERE id = ? AND tenant = ?').run(
      change.version,
      change.updatedAt,
      change.groupId,
      this.tenant,
    );
    if (changes === 0)
      throw new StoreConflictError(
        'version',
        `group ${change.groupId} is at version 0, not ${change.version - 1}`,
        'group',
        change.groupId,
      );
    const remove = this.stmt('DELETE FROM group_members WHERE group_id = ? AND member_id = ? AND tenant = ?');
    for (const value of change.remove) remove.run(change.groupId, value, this.tenant);
    if (change.add.length === 0) return;
    const last = this.stmt('SELECT max(position) AS position FROM group_members WHERE group_id = ?').get(change.groupId) as {
      position: number | null;
    };
    const insert = this.stmt(
      `INSERT INTO group_members (group_id, tenant, member_id, position, display, type) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (group_id, member_id) DO NOTHING`,
    );
    let position = (last.position ?? -1) + 1;
    for (const m of change.add) {
      if (insert.run(change.groupId, this.tenant, m.value, position, m.display ?? null, m.type ?? null).changes > 0) position += 1;
    }
  }

  private checkVersions(entityType: EntityType, table: 'users' | 'groups', expected: Record<string, number> | undefined): void {
    for (const [id, version] of Object.entries(expected ?? {})) {
      const row = this.stmt(`SELECT version FROM ${table} WHERE id = ? AND tenant = ?`).get(id, this.tenant) as
        { version: number } | undefined;
      const current = row?.version ?? 0;
      if (current !== version)
        throw new StoreConflictError('version', `${entityType} ${id} is at version ${current}, not ${version}`, entityType, id);
    }
  }

  private unique(entityType: EntityType, id: string, run: () => unknown, message: string): void {
    try {
      run();
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw new StoreConflictError('uniqueness', message, entityType, id);
      throw error;
    }
  }
}

/** The id is another tenant's (the DO UPDATE of the upsert did not apply): refused, and nothing about that tenant said. */
function idTaken(entityType: 'user' | 'group', id: string): StoreConflictError {
  return new StoreConflictError('uniqueness', `${entityType} id ${id} is already taken`, entityType, id);
}
