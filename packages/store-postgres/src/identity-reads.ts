import { type EntityType } from '@provisio/core';
import {
  groupFilterDocument,
  userFilterDocument,
  type AuditRecord,
  type GroupMemberRef,
  type GroupRecord,
  type GroupSummary,
  type IdentityQuery,
  type LinkRecord,
  type PendingPassword,
  type QueryPage,
  type UserRecord,
} from '@provisio/core/engine';
import { runIdentityQuery, type QueryTarget } from './identity-query.js';
import {
  GROUP_COLUMNS,
  GROUP_SUMMARY_COLUMNS,
  LINK_COLUMNS,
  USER_COLUMNS,
  toAudit,
  toGroup,
  toGroupMember,
  toGroupSummary,
  toLink,
  toUser,
  type AuditRow,
  type GroupRow,
  type LinkRow,
  type MemberRow,
  type UserRow,
} from './identity-rows.js';
import { GROUP_TABLE, USER_TABLE } from './pg-filter.js';
import type { Queryable } from './queryable.js';
import { param, raw, render, sql, type Sql } from './sql-text.js';

/** Text with NUL can be in no row (PostgreSQL cannot store it), and cannot be sent as a parameter either. */
const hasNul = (text: string) => text.includes('\u0000');

/** A whole number within what PostgreSQL's bigint takes. */
const bigintOf = (value: number) => Math.min(Math.max(Math.floor(value), -Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);

/** A limit as the caller meant it: whole, not negative; `fallback` when not a number. */
const limitOf = (limit: number | undefined, fallback: number) =>
  limit === undefined || Number.isNaN(limit) ? fallback : Math.max(0, bigintOf(limit));

/**
 * The identity, link and audit reads of the Store port for one tenant, over a Pool or a client in a
 * transaction: every statement names the tenant (the tenant role's row-level security is the second wall).
 */
export class PostgresIdentityReads {
  private readonly userTarget: QueryTarget<UserRow, UserRecord>;
  private readonly groupTarget: QueryTarget<GroupRow, GroupRecord>;

  constructor(
    private readonly db: Queryable,
    private readonly tenant: string,
  ) {
    // Side tables (emails, members, a user's groups) are read without their owner row: they keep to the tenant themselves.
    const sideScope = sql`s.tenant = ${param(tenant)}`;
    const scope = sql`t.tenant = ${param(tenant)}`;
    // Users as filters read them: with their derived `groups` when the filter or sort asks for them.
    this.userTarget = {
      table: { ...USER_TABLE, sideScope },
      scope,
      columns: USER_COLUMNS,
      toRecord: toUser,
      documents: async (users, withGroups) => {
        const groups = withGroups ? await this.groupsOfMembers(users.map((u) => u.id)) : new Map<string, GroupRecord[]>();
        return users.map((user) => userFilterDocument(user, groups.get(user.id) ?? []));
      },
    };
    this.groupTarget = {
      table: { ...GROUP_TABLE, sideScope },
      scope,
      columns: GROUP_COLUMNS,
      toRecord: toGroup,
      documents: async (groups) => groups.map((group) => groupFilterDocument(group)),
    };
  }

  /** The condition on the tenant of table alias `alias`. */
  private mine(alias: string): Sql {
    return sql`${raw(alias)}.tenant = ${param(this.tenant)}`;
  }

  private async rows<Row extends object>(statement: Sql): Promise<Row[]> {
    const { text, values } = render(statement);
    return (await this.db.query<Row>(text, values)).rows;
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    if (hasNul(id)) return undefined;
    const [row] = await this.rows<UserRow>(sql`SELECT ${raw(USER_COLUMNS)} FROM users t WHERE ${this.mine('t')} AND t.id = ${param(id)}`);
    return row && toUser(row);
  }

  async getUserByUserName(userName: string): Promise<UserRecord | undefined> {
    if (hasNul(userName)) return undefined;
    const [row] = await this.rows<UserRow>(
      sql`SELECT ${raw(USER_COLUMNS)} FROM users t WHERE ${this.mine('t')} AND t.user_name_lower = ${param(userName.toLowerCase())}`,
    );
    return row && toUser(row);
  }

  async getGroup(id: string): Promise<GroupRecord | undefined> {
    if (hasNul(id)) return undefined;
    const [row] = await this.rows<GroupRow>(
      sql`SELECT ${raw(GROUP_COLUMNS)} FROM groups t WHERE ${this.mine('t')} AND t.id = ${param(id)}`,
    );
    return row && toGroup(row);
  }

  async getGroupSummary(id: string): Promise<GroupSummary | undefined> {
    if (hasNul(id)) return undefined;
    const [row] = await this.rows<Omit<GroupRow, 'members'>>(
      sql`SELECT ${raw(GROUP_SUMMARY_COLUMNS)} FROM groups t WHERE ${this.mine('t')} AND t.id = ${param(id)}`,
    );
    return row && toGroupSummary(row);
  }

  async findGroupMembers(groupId: string, values: readonly string[]): Promise<GroupMemberRef[]> {
    const lowered = [...new Set(values.filter((v) => !hasNul(v)).map((v) => v.toLowerCase()))];
    if (lowered.length === 0 || hasNul(groupId)) return [];
    // By the lower-case member index: each value is a lookup, however large the group.
    const rows = await this.rows<MemberRow>(
      sql`SELECT m.member_id, m.display, m.type FROM group_members m
          WHERE ${this.mine('m')} AND m.member_id_lower = ANY(${param(lowered)}::text[]) AND m.group_id = ${param(groupId)} ORDER BY m.position`,
    );
    return rows.map(toGroupMember);
  }

  async groupSummariesOfMember(memberId: string): Promise<GroupSummary[]> {
    if (hasNul(memberId)) return [];
    const rows = await this.rows<Omit<GroupRow, 'members'>>(
      sql`SELECT ${raw(GROUP_SUMMARY_COLUMNS)} FROM groups t WHERE ${this.mine('t')}
          AND t.id IN (SELECT m.group_id FROM group_members m WHERE ${this.mine('m')} AND m.member_id = ${param(memberId)}) ORDER BY t.id`,
    );
    return rows.map(toGroupSummary);
  }

  async groupsOfMember(memberId: string): Promise<GroupRecord[]> {
    if (hasNul(memberId)) return [];
    const rows = await this.rows<GroupRow>(
      sql`SELECT ${raw(GROUP_COLUMNS)} FROM groups t WHERE ${this.mine('t')}
          AND t.id IN (SELECT m.group_id FROM group_members m WHERE ${this.mine('m')} AND m.member_id = ${param(memberId)}) ORDER BY t.id`,
    );
    return rows.map(toGroup);
  }

  async listUserIds(afterId: string | undefined, limit: number): Promise<string[]> {
    return this.listIds('users', afterId, limit);
  }

  async listGroupIds(afterId: string | undefined, limit: number): Promise<string[]> {
    return this.listIds('groups', afterId, limit);
  }

  private async listIds(table: 'users' | 'groups', afterId: string | undefined, limit: number): Promise<string[]> {
    const after = afterId === undefined ? raw('') : sql`AND t.id > ${param(afterId.replaceAll('\u0000', ''))}`;
    const rows = await this.rows<{ id: string }>(
      sql`SELECT t.id FROM ${raw(table)} t WHERE ${this.mine('t')} ${after} ORDER BY t.id LIMIT ${param(limitOf(limit, 100))}`,
    );
    return rows.map((row) => row.id);
  }

  async queryUsers(query: IdentityQuery): Promise<QueryPage<UserRecord>> {
    return runIdentityQuery(this.db, this.userTarget, query);
  }

  async queryGroups(query: IdentityQuery): Promise<QueryPage<GroupRecord>> {
    return runIdentityQuery(this.db, this.groupTarget, query);
  }

  /**
   * The groups of many members at once, for the derived `groups` of the user view.
   * The view reads only each group's id and displayName, so members are not loaded
   * (a large group would otherwise be read once per user in the batch).
   */
  private async groupsOfMembers(memberIds: readonly string[]): Promise<Map<string, GroupRecord[]>> {
    const byMember = new Map<string, GroupRecord[]>();
    if (memberIds.length === 0) return byMember;
    const rows = await this.rows<GroupRow & { member_id: string }>(
      sql`SELECT m.member_id, t.id, t.display_name, t.external_id, t.resource, t.version, t.created_at, t.updated_at, '[]'::json AS members
          FROM (SELECT DISTINCT s.group_id, s.member_id FROM group_members s WHERE ${this.mine('s')} AND s.member_id = ANY(${param(memberIds)}::text[])) m
          JOIN groups t ON t.id = m.group_id WHERE ${this.mine('t')} ORDER BY t.id`,
    );
    for (const row of rows) {
      const list = byMember.get(row.member_id) ?? [];
      list.push(toGroup(row));
      byMember.set(row.member_id, list);
    }
    return byMember;
  }

  async getLink(instanceId: string, entityType: EntityType, localId: string): Promise<LinkRecord | undefined> {
    if (hasNul(instanceId) || hasNul(localId)) return undefined;
    const [row] = await this.rows<LinkRow>(
      sql`SELECT ${raw(LINK_COLUMNS)} FROM links t WHERE ${this.mine('t')} AND instance_id = ${param(instanceId)} AND entity_type = ${param(entityType)} AND local_id = ${param(localId)}`,
    );
    return row && toLink(row);
  }

  async linksOf(entityType: EntityType, localId: string): Promise<LinkRecord[]> {
    if (hasNul(localId)) return [];
    const rows = await this.rows<LinkRow>(
      sql`SELECT ${raw(LINK_COLUMNS)} FROM links t WHERE ${this.mine('t')} AND entity_type = ${param(entityType)} AND local_id = ${param(localId)} ORDER BY instance_id`,
    );
    return rows.map(toLink);
  }

  async linksFor(instanceId: string, entityType: EntityType, localIds: readonly string[]): Promise<LinkRecord[]> {
    const ids = localIds.filter((id) => !hasNul(id));
    if (ids.length === 0 || hasNul(instanceId)) return [];
    const rows = await this.rows<LinkRow>(
      sql`SELECT ${raw(LINK_COLUMNS)} FROM links t WHERE ${this.mine('t')} AND instance_id = ${param(instanceId)} AND entity_type = ${param(entityType)} AND local_id = ANY(${param(ids)}::text[]) ORDER BY local_id`,
    );
    return rows.map(toLink);
  }

  async pendingPassword(userId: string): Promise<PendingPassword | undefined> {
    if (hasNul(userId)) return undefined;
    const [row] = await this.rows<{ sealed: string; awaiting: string[]; expires_at: string }>(
      sql`SELECT sealed, awaiting, expires_at FROM pending_passwords t WHERE ${this.mine('t')} AND user_id = ${param(userId)}`,
    );
    return row && { sealed: row.sealed, awaiting: row.awaiting, expiresAt: Number(row.expires_at) };
  }

  /** Newest first; `beforeSeq` pages back. */
  async listAudit(options: { entityId?: string; limit?: number; beforeSeq?: number }): Promise<AuditRecord[]> {
    if (options.entityId !== undefined && hasNul(options.entityId)) return [];
    const conditions: Sql[] = [this.mine('t')];
    if (options.entityId !== undefined) conditions.push(sql`entity_id = ${param(options.entityId)}`);
    if (options.beforeSeq !== undefined && !Number.isNaN(options.beforeSeq))
      conditions.push(sql`seq < ${param(-bigintOf(-options.beforeSeq))}`);
    const where = conditions.reduce((all, next) => sql`${all} AND ${next}`);
    const rows = await this.rows<AuditRow>(
      sql`SELECT seq, at, actor, action, entity_type, entity_id, details FROM audit t WHERE ${where} ORDER BY seq DESC LIMIT ${param(limitOf(options.limit, 100))}`,
    );
    return rows.map(toAudit);
  }
}
