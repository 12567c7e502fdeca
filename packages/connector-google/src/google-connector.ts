import {
  MASK,
  defineConnector,
  isPermanentError,
  isTransientError,
  PermanentError,
  TransientError,
  type BatchOperation,
  type BatchOutcome,
  type ConnectorContext,
  type DeletionResult,
  type GroupDeletion,
  type GroupLookup,
  type GroupPayload,
  type GroupUpdate,
  type HealthReport,
  type MembershipChange,
  type OutboundConnector,
  type RemoteRef,
  type RemoteRequestPreview,
  type UserDeletion,
  type UserLookup,
  type UserPayload,
  type UserPreviewOperation,
  type UserUpdate,
} from '@provisio/core';
import { sendBatch, isSuccess, type BatchCall } from './google-batch.js';
import { googleConfigSchema, GOOGLE_SECRET_FIELDS, type GoogleConfig } from './google-config.js';
import { classifyGoogleFailure } from './google-errors.js';
import { groupEmailOf, groupNameOf, hasMappedEmail, toGroupInsertBody, toGroupPatchBody } from './google-group-mapper.js';
import { GoogleSession } from './google-session.js';
import { provisionUserBatch } from './google-user-batch.js';
import { aliasesOf, primaryEmailOf, refOf, remoteNameOf, toInsertBody, toPatchBody } from './google-user-mapper.js';
import { DEFAULT_GROUP_MAPPING, DEFAULT_USER_MAPPING } from './google-default-mapping.js';

const CUSTOMER_SCOPE = /admin\.directory\.customer(\.readonly)?$/;

/** Google Workspace through the Admin SDK Directory API, as one delegated super administrator. */
export class GoogleConnector implements OutboundConnector {
  readonly session: GoogleSession;

  constructor(
    readonly config: GoogleConfig,
    private readonly ctx: ConnectorContext,
  ) {
    this.session = new GoogleSession(config, ctx);
  }

  async createUser(payload: UserPayload): Promise<RemoteRef> {
    const body = toInsertBody(payload, this.config);
    const email = body.primaryEmail as string;
    const { data } = await this.session.call(`users.insert ${email}`, (d) => d.users.insert({ requestBody: body }));
    const ref = refOf(data, remoteNameOf(payload, email));
    const aliases = aliasesOf(payload.attributes);
    if (aliases) await this.addAliases(ref.remoteId, aliases);
    return ref;
  }

  /** The bodies createUser/updateUser send (same mapper functions), the password masked. */
  async previewUser(operation: UserPreviewOperation): Promise<RemoteRequestPreview[]> {
    const path = '/admin/directory/v1/users';
    if (operation.kind === 'create') {
      const body = toInsertBody(operation.payload, this.config);
      const aliases = aliasesOf(operation.payload.attributes) ?? [];
      return [
        { operation: 'users.insert', method: 'POST', path, body: { ...body, password: MASK } },
        ...aliases.map((alias) => ({ operation: 'users.aliases.insert', method: 'POST', path: `${path}/{new user id}/aliases`, body: { alias } })),
      ];
    }
    const { update } = operation;
    const body = toPatchBody(update, this.config);
    const requests: RemoteRequestPreview[] = Object.keys(body).length > 0 ? [{ operation: 'users.patch', method: 'PATCH', path: `${path}/${update.remoteId}`, body }] : [];
    const aliases = 'aliases' in update.changed ? aliasesOf(update.changed) : undefined;
    if (aliases) requests.push({ operation: 'aliases (list, then insert and delete the difference)', method: 'POST', path: `${path}/${update.remoteId}/aliases`, body: { aliases } });
    return requests;
  }

  async updateUser(update: UserUpdate): Promise<RemoteRef> {
    const body = toPatchBody(update, this.config);
    const email = primaryEmailOf(update, this.config.domain);
    if (Object.keys(body).length > 0) {
      await this.session.call(`users.patch ${email ?? update.remoteId}`, (d) => d.users.patch({ userKey: update.remoteId, requestBody: body }));
    }
    const aliases = 'aliases' in update.changed ? aliasesOf(update.changed) : undefined;
    if (aliases) await this.syncAliases(update.remoteId, aliases);
    return { remoteId: update.remoteId, ...(email ? { remoteName: remoteNameOf(update, email) } : {}) };
  }

  async deleteUser(deletion: UserDeletion): Promise<DeletionResult> {
    const userKey = deletion.remoteId;
    if (this.config.deleteMode === 'delete') {
      await this.session.call(`users.delete ${userKey}`, (d) => d.users.delete({ userKey }), { onNotFound: () => undefined });
      return { mode: 'deleted' };
    }
    const suspended = await this.session.call(
      `users.patch ${userKey} (suspend)`,
      async (d) => {
        await d.users.patch({ userKey, requestBody: { suspended: true } });
        return true;
      },
      { onNotFound: () => false },
    );
    // Already gone: nothing left to reactivate later.
    return { mode: suspended ? 'deactivated' : 'deleted' };
  }

  async findUser(lookup: UserLookup): Promise<RemoteRef | null> {
    const email = primaryEmailOf(lookup, this.config.domain);
    if (email) {
      const found = await this.session.call(`users.get ${email}`, async (d) => (await d.users.get({ userKey: email })).data, { onNotFound: () => null });
      if (found) return refOf(found, remoteNameOf(lookup, email));
    }
    const externalId = lookup.attributes['externalId'];
    if (typeof externalId !== 'string' || externalId === '') return null;
    const quoted = externalId.includes("'") ? `"${externalId}"` : `'${externalId}'`;
    const { data } = await this.session.call(`users.list externalId`, (d) =>
      d.users.list({ customer: this.config.customer, query: `externalId:${quoted}`, maxResults: 2 }),
    );
    const users = data.users ?? [];
    if (users.length > 1) throw new PermanentError(`more than one Google user has externalId ${externalId}: link the account by hand`);
    return users[0] ? refOf(users[0]) : null;
  }

  async createGroup(payload: GroupPayload): Promise<RemoteRef> {
    const body = toGroupInsertBody(payload, this.config.domain);
    const { data } = await this.session.call(`groups.insert ${body.email}`, (d) => d.groups.insert({ requestBody: body }));
    if (!data.id) throw new PermanentError('Google answered a group without an id');
    // The link's name is the displayName: core compares it with the local group to spot renames.
    return { remoteId: data.id, remoteName: payload.group.displayName };
  }

  async updateGroup(update: GroupUpdate): Promise<RemoteRef> {
    const body = toGroupPatchBody(update, this.config.domain);
    await this.session.call(`groups.patch ${update.remoteId}`, (d) => d.groups.patch({ groupKey: update.remoteId, requestBody: body }));
    return { remoteId: update.remoteId, remoteName: update.group.displayName };
  }

  async deleteGroup(deletion: GroupDeletion): Promise<void> {
    const groupKey = deletion.remoteId;
    await this.session.call(`groups.delete ${groupKey}`, (d) => d.groups.delete({ groupKey }), { onNotFound: () => undefined });
  }

  /**
   * By address first. A rename keeps a group's address (unless the mapping gives `email`), so a
   * group renamed since it was created has the address of its old name: without a mapped email,
   * look for it by its name too.
   */
  async findGroup(lookup: GroupLookup): Promise<RemoteRef | null> {
    const payload = { attributes: lookup.attributes, group: { displayName: lookup.displayName } };
    const email = groupEmailOf(payload, this.config.domain);
    const found = await this.session.call(`groups.get ${email}`, async (d) => (await d.groups.get({ groupKey: email })).data, { onNotFound: () => null });
    if (found?.id) return { remoteId: found.id, remoteName: lookup.displayName };
    if (hasMappedEmail(lookup.attributes)) return null;
    const name = groupNameOf(payload);
    const quoted = name.includes("'") ? `"${name}"` : `'${name}'`;
    const { data } = await this.session.call(`groups.list name`, (d) => d.groups.list({ customer: this.config.customer, query: `name=${quoted}`, maxResults: 2 }));
    const named = (data.groups ?? []).filter((g) => g.name === name && g.id);
    if (named.length > 1) throw new PermanentError(`more than one Google group is named "${name}": link the group by hand or map email in groupMapping`);
    return named[0]?.id ? { remoteId: named[0].id, remoteName: lookup.displayName } : null;
  }

  /** A member already in the group (409 duplicate) counts as added. */
  async addMembers(change: MembershipChange): Promise<void> {
    const calls: BatchCall[] = change.memberRemoteIds.map((id) => ({ method: 'POST', path: `/groups/${encodeURIComponent(change.groupRemoteId)}/members`, body: { id, role: 'MEMBER' } }));
    await this.runMembershipCalls(`members.insert into ${change.groupRemoteId}`, calls, 409);
  }

  /** A member no longer in the group (404) counts as removed. */
  async removeMembers(change: MembershipChange): Promise<void> {
    const group = encodeURIComponent(change.groupRemoteId);
    const calls: BatchCall[] = change.memberRemoteIds.map((id) => ({ method: 'DELETE', path: `/groups/${group}/members/${encodeURIComponent(id)}` }));
    await this.runMembershipCalls(`members.delete from ${change.groupRemoteId}`, calls, 404);
  }

  provisionBatch(operations: BatchOperation[]): Promise<BatchOutcome[]> {
    return provisionUserBatch(this, operations);
  }

  async check(): Promise<HealthReport> {
    try {
      await this.session.authorize();
      const details: Record<string, unknown> = {};
      if (this.config.scopes.some((s) => CUSTOMER_SCOPE.test(s))) {
        const { data } = await this.session.call('customers.get', (d) => d.customers.get({ customerKey: this.config.customer }));
        Object.assign(details, { customerId: data.id, customerDomain: data.customerDomain });
      }
      // Listing by domain proves the user scope, the delegation and that the domain is this customer's.
      await this.session.call(`users.list domain ${this.config.domain}`, (d) => d.users.list({ domain: this.config.domain, maxResults: 1 }));
      const customer = details['customerId'] ? `; customer ${String(details['customerId'])} (primary domain ${String(details['customerDomain'])})` : '';
      const actor = this.session.errorContext.serviceAccountEmail;
      return { ok: true, message: `authenticated as ${actor} acting for ${this.config.adminEmail}${customer}; domain ${this.config.domain} is readable`, details };
    } catch (error) {
      const known = isPermanentError(error) || isTransientError(error);
      return { ok: false, message: known ? error.message : `unexpected ${error instanceof Error ? error.name : 'error'} while checking Google` };
    }
  }

  async close(): Promise<void> {
    this.session.close();
  }

  /** Membership changes go in batches: one request for up to 1,000 members. */
  private async runMembershipCalls(operation: string, calls: BatchCall[], alreadyDoneStatus: number): Promise<void> {
    if (calls.length === 0) return;
    const results = await sendBatch(this.session, calls);
    const failures = results
      .filter((r) => !isSuccess(r) && r.status !== alreadyDoneStatus)
      .map((r) => classifyGoogleFailure(r, operation, this.session.errorContext));
    if (failures.length === 0) return;
    const first = failures.find(isTransientError) ?? failures[0];
    const summary = `${failures.length} of ${calls.length} membership change(s) failed; first: ${first.message}`;
    // Adding or removing again is harmless, so one transient failure makes the whole change worth retrying.
    throw isTransientError(first) ? new TransientError(summary, { remoteCode: first.remoteCode, retryAfterMs: first.retryAfterMs }) : new PermanentError(summary, { remoteCode: first.remoteCode });
  }

  private async addAliases(userKey: string, aliases: readonly string[]): Promise<void> {
    for (const alias of aliases) {
      await this.session.call(`users.aliases.insert ${alias}`, (d) => d.users.aliases.insert({ userKey, requestBody: { alias } }), { onDuplicate: () => undefined });
    }
  }

  /** Aliases are a list Google keeps apart from the user: add the missing, remove the extra. */
  private async syncAliases(userKey: string, wanted: readonly string[]): Promise<void> {
    const { data } = await this.session.call(`users.aliases.list ${userKey}`, (d) => d.users.aliases.list({ userKey }));
    const current = (data.aliases ?? []).map((a) => (a as { alias?: string }).alias).filter((a): a is string => typeof a === 'string');
    await this.addAliases(userKey, wanted.filter((a) => !current.includes(a)));
    for (const alias of current.filter((a) => !wanted.includes(a))) {
      await this.session.call(`users.aliases.delete ${alias}`, (d) => d.users.aliases.delete({ userKey, alias }), { onNotFound: () => undefined });
    }
  }
}

export const googleConnector = defineConnector({
  type: 'google',
  displayName: 'Google Workspace',
  description: 'Users, groups and memberships in Google Workspace through the Admin SDK Directory API, as a service account with domain-wide delegation.',
  configSchema: googleConfigSchema,
  secretFields: GOOGLE_SECRET_FIELDS,
  capabilities: { users: true, groups: true, batch: { maxOperations: 1000, eachOperationCounts: true }, passwords: true },
  defaultMapping: DEFAULT_USER_MAPPING,
  defaultGroupMapping: DEFAULT_GROUP_MAPPING,
  create: (config, ctx) => new GoogleConnector(config, ctx),
});
