import {
  groupFilterDocument,
  userFilterDocument,
  type GroupMemberRef,
  type GroupRecord,
  type GroupSummary,
  type IdentityQuery,
  type PendingPassword,
  type QueryPage,
  type UserRecord,
} from '@provisio/core/engine';
import { toGroup, toGroupMember, toGroupSummary, toUser, type GroupRow, type MemberRow, type UserRow } from './rows.js';
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

  async getGroupSummary(id: string): Promise<GroupSummary | undefined> {
    const row = this.statements.get('SELECT * FROM groups WHERE id = ? AND tenant = ?').get(id, this.tenant) as GroupRow | undefined;
    return row && toGroupSummary(row);
  }

  async findGroupMembers(groupId: string, values: readonly string[]): Promise<GroupMemberRef[]> {
    const wanted = new Set(values.map((v) => v.toLowerCase()));
    // One value at a time, so each is a lookup however large the group: the exact value by the key, SQLite's (ASCII)
    // lower() by the lower-case member index; JavaScript's lower case decides.
    const exact = this.statements.get(
      'SELECT member_id, display, type, position FROM group_members WHERE group_id = ? AND member_id = ? AND tenant = ?',
    );
    const folded = this.statements.get(
      `SELECT member_id, display, type, position FROM group_members INDEXED BY group_members_member_lower
       WHERE tenant = ? AND lower(member_id) = ? AND group_id = ?`,
    );
    const found = new Map<string, MemberRow & { position: number }>();
    for (const value of new Set([...values, ...wanted])) {
      const rows = [...exact.all(groupId, value, this.tenant), ...folded.all(this.tenant, value, groupId)] as (MemberRow & {
        position: number;
      })[];
      for (const row of rows) if (wanted.has(row.member_id.toLowerCase())) found.set(row.member_id, row);
    }
    return [...found.values()].sort((a, b) => a.position - b.position).map(toGroupMember);
  }

  async groupsOfMember(memberId: string): Promise<GroupRecord[]> {
    return this.groupsOf(memberId);
  }

  async groupSummariesOfMember(memberId: string): Promise<GroupSummary[]> {
    return this.groupRowsOf(memberId).map(toGroupSummary);
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
    return this.groupRowsOf(memberId).map((row) => toGroup(row, this.members(row.id)));
  }

  private groupRowsOf(memberId: string): GroupRow[] {
    const memberships = this.statements
      .get('SELECT DISTINCT group_id FROM group_members WHERE tenant = ? AND member_id = ?')
      .all(this.tenant, memberId) as { group_id: string }[];
    if (memberships.length === 0) return [];
    const group = this.statements.get('SELECT * FROM groups WHERE tenant = ? AND id = ?');
    return memberships
      .map((m) => m.group_id)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((id) => group.get(this.tenant, id) as GroupRow | undefined)
      .filter((row): row is GroupRow => row !== undefined);
  }

  private members(groupId: string): MemberRow[] {
    return this.statements
      .get('SELECT member_id, display, type FROM group_members WHERE tenant = ? AND group_id = ? ORDER BY position')
      .all(this.tenant, groupId) as MemberRow[];
  }
}
