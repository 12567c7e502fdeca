import type { GroupDeletion, GroupLookup, GroupPayload, GroupUpdate, MembershipChange, RemoteCallOptions, RemoteRef } from '@provisio/core';
import type { ScimConfig } from './scim-config.js';
import { asObject, filterLiteral, type JsonObject, type ScimDialect } from './scim-dialect.js';
import { resourceUrl } from './scim-endpoints.js';
import type { ScimOperation } from './scim-errors.js';
import { addMembersPatch, buildGroupResource, memberIdsOf, removeMembersPatch, renamePatch } from './scim-group-mapper.js';
import type { ServiceConfigCache } from './scim-service-config.js';
import type { ScimSession } from './scim-session.js';
import { listResources, remoteIdOf } from './scim-users.js';

const PATCH_REFUSED = [501, 405];

/** Group operations; membership by PATCH, or read-modify-PUT on services without PATCH. */
export class ScimGroups {
  constructor(
    private readonly session: ScimSession,
    private readonly dialect: ScimDialect,
    private readonly config: ScimConfig,
    private readonly endpoint: string,
    private readonly features: ServiceConfigCache,
  ) {}

  async create(payload: GroupPayload, { signal }: RemoteCallOptions = {}): Promise<RemoteRef> {
    const name = groupName(payload);
    const body = buildGroupResource(this.dialect, name, payload.localId);
    const response = await this.session.expectOk({ method: 'POST', url: this.endpoint, body, operation: 'create', signal });
    return { remoteId: remoteIdOf(response), remoteName: name };
  }

  async update(update: GroupUpdate, { signal }: RemoteCallOptions = {}): Promise<RemoteRef> {
    const name = groupName(update);
    await this.modify(update.remoteId, renamePatch(this.dialect, name), (group) => ({ ...group, displayName: name }), signal);
    return { remoteId: update.remoteId, remoteName: name };
  }

  async delete(deletion: GroupDeletion, { signal }: RemoteCallOptions = {}): Promise<void> {
    await this.session.expectOk(
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
      const first = asObject(listResources(await this.session.expectOk({ method: 'GET', url, operation: 'read', signal }))[0]);
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
      addMembersPatch(this.dialect, ids),
      (group) => withMembers(group, [...new Set([...memberIdsOf(group), ...ids])]),
      signal,
    );
  }

  async removeMembers(change: MembershipChange, { signal }: RemoteCallOptions = {}): Promise<void> {
    if (change.memberRemoteIds.length === 0) return;
    const gone = new Set(change.memberRemoteIds);
    await this.modify(
      change.groupRemoteId,
      removeMembersPatch(this.dialect, change.memberRemoteIds),
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
    if (await this.features.usePatch()) {
      const response = await this.session.send({ method: 'PATCH', url, body: patch, operation, signal });
      if (response.status >= 200 && response.status < 300) return;
      if (!PATCH_REFUSED.includes(response.status) || this.config.patch === 'always')
        throw this.session.errorFor({ method: 'PATCH', url, operation }, response);
      this.features.patchWasRefused();
    }
    const current = asObject((await this.session.expectOk({ method: 'GET', url, operation, signal })).body) ?? {};
    const { meta: _meta, ...rest } = current;
    await this.session.expectOk({ method: 'PUT', url, body: change(rest), operation, signal });
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
