import {
  PermanentError,
  type GroupDeletion,
  type GroupLookup,
  type GroupPayload,
  type GroupUpdate,
  type MembershipChange,
  type RemoteRef,
} from '@provisio/core';
import type { RecordWriter, RecordOutcome } from './record-writer.js';
import type { SalesforceConfig } from './salesforce-config.js';
import type { SalesforceSession } from './salesforce-session.js';
import { isMissingCode } from './salesforce-users.js';
import { queryPath, soqlList, soqlString } from './soql.js';

/** Group.Name is at most 40 characters. */
const GROUP_NAME_MAX = 40;
const GROUP_PREFIX = '00G';
const PERMISSION_SET_PREFIX = '0PS';
/** Ids per SOQL IN list, so the query URL stays well under Salesforce's limits. */
const IN_LIST_LIMIT = 200;

/**
 * A Provisio group's remote id names what it maps to: a public group id (00G...), a
 * permission set id (0PS...), or both joined by a comma. Salesforce ids say their type
 * by their key prefix, so the link needs no other bookkeeping.
 */
export interface GroupTargets {
  groupId?: string;
  permissionSetId?: string;
}

export function parseGroupRemoteId(remoteId: string): GroupTargets {
  const parts = remoteId.split(',').map((p) => p.trim());
  return {
    groupId: parts.find((p) => p.startsWith(GROUP_PREFIX)),
    permissionSetId: parts.find((p) => p.startsWith(PERMISSION_SET_PREFIX)),
  };
}

export function groupRemoteId(targets: GroupTargets): string {
  return [targets.groupId, targets.permissionSetId].filter((p): p is string => p !== undefined).join(',');
}

interface IdRow {
  Id: string;
}

interface QueryResult<T> {
  records: T[];
}

/** Public groups (Group Type Regular + GroupMember) and permission sets (PermissionSetAssignment). */
export class SalesforceGroups {
  constructor(
    private readonly session: SalesforceSession,
    private readonly writer: RecordWriter,
    private readonly config: SalesforceConfig,
  ) {}

  private get usesPublicGroups(): boolean {
    return this.config.groups.mode !== 'permissionSet';
  }

  async create(payload: GroupPayload): Promise<RemoteRef> {
    const name = payload.accountName ?? payload.group.displayName;
    const targets: GroupTargets = {};
    // Resolve the permission set first: a missing one should fail before we create anything.
    targets.permissionSetId = await this.permissionSetFor(payload.group.displayName);
    if (this.usesPublicGroups) {
      const body = { ...payload.attributes, Name: publicGroupName(name), Type: 'Regular' };
      const { id } = await this.session.request<{ id: string }>(
        { method: 'POST', path: 'sobjects/Group', body },
        { action: `create public Group ${name}`, sentFields: Object.keys(body) },
      );
      targets.groupId = id;
    }
    return { remoteId: groupRemoteId(targets), remoteName: name };
  }

  async update(update: GroupUpdate): Promise<RemoteRef> {
    const name = update.accountName ?? update.group.displayName;
    const current = parseGroupRemoteId(update.remoteId);
    const targets: GroupTargets = { permissionSetId: await this.permissionSetFor(update.group.displayName) };
    if (this.usesPublicGroups && current.groupId) {
      const body = { ...update.changed, Name: publicGroupName(name) };
      await this.session.request(
        { method: 'PATCH', path: `sobjects/Group/${current.groupId}`, body },
        { action: `update public Group ${current.groupId}`, sentFields: Object.keys(body) },
      );
      targets.groupId = current.groupId;
    }
    return { remoteId: groupRemoteId(targets), remoteName: name };
  }

  /** Deletes the public group; a permission set is not ours to delete and is left as it is. */
  async delete(deletion: GroupDeletion): Promise<void> {
    const { groupId } = parseGroupRemoteId(deletion.remoteId);
    if (!groupId) return;
    try {
      await this.session.request({ method: 'DELETE', path: `sobjects/Group/${groupId}` }, { action: `delete public Group ${groupId}` });
    } catch (error) {
      if (!isMissingCode((error as { remoteCode?: unknown }).remoteCode)) throw error;
    }
  }

  async find(lookup: GroupLookup): Promise<RemoteRef | null> {
    const name = lookup.accountName ?? lookup.displayName;
    const targets: GroupTargets = { permissionSetId: await this.permissionSetFor(lookup.displayName) };
    if (this.usesPublicGroups) {
      const soql = `SELECT Id FROM Group WHERE Name = ${soqlString(publicGroupName(name))} AND Type = 'Regular' LIMIT 1`;
      const result = await this.session.request<QueryResult<IdRow>>(
        { method: 'GET', path: queryPath(soql) },
        { action: 'find public Group' },
      );
      if (result.records.length === 0) return null;
      targets.groupId = result.records[0].Id;
    }
    return { remoteId: groupRemoteId(targets), remoteName: name };
  }

  /** Already a member / already assigned counts as done. */
  async addMembers(change: MembershipChange): Promise<void> {
    const { groupId, permissionSetId } = parseGroupRemoteId(change.groupRemoteId);
    const members = [...new Set(change.memberRemoteIds)];
    if (groupId) {
      const outcomes = await this.writer.create(
        'GroupMember',
        members.map((m) => ({ GroupId: groupId, UserOrGroupId: m })),
      );
      throwFirstFailure(outcomes, (code) => code === 'DUPLICATE_VALUE', `add members to Group ${groupId}`);
    }
    if (permissionSetId) {
      const outcomes = await this.writer.create(
        'PermissionSetAssignment',
        members.map((m) => ({ AssigneeId: m, PermissionSetId: permissionSetId })),
      );
      throwFirstFailure(outcomes, (code) => code === 'DUPLICATE_VALUE', `assign permission set ${permissionSetId}`);
    }
  }

  /** Removing someone who is not a member counts as done. */
  async removeMembers(change: MembershipChange): Promise<void> {
    const { groupId, permissionSetId } = parseGroupRemoteId(change.groupRemoteId);
    const members = [...new Set(change.memberRemoteIds)];
    for (let i = 0; i < members.length; i += IN_LIST_LIMIT) {
      const slice = members.slice(i, i + IN_LIST_LIMIT);
      if (groupId)
        await this.deleteRows(
          'GroupMember',
          `SELECT Id FROM GroupMember WHERE GroupId = ${soqlString(groupId)} AND UserOrGroupId IN ${soqlList(slice)}`,
        );
      if (permissionSetId) {
        await this.deleteRows(
          'PermissionSetAssignment',
          `SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = ${soqlString(permissionSetId)} AND AssigneeId IN ${soqlList(slice)}`,
        );
      }
    }
  }

  private async deleteRows(type: string, soql: string): Promise<void> {
    const result = await this.session.request<QueryResult<IdRow>>(
      { method: 'GET', path: queryPath(soql) },
      { action: `find ${type} rows` },
    );
    if (result.records.length === 0) return;
    const outcomes = await this.writer.remove(
      type,
      result.records.map((r) => r.Id),
    );
    throwFirstFailure(outcomes, isMissingCode, `remove ${type} rows`);
  }

  /** The permission set this group maps to, when the mode uses permission sets and one is configured or found. */
  private async permissionSetFor(displayName: string): Promise<string | undefined> {
    const { mode, permissionSets } = this.config.groups;
    if (mode === 'publicGroup') return undefined;
    const configured = Object.hasOwn(permissionSets, displayName) ? permissionSets[displayName] : undefined;
    if (mode === 'both' && configured === undefined) return undefined;
    const wanted = configured ?? displayName;
    const byLabel = configured === undefined ? ` OR Label = ${soqlString(wanted)}` : '';
    const soql = `SELECT Id, Name FROM PermissionSet WHERE (Name = ${soqlString(wanted)}${byLabel}) AND IsOwnedByProfile = false LIMIT 2`;
    const result = await this.session.request<QueryResult<IdRow>>(
      { method: 'GET', path: queryPath(soql) },
      { action: 'find PermissionSet' },
    );
    const found = result.records[0];
    if (!found) {
      throw new PermanentError(
        `no assignable permission set named "${wanted}" for group "${displayName}"; create it in Salesforce or map the group in groups.permissionSets (group displayName -> permission set API name)`,
        { remoteCode: 'NOT_FOUND' },
      );
    }
    return found.Id;
  }
}

function publicGroupName(name: string): string {
  return Array.from(name).slice(0, GROUP_NAME_MAX).join('');
}

/** Membership writes succeed or fail as a whole for the pipeline: report the first real failure. */
function throwFirstFailure(outcomes: RecordOutcome[], harmless: (code: string) => boolean, action: string): void {
  const failures = outcomes.filter((o): o is Extract<RecordOutcome, { ok: false }> => !o.ok && !harmless(o.code));
  if (failures.length === 0) return;
  const first = failures[0].error;
  if (failures.length > 1) first.message = `${failures.length} of ${outcomes.length} rows failed to ${action}; first: ${first.message}`;
  throw first;
}
