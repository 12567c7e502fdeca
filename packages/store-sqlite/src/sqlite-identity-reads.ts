import {
  groupFilterDocument,
  userFilterDocument,
  type GroupRecord,
  type IdentityQuery,
  type PendingPassword,
  type QueryPage,
  type UserRecord,
} from '@provisio/core/engine';
import { toGroup, toUser, type GroupRow, type MemberRow, type UserRow } from './rows.js';
import { tenantTables } from './sql-filter.js';
import { runIdentityQuery } from './sqlite-identity-query.js';
import type { StatementCache } from './sqlite-statements.js';

/** The identity reads of the Store port, of one tenant: users, groups, their list queries, and pending passwords. */
export class SqliteIdentityReads {
  private readonly tables: ReturnType<typeof tenantTables>;

  constructor(
    private readonly statements: StatementCache,
    private readonly tenant: string,
  ) {
    this.tables = tenantTables(tenant);
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const row = this.statements.get('SELECT * FROM users WHERE id = ? AND tenant = ?').get(id, this.tenant) as UserRow | undefined;
    return row && toUser(row);
  }

  async getUserByUserName(userName: string): Promise<UserRecord | undefined> {
    const row = this.statements
      .get('SELECT * FROM users WHERE tenant = ? AND user_name_lower = ?')
      .get(this.tenant, userName.toLowerCase()) as UserRow | undefined;
    return row && toUser(row);
  }

  async getGroup(id: string): Promise<GroupRecord | undefined> {
    const row = this.statements.get('SELECT * FROM groups WHERE id = ? AND tenant = ?').get(id, this.tenant) as GroupRow | undefined;
    return row && toGroup(row, this.members(id));
  }

  async groupsOfMember(memberId: string): Promise<GroupRecord[]> {
    return this.groupsOf(memberId);
  }

  async listUserIds(afterId: string | undefined, limit: number): Promise<string[]> {
    return this.listIds('users', afterId, limit);
  }

  async listGroupIds(afterId: string | undefined, limit: number): Promise<string[]> {
    return this.listIds('groups', afterId, limit);
  }

  async queryUsers(query: IdentityQuery): Promise<QueryPage<UserRecord>> {
    return runIdentityQuery<UserRow, UserRecord>(
      {
        tenant: this.tenant,
        table: this.tables.users,
        prepare: (sql) => this.statements.forQuery(sql),
        toRecord: toUser,
        document: (user, withGroups) => userFilterDocument(user, withGroups ? this.groupsOf(user.id) : []),
      },
      query,
    );
  }

  async queryGroups(query: IdentityQuery): Promise<QueryPage<GroupRecord>> {
    return runIdentityQuery<GroupRow, GroupRecord>(
      {
        tenant: this.tenant,
        table: this.tables.groups,
        prepare: (sql) => this.statements.forQuery(sql),
        toRecord: (row) => toGroup(row, this.members(row.id)),
        document: (group) => groupFilterDocument(group),
      },
      query,
    );
  }

  async pendingPassword(userId: string): Promise<PendingPassword | undefined> {
    const row = this.statements
      .get('SELECT sealed, awaiting, expires_at FROM pending_passwords WHERE tenant = ? AND user_id = ?')
      .get(this.tenant, userId) as { sealed: string; awaiting: string; expires_at: number } | undefined;
    return row && { sealed: row.sealed, awaiting: JSON.parse(row.awaiting) as string[], expiresAt: row.expires_at };
  }

  /** A page of the tenant's ids of `table` after `afterId`, in id order (reconcile's paging). */
  private listIds(table: 'users' | 'groups', afterId: string | undefined, limit: number): string[] {
    const rows = this.statements
      .get(`SELECT id FROM ${table} WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?`)
      .all(this.tenant, afterId ?? '', limit) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * The groups that list `memberId`, by id (synchronous: the list query's filter documents need it per row).
   * Two plain lookups, not a join: SQLite runs the join with bound parameters at 15 µs even when the user is in
   * no group, the memberships' lookup at under 2 µs, and most users read by a SCIM GET are in none.
   */
  private groupsOf(memberId: string): GroupRecord[] {
    const memberships = this.statements
      .get('SELECT DISTINCT group_id FROM group_members WHERE tenant = ? AND member_id = ?')
      .all(this.tenant, memberId) as { group_id: string }[];
    if (memberships.length === 0) return [];
    const ids = memberships.map((m) => m.group_id);
    const group = this.statements.get('SELECT * FROM groups WHERE tenant = ? AND id = ?');
    return ids
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((id) => group.get(this.tenant, id) as GroupRow | undefined)
      .filter((row): row is GroupRow => row !== undefined)
      .map((row) => toGroup(row, this.members(row.id)));
  }

  private members(groupId: string): MemberRow[] {
    return this.statements
      .get('SELECT member_id, display, type FROM group_members WHERE tenant = ? AND group_id = ? ORDER BY position')
      .all(this.tenant, groupId) as MemberRow[];
  }
}
