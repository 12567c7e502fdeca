import type { MappedAttributes, UserDeletion, UserPayload, UserUpdate } from '@provisio/core';
import type { ScimConfig } from './scim-config.js';
import type { JsonObject } from './scim-dialect.js';
import { buildUserResource } from './scim-user-mapper.js';
import type { ScimUserModel } from './scim-user-model.js';
import { buildUserPatch, type PatchOptions } from './scim-user-patch.js';

/** One SCIM write, relative to the Users endpoint (`id` undefined: the collection). */
export interface UserWrite {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  id?: string;
  body?: JsonObject;
  /** The password in the body, to scrub from anything the service echoes. */
  password?: string;
  /** A PATCH that addresses values by filtered paths (see PatchOptions). */
  filtered?: boolean;
  /** A PATCH that replaces a value named by a filter (see UserPatch). */
  replacesFiltered?: boolean;
}

/** WSO2's addDomainToName: "DOMAIN/name", unless PRIMARY or the name already has a domain. */
export function withUserStoreDomain(userName: string, domain: string | undefined): string {
  if (!domain || domain.toUpperCase() === 'PRIMARY' || userName.includes('/')) return userName;
  return `${domain.toUpperCase()}/${userName}`;
}

/**
 * Builds the requests for user operations (shared by single calls, /Bulk and the preview), from the
 * mapping resolved against the target's schema (`model`). The userName sent is the provisioning
 * pattern's accountName when there is one, else the mapped `userName`, else the local userName;
 * externalId defaults to Provisio's local id.
 */
export class UserRequests {
  constructor(private readonly config: Pick<ScimConfig, 'userStoreDomain' | 'enablePasswordProvisioning' | 'defaultPassword'>) {}

  userName(payload: { accountName?: string; attributes: MappedAttributes; user?: { userName: string } }): string | undefined {
    const raw = payload.accountName ?? payload.attributes['userName'] ?? payload.user?.userName;
    return raw === undefined || raw === null || raw === '' ? undefined : withUserStoreDomain(String(raw), this.config.userStoreDomain);
  }

  externalId(payload: { localId: string; attributes: MappedAttributes }): string {
    const mapped = payload.attributes['externalId'];
    return mapped === undefined || mapped === null || mapped === '' ? payload.localId : String(mapped);
  }

  /** The received password when forwarding is on; on create, else the default password. */
  password(payload: Pick<UserPayload, 'password'>, creating: boolean): string | undefined {
    if (this.config.enablePasswordProvisioning && payload.password !== undefined) return payload.password;
    return creating ? this.config.defaultPassword : undefined;
  }

  create(model: ScimUserModel, payload: UserPayload): UserWrite {
    const password = this.password(payload, true);
    const body = buildUserResource(model, payload.attributes, {
      userName: this.userName(payload),
      externalId: this.externalId(payload),
      password,
    });
    return { method: 'POST', body, password };
  }

  /** A PatchOp / partial resource with only what changed, or undefined when nothing did. */
  patch(model: ScimUserModel, update: UserUpdate, options: PatchOptions): UserWrite | undefined {
    const password = this.password(update, false);
    const renamed = update.accountName !== undefined || 'userName' in update.changed;
    const change = { changed: withoutUserName(update.changed), attributes: withoutUserName(update.attributes) };
    const patch = buildUserPatch(
      model,
      change,
      { userName: renamed ? this.userName(update) : undefined, active: update.reactivate ? true : undefined, password },
      options,
    );
    if (patch.empty) return undefined;
    const { body, filtered, replacesFiltered } = patch;
    return { method: 'PATCH', id: update.remoteId, body, password, filtered, replacesFiltered };
  }

  /** PUT of the full mapped resource (targets without PATCH). */
  replace(model: ScimUserModel, update: UserUpdate): UserWrite {
    const password = this.password(update, false);
    const body = buildUserResource(model, update.attributes, {
      userName: this.userName(update),
      externalId: this.externalId(update),
      active: update.reactivate ? true : undefined,
      password,
    });
    return { method: 'PUT', id: update.remoteId, body, password };
  }

  remove(deletion: UserDeletion): UserWrite {
    return { method: 'DELETE', id: deletion.remoteId };
  }

  deactivate(model: ScimUserModel, deletion: UserDeletion): UserWrite {
    const patch = buildUserPatch(model, { changed: {}, attributes: {} }, { active: false }, { valueFilters: false });
    return { method: 'PATCH', id: deletion.remoteId, body: patch.body };
  }
}

function withoutUserName(changed: MappedAttributes): MappedAttributes {
  const { userName: _userName, ...rest } = changed;
  return rest;
}
