import { fetchPage, PermanentError, type ReadRequest, type RemoteGroup, type RemotePage, type RemoteUser } from '@provisio/core';
import type { SalesforceConfig } from './salesforce-config.js';
import type { LookupTarget } from './salesforce-lookups.js';
import { groupRemoteId, parseGroupRemoteId } from './salesforce-groups.js';
import type { SalesforceSession } from './salesforce-session.js';
import { SALESFORCE_DEFAULT_MAPPING } from './salesforce-user-mapper.js';
import { soqlList, soqlString } from './soql.js';

/** Ids per SOQL IN list, so the query URL stays well under Salesforce's limits. */
const IN_LIST_LIMIT = 200;
/** A bound on the batches of one query: 2,000 records each, this covers 200 million. */
const MAX_BATCHES = 100_000;
/** Field API names (and one relationship hop): what may go into a SELECT list. */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)?$/;

type Row = Record<string, unknown>;

/** An attribute read back, and the path in the record it is read at. */
interface AskedField {
  name: string;
  path: string;
}

/**
 * A lookup field is read back as the name it was written with (ProfileId as Profile.Name, a custom
 * X__c as X__r.<field>), so reconcile compares names with names. Other fields are read as they are.
 */
function readPathOf(field: string, lookups: ReadonlyMap<string, LookupTarget>): string {
  const target = lookups.get(field);
  const relationship = field.endsWith('__c') ? `${field.slice(0, -3)}__r` : /.Id$/.test(field) ? field.slice(0, -2) : undefined;
  return target && relationship ? `${relationship}.${target.field}` : field;
}

/** The User fields a read selects: those asked for (the mapping's keys), else the default mapping's. */
function selectedFields(
  request: ReadRequest | undefined,
  always: readonly string[],
  lookups: ReadonlyMap<string, LookupTarget> = new Map(),
): { fields: string[]; asked: AskedField[] } {
  const names = [...new Set(request?.attributes ?? Object.keys(SALESFORCE_DEFAULT_MAPPING))];
  const bad = names.filter((f) => !FIELD_NAME.test(f));
  if (bad.length > 0)
    throw new PermanentError(`cannot read Salesforce field(s) ${bad.map((f) => JSON.stringify(f)).join(', ')}: not a field API name`);
  const asked = names.map((name) => ({ name, path: readPathOf(name, lookups) }));
  const fields = [...always];
  for (const { path } of asked) if (!fields.some((f) => f.toLowerCase() === path.toLowerCase())) fields.push(path);
  return { fields, asked };
}

/** A record's value for a field name, relationship hops (`Profile.Name`) followed. */
function valueOf(row: Row, field: string): unknown {
  let value: unknown = row;
  for (const part of field.split('.')) value = typeof value === 'object' && value !== null ? (value as Row)[part] : undefined;
  return value;
}

function attributesOf(row: Row, asked: readonly AskedField[]): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const { name, path } of asked) {
    const value = valueOf(row, path);
    if (value !== null && value !== undefined) attributes[name] = value;
  }
  return attributes;
}

function remoteUserOf(row: Row, asked: readonly AskedField[]): RemoteUser {
  return {
    remoteId: String(row['Id']),
    remoteName: String(row['Username']),
    active: row['IsActive'] === true,
    attributes: attributesOf(row, asked),
  };
}

/**
 * The read side over SOQL: listings are one query whose batches are fetched one at a time
 * (jsforce `query`, then `queryMore` with each batch's locator), so memory holds one batch.
 */
export class SalesforceReader {
  constructor(
    private readonly session: SalesforceSession,
    private readonly config: SalesforceConfig,
    private readonly lookups: ReadonlyMap<string, LookupTarget> = new Map(),
  ) {}

  async *listUsers(request?: ReadRequest): AsyncGenerator<RemotePage<RemoteUser>> {
    const { fields, asked } = selectedFields(request, ['Id', 'Username', 'IsActive'], this.lookups);
    for await (const batch of this.batches(`SELECT ${fields.join(', ')} FROM User ORDER BY Id`, 'list Users')) {
      yield { items: batch.records.map((row) => remoteUserOf(row, asked)), totalHint: batch.totalSize };
    }
  }

  async getUser(remoteId: string, request?: ReadRequest): Promise<RemoteUser | null> {
    const { fields, asked } = selectedFields(request, ['Id', 'Username', 'IsActive'], this.lookups);
    const row = await this.first(`SELECT ${fields.join(', ')} FROM User WHERE Id = ${soqlString(remoteId)}`, `read User ${remoteId}`);
    return row ? remoteUserOf(row, asked) : null;
  }

  /** Public groups (publicGroup and both modes; a permission set half is not read back) or assignable permission sets. */
  async *listGroups(request?: ReadRequest): AsyncGenerator<RemotePage<RemoteGroup>> {
    const kind = this.groupKind();
    const { fields, asked } = selectedFields({ attributes: request?.attributes ?? [] }, ['Id', 'Name']);
    for await (const batch of this.batches(
      `SELECT ${fields.join(', ')} FROM ${kind.sObject} WHERE ${kind.filter} ORDER BY Id`,
      `list ${kind.sObject}s`,
    )) {
      const members = await this.membersOf(batch.records.map((r) => String(r['Id'])));
      const items = batch.records.map((row) => this.remoteGroupOf(row, asked, members));
      yield { items, totalHint: batch.totalSize };
    }
  }

  async getGroup(remoteId: string, request?: ReadRequest): Promise<RemoteGroup | null> {
    const kind = this.groupKind();
    const targets = parseGroupRemoteId(remoteId);
    const id = kind.sObject === 'Group' ? targets.groupId : targets.permissionSetId;
    if (!id) return null;
    const { fields, asked } = selectedFields({ attributes: request?.attributes ?? [] }, ['Id', 'Name']);
    const row = await this.first(
      `SELECT ${fields.join(', ')} FROM ${kind.sObject} WHERE Id = ${soqlString(id)} AND ${kind.filter}`,
      `read ${kind.sObject} ${id}`,
    );
    return row ? this.remoteGroupOf(row, asked, await this.membersOf([id])) : null;
  }

  private groupKind(): { sObject: 'Group' | 'PermissionSet'; filter: string; member: string; owner: string; link: string } {
    return this.config.groups.mode === 'permissionSet'
      ? {
          sObject: 'PermissionSet',
          filter: 'IsOwnedByProfile = false',
          member: 'AssigneeId',
          owner: 'PermissionSetId',
          link: 'PermissionSetAssignment',
        }
      : { sObject: 'Group', filter: "Type = 'Regular'", member: 'UserOrGroupId', owner: 'GroupId', link: 'GroupMember' };
  }

  private remoteGroupOf(row: Row, asked: readonly AskedField[], members: Map<string, string[]>): RemoteGroup {
    const id = String(row['Id']);
    const remoteId = this.groupKind().sObject === 'Group' ? groupRemoteId({ groupId: id }) : groupRemoteId({ permissionSetId: id });
    return { remoteId, remoteName: String(row['Name']), attributes: attributesOf(row, asked), memberRemoteIds: members.get(id) ?? [] };
  }

  /** Member user ids of these groups (or permission sets), IN lists of 200, every batch followed. */
  private async membersOf(ids: readonly string[]): Promise<Map<string, string[]>> {
    const { member, owner, link } = this.groupKind();
    const members = new Map<string, string[]>();
    for (let i = 0; i < ids.length; i += IN_LIST_LIMIT) {
      const soql = `SELECT ${owner}, ${member} FROM ${link} WHERE ${owner} IN ${soqlList(ids.slice(i, i + IN_LIST_LIMIT))}`;
      for await (const batch of this.batches(soql, `list ${link} rows`)) {
        for (const row of batch.records) {
          const memberId = String(row[member]);
          // Public groups can nest groups; only users are members in Provisio's sense.
          if (!memberId.startsWith('005')) continue;
          const list = members.get(String(row[owner])) ?? [];
          list.push(memberId);
          members.set(String(row[owner]), list);
        }
      }
    }
    return members;
  }

  private async first(soql: string, action: string): Promise<Row | undefined> {
    const batch = await this.session.queryBatch<Row>(soql, { batchSize: 200 }, { action });
    return batch.records[0];
  }

  /** The batches of one query, fetched as the consumer asks for them. */
  private async *batches(soql: string, action: string): AsyncGenerator<{ records: Row[]; totalSize: number }> {
    const batchSize = this.config.queryBatchSize;
    let locator: string | undefined;
    for (let n = 0; n < MAX_BATCHES; n++) {
      const batch = await fetchPage(() =>
        this.session.queryBatch<Row>(
          soql,
          { batchSize, ...(locator === undefined ? {} : { locator }) },
          { action: n === 0 ? action : `${action} (batch ${n + 1})` },
        ),
      );
      if (batch.records.length > 0) yield batch;
      if (batch.locator === undefined) return;
      locator = batch.locator;
    }
    throw new PermanentError(`${action}: more than ${MAX_BATCHES} query batches; stopped`);
  }
}
