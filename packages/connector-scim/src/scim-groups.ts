import type { GroupDeletion, GroupLookup, GroupPayload, GroupUpdate, MembershipChange, RemoteCallOptions, RemoteRef } from '@provisio/core';
import { asObject, filterLiteral, type JsonObject } from './scim-dialect.js';
import { resourceUrl } from './scim-endpoints.js';
import type { ScimOperation } from './scim-errors.js';
import { addMembersPatch, buildGroupResource, memberIdsOf, removeMembersPatch, renamePatch } from './scim-group-mapper.js';
import { listResources, remoteIdOf, type ScimResourceParts } from './scim-users.js';

const PATCH_REFUSED = [501, 405];

/** Group operations; membership by PATCH, or read-modify-PUT on services without PATCH. */
export class ScimGroups {
  constructor(
    private readonly parts: ScimResourceParts,
    private readonly endpoint: string,
  ) {}

  async create(payload: GroupPayload, { signal }: RemoteCallOptions = {}): Promise<RemoteRef> {
    const name = groupName(payload);
    const body = buildGroupResource(this.parts.dialect, name, payload.localId);
    const response = await this.parts.session.expectOk({ method: 'POST', url: this.endpoint, body, operation: 'create', signal });
    return { remoteId: remoteIdOf(response), remoteName: name };
  }

  async update(update: GroupUpdate, { signal }: RemoteCallOptions = {}): Promise<RemoteRef> {
    const name = groupName(update);
    await this.modify(update.remoteId, renamePatch(this.parts.dialect, name), (group) => ({ ...group, displayName: name }), signal);
    return { remoteId: update.remoteId, remoteName: name };
  }

  async delete(deletion: GroupDeletion, { signal }: RemoteCallOptions = {}): Promise<void> {
    await this.parts.session.expectOk(
      { method: 'DELETE', url: resourceUrl(this.endpoint, deletion.remoteId), operation: 'delete', signal },
      [404],
    );
  }

  async find(lookup: GroupLookup, { signal }: RemoteCallOptions = {}): Promise<RemoteRef | null> {
    const filters = [
      `displayName eq ${filterLiteral(lookup.accountName ?? lookup.displayName)}`,
      `externalId eq ${filterLiteral(lookup.localId)}`,
    ];
    for (const filter of filters) {
      const url = `${this.endpoint}?filter=${encodeURIComponent(filter)}&attributes=displayName`;
      const first = asObject(listResources(await this.parts.session.expectOk({ method: 'GET', url, operation: 'read', signal }))[0]);
      if (first && typeof first['id'] === 'string') {
        return { remoteId: first['id'], remoteName: typeof first['displayName'] === 'string' ? first['displayName'] : undefined };
      }
    }
    return null;
  }

  async addMembers(change: MembershipChange, { signal }: RemoteCallOptions = {}): Promise<void> {
    if (change.memberRemoteIds.length === 0) return;
    const ids = change.memberRemoteIds;
    await this.modify(
      change.groupRemoteId,
      addMembersPatch(this.parts.dialect, ids),
      (group) => withMembers(group, [...new Set([...memberIdsOf(group), ...ids])]),
      signal,
    );
  }

  async removeMembers(change: MembershipChange, { signal }: RemoteCallOptions = {}): Promise<void> {
    if (change.memberRemoteIds.length === 0) return;
    const gone = new Set(change.memberRemoteIds);
    await this.modify(
      change.groupRemoteId,
      removeMembersPatch(this.parts.dialect, change.memberRemoteIds),
      (group) =>
        withMembers(
          group,
          memberIdsOf(group).filter((id) => !gone.has(id)),
        ),
      signal,
    );
  }

  /** PATCH when the service does it; else GET, change, PUT (the whole group, members included). */
  private async modify(
    id: string,
    patch: JsonObject,
    change: (group: JsonObject) => JsonObject,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const url = resourceUrl(this.endpoint, id);
    const operation: ScimOperation = 'update';
    if (await this.parts.features.usePatch()) {
      const response = await this.parts.session.send({ method: 'PATCH', url, body: patch, operation, signal });
      if (response.status >= 200 && response.status < 300) return;
      if (!PATCH_REFUSED.includes(response.status) || this.parts.config.patch === 'always')
        throw this.parts.session.errorFor({ method: 'PATCH', url, operation }, response);
      this.parts.features.patchWasRefused();
    }
    const current = asObject((await this.parts.session.expectOk({ method: 'GET', url, operation, signal })).body) ?? {};
    const { meta: _meta, ...rest } = current;
    await this.parts.session.expectOk({ method: 'PUT', url, body: change(rest), operation, signal });
  }
}

function groupName(payload: GroupPayload): string {
  const mapped = payload.attributes['displayName'];
  return payload.accountName ?? (typeof mapped === 'string' && mapped !== '' ? mapped : payload.group.displayName);
}

function withMembers(group: JsonObject, ids: string[]): JsonObject {
  const { members: _members, ...rest } = group;
  return ids.length > 0 ? { ...rest, members: ids.map((value) => ({ value })) } : rest;
}
