import {
  ConflictError,
  PermanentError,
  RemoteNotFoundError,
  isConflictError,
  type Clock,
  type DeletionResult,
  type RemoteCallOptions,
  type RemoteRef,
  type UserDeletion,
  type MatchKey,
  type UserLookup,
  type UserPayload,
  type UserUpdate,
} from '@provisio/core';
import type { SalesforceConfig } from './salesforce-config.js';
import { SalesforceLookups } from './salesforce-lookups.js';
import type { SalesforceSession } from './salesforce-session.js';
import {
  freedUsername,
  isFreedUsername,
  userChangesForUpdate,
  userRecordForCreate,
  usernameOf,
  type UserRecord,
} from './salesforce-user-mapper.js';
import { queryPath, soqlString } from './soql.js';

interface UserRow {
  Id: string;
  Username: string;
  IsActive?: boolean;
  FederationIdentifier?: string | null;
}

interface QueryResult<T> {
  totalSize: number;
  records: T[];
}

/** Codes Salesforce answers for a user id that is not (or no longer) there. */
const MISSING_CODES = new Set(['NOT_FOUND', 'ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY']);

/** An update of a User the org no longer has: the pipeline re-creates it (reconcile.missing). */
export function userGone(remoteId: string, error: unknown): RemoteNotFoundError {
  return new RemoteNotFoundError(`Salesforce has no User ${remoteId} any more: ${(error as Error).message}`, {
    remoteCode: (error as { remoteCode?: string }).remoteCode,
    cause: error,
  });
}

/** A field name as SOQL takes it (standard or custom `X__c`): match rules name one. */
const SOQL_FIELD = /^[A-Za-z][A-Za-z0-9_]*$/;

export function isMissingCode(code: unknown): boolean {
  return typeof code === 'string' && MISSING_CODES.has(code);
}

/** The User sObject: create, update, deactivate, find, password. */
export class SalesforceUsers {
  constructor(
    private readonly session: SalesforceSession,
    private readonly config: SalesforceConfig,
    private readonly clock: Clock,
    private readonly lookups: SalesforceLookups = new SalesforceLookups(session),
  ) {}

  async create(payload: UserPayload, { signal }: RemoteCallOptions = {}): Promise<RemoteRef> {
    const record = userRecordForCreate({ ...payload, attributes: await this.lookups.resolve(payload.attributes, signal) }, this.config);
    let id: string;
    try {
      ({ id } = await this.session.request<{ id: string }>(
        { method: 'POST', path: 'sobjects/User', body: record },
        { action: 'create User', sentFields: Object.keys(record), signal },
      ));
    } catch (error) {
      throw await this.explainDuplicate(error, record, signal);
    }
    if (payload.password !== undefined) await this.setPassword(id, payload.password, 'was created', signal);
    return { remoteId: id, remoteName: stringField(record, 'Username') };
  }

  async update(update: UserUpdate, { signal }: RemoteCallOptions = {}): Promise<RemoteRef> {
    const changes = userChangesForUpdate({ ...update, changed: await this.lookups.resolve(update.changed, signal) }, this.config);
    if (Object.keys(changes).length > 0) {
      try {
        await this.session.request(
          { method: 'PATCH', path: `sobjects/User/${update.remoteId}`, body: changes },
          { action: `update User ${update.remoteId}`, sentFields: Object.keys(changes), signal },
        );
      } catch (error) {
        // On update a taken username is not "link the other account": someone else has it.
        if (isMissingCode((error as { remoteCode?: unknown }).remoteCode)) throw userGone(update.remoteId, error);
        if (isConflictError(error))
          throw new PermanentError(`${error.message} (while renaming User ${update.remoteId})`, {
            remoteCode: error.remoteCode,
            cause: error,
          });
        throw error;
      }
    }
    if (update.password !== undefined) await this.setPassword(update.remoteId, update.password, 'was updated', signal);
    return { remoteId: update.remoteId, remoteName: stringField(changes, 'Username') ?? usernameOf(update.accountName, update.attributes) };
  }

  /** Deactivates (Salesforce never deletes users, whatever `deletion.mode` asks); a missing or already inactive user is fine. */
  async delete(deletion: UserDeletion, { signal }: RemoteCallOptions = {}): Promise<DeletionResult | void> {
    const changes = await this.deactivationChanges(deletion.remoteId, signal);
    if (changes === 'missing') return undefined;
    if (changes === 'done') return { mode: 'deactivated' };
    try {
      await this.session.request(
        { method: 'PATCH', path: `sobjects/User/${deletion.remoteId}`, body: changes },
        { action: `deactivate User ${deletion.remoteId}`, sentFields: Object.keys(changes), signal },
      );
    } catch (error) {
      if (isMissingCode((error as { remoteCode?: unknown }).remoteCode)) return undefined;
      throw error;
    }
    return { mode: 'deactivated' };
  }

  /** The PATCH body that deprovisions a user as configured, or whether nothing is left to do. */
  async deactivationChanges(remoteId: string, signal?: AbortSignal): Promise<UserRecord | 'missing' | 'done'> {
    if (this.config.deleteMode === 'deactivate') return { IsActive: false };
    const row = await this.byId(remoteId, signal);
    if (!row) return 'missing';
    if (row.IsActive === false && isFreedUsername(row.Username)) return 'done';
    return { IsActive: false, ...(isFreedUsername(row.Username) ? {} : { Username: freedUsername(row.Username, this.clock.now()) }) };
  }

  /**
   * By the instance's match rules when given (the first rule that finds exactly one User wins;
   * SOQL compares text ignoring case), else by Username (the pattern's account name or the
   * mapped Username), then FederationIdentifier.
   */
  async find(lookup: UserLookup, { signal }: RemoteCallOptions = {}): Promise<RemoteRef | null> {
    if (lookup.match?.length) return this.findByRules(lookup.match, signal);
    return this.findByNaturalKeys(lookup, signal);
  }

  private async findByRules(keys: readonly MatchKey[], signal: AbortSignal | undefined): Promise<RemoteRef | null> {
    for (const key of keys)
      if (!SOQL_FIELD.test(key.remote)) throw new PermanentError(`match rule field "${key.remote}" is not a Salesforce User field name`);
    // One query per rule, in order: a rule that several Users share (a default Email) decides nothing, the next one is tried.
    for (const key of keys) {
      const soql = `SELECT Id, Username FROM User WHERE ${key.remote} = ${soqlString(key.value)} LIMIT 2`;
      const result = await this.session.request<QueryResult<Record<string, unknown>>>(
        { method: 'GET', path: queryPath(soql) },
        { action: 'find User', signal },
      );
      if (result.records.length === 1)
        return { remoteId: String(result.records[0]['Id']), remoteName: String(result.records[0]['Username']) };
    }
    return null;
  }

  private async findByNaturalKeys(lookup: UserLookup, signal: AbortSignal | undefined): Promise<RemoteRef | null> {
    const username = usernameOf(lookup.accountName, lookup.attributes);
    const federationId = stringField(lookup.attributes, 'FederationIdentifier');
    const conditions = [
      ...(username ? [`Username = ${soqlString(username)}`] : []),
      ...(federationId ? [`FederationIdentifier = ${soqlString(federationId)}`] : []),
    ];
    if (conditions.length === 0) return null;
    const soql = `SELECT Id, Username, IsActive, FederationIdentifier FROM User WHERE ${conditions.join(' OR ')} LIMIT 10`;
    const result = await this.session.request<QueryResult<UserRow>>(
      { method: 'GET', path: queryPath(soql) },
      { action: 'find User', signal },
    );
    const byName = username ? result.records.find((r) => r.Username.toLowerCase() === username.toLowerCase()) : undefined;
    const row = byName ?? result.records.find((r) => r.FederationIdentifier === federationId);
    return row ? { remoteId: row.Id, remoteName: row.Username } : null;
  }

  async byId(remoteId: string, signal?: AbortSignal): Promise<UserRow | undefined> {
    try {
      return await this.session.request<UserRow>(
        { method: 'GET', path: `sobjects/User/${encodeURIComponent(remoteId)}?fields=Id,Username,IsActive` },
        { action: `read User ${remoteId}`, signal },
      );
    } catch (error) {
      if (isMissingCode((error as { remoteCode?: unknown }).remoteCode)) return undefined;
      throw error;
    }
  }

  async setPassword(remoteId: string, password: string, what: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.session.request(
        { method: 'POST', path: `sobjects/User/${remoteId}/password`, body: { NewPassword: password } },
        { action: `set the password of User ${remoteId}`, signal },
      );
    } catch (error) {
      if (error instanceof Error) error.message = `User ${remoteId} ${what}, but ${error.message.split(password).join('********')}`;
      throw error;
    }
  }

  /**
   * DUPLICATE_USERNAME: usernames are unique across every Salesforce org. When the
   * owner is in this org, a ConflictError naming it lets the pipeline link it; when
   * it is not, nothing here can fix that, so the failure is permanent.
   */
  async explainDuplicate(error: unknown, record: UserRecord, signal?: AbortSignal): Promise<unknown> {
    if (!isConflictError(error) || error.remoteCode !== 'DUPLICATE_USERNAME') return error;
    const username = stringField(record, 'Username');
    const existing = username ? await this.find({ localId: '', accountName: username, attributes: {} }, { signal }) : null;
    if (existing)
      return new ConflictError(`Username ${username} already exists in this org (User ${existing.remoteId})`, {
        existingRemoteId: existing.remoteId,
        remoteCode: 'DUPLICATE_USERNAME',
      });
    return new PermanentError(
      `Username ${username ?? '(none)'} belongs to a user in another Salesforce org: usernames are unique across all Salesforce orgs, so it cannot be used here. Choose another username (provisioning pattern, separator or domain, or the Username mapping).`,
      { remoteCode: 'DUPLICATE_USERNAME', cause: error },
    );
  }
}

function stringField(record: Record<string, unknown>, name: string): string | undefined {
  const value = record[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
