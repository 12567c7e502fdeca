import {
  PermanentError,
  TransientError,
  isTransientError,
  type GroupDeletion,
  type GroupLookup,
  type GroupPayload,
  type GroupUpdate,
  type MembershipChange,
  type RemoteRef,
} from '@provisio/core';
import { isSuccess, sendBatch, type BatchCall } from './google-batch.js';
import type { GoogleConfig } from './google-config.js';
import { classifyGoogleFailure } from './google-errors.js';
import { groupEmailOf, groupNameOf, hasMappedEmail, toGroupInsertBody, toGroupPatchBody } from './google-group-mapper.js';
import type { GoogleSession } from './google-session.js';

/** Google Workspace groups and their members (membership changes go through the batch endpoint). */
export class GoogleGroups {
  constructor(
    private readonly session: GoogleSession,
    private readonly config: GoogleConfig,
  ) {}

  async create(payload: GroupPayload): Promise<RemoteRef> {
    const body = toGroupInsertBody(payload, this.config.domain);
    const { data } = await this.session.call(`groups.insert ${body.email}`, (d) => d.groups.insert({ requestBody: body }));
    if (!data.id) throw new PermanentError('Google answered a group without an id');
    // The link's name is the displayName: core compares it with the local group to spot renames.
    return { remoteId: data.id, remoteName: payload.group.displayName };
  }

  async update(update: GroupUpdate): Promise<RemoteRef> {
    const body = toGroupPatchBody(update, this.config.domain);
    await this.session.call(`groups.patch ${update.remoteId}`, (d) => d.groups.patch({ groupKey: update.remoteId, requestBody: body }));
    return { remoteId: update.remoteId, remoteName: update.group.displayName };
  }

  async delete(deletion: GroupDeletion): Promise<void> {
    const groupKey = deletion.remoteId;
    await this.session.call(`groups.delete ${groupKey}`, (d) => d.groups.delete({ groupKey }), { onNotFound: () => undefined });
  }

  /**
   * By address first. A rename keeps a group's address (unless the mapping gives `email`), so a
   * group renamed since it was created has the address of its old name: without a mapped email,
   * look for it by its name too.
   */
  async find(lookup: GroupLookup): Promise<RemoteRef | null> {
    const payload = { attributes: lookup.attributes, group: { displayName: lookup.displayName } };
    const email = groupEmailOf(payload, this.config.domain);
    const found = await this.session.call(`groups.get ${email}`, async (d) => (await d.groups.get({ groupKey: email })).data, {
      onNotFound: () => null,
    });
    if (found?.id) return { remoteId: found.id, remoteName: lookup.displayName };
    if (hasMappedEmail(lookup.attributes)) return null;
    const name = groupNameOf(payload);
    const quoted = name.includes("'") ? `"${name}"` : `'${name}'`;
    const { data } = await this.session.call(`groups.list name`, (d) =>
      d.groups.list({ customer: this.config.customer, query: `name=${quoted}`, maxResults: 2 }),
    );
    const named = (data.groups ?? []).filter((g) => g.name === name && g.id);
    if (named.length > 1)
      throw new PermanentError(`more than one Google group is named "${name}": link the group by hand or map email in groupMapping`);
    return named[0]?.id ? { remoteId: named[0].id, remoteName: lookup.displayName } : null;
  }

  /** A member already in the group (409 duplicate) counts as added. */
  async addMembers(change: MembershipChange): Promise<void> {
    const calls: BatchCall[] = change.memberRemoteIds.map((id) => ({
      method: 'POST',
      path: `/groups/${encodeURIComponent(change.groupRemoteId)}/members`,
      body: { id, role: 'MEMBER' },
    }));
    await this.runMembershipCalls(`members.insert into ${change.groupRemoteId}`, calls, 409);
  }

  /** A member no longer in the group (404) counts as removed. */
  async removeMembers(change: MembershipChange): Promise<void> {
    const group = encodeURIComponent(change.groupRemoteId);
    const calls: BatchCall[] = change.memberRemoteIds.map((id) => ({
      method: 'DELETE',
      path: `/groups/${group}/members/${encodeURIComponent(id)}`,
    }));
    await this.runMembershipCalls(`members.delete from ${change.groupRemoteId}`, calls, 404);
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
    throw isTransientError(first)
      ? new TransientError(summary, { remoteCode: first.remoteCode, retryAfterMs: first.retryAfterMs })
      : new PermanentError(summary, { remoteCode: first.remoteCode });
  }
}
