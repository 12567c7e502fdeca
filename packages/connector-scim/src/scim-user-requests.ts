import type { MappedAttributes, UserDeletion, UserPayload, UserUpdate } from '@provisio/core';
import type { ScimConfig } from './scim-config.js';
import type { JsonObject, ScimDialect } from './scim-dialect.js';
import { buildUserPatch, buildUserResource, isEmptyPatch } from './scim-user-mapper.js';

/** One SCIM write, relative to the Users endpoint (`id` undefined: the collection). */
export interface UserWrite {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  id?: string;
  body?: JsonObject;
  /** The password in the body, to scrub from anything the service echoes. */
  password?: string;
}

/** WSO2's addDomainToName: "DOMAIN/name", unless PRIMARY or the name already has a domain. */
export function withUserStoreDomain(userName: string, domain: string | undefined): string {
  if (!domain || domain.toUpperCase() === 'PRIMARY' || userName.includes('/')) return userName;
  return `${domain.toUpperCase()}/${userName}`;
}

/**
 * Builds the requests for user operations (shared by single calls and /Bulk). The
 * userName sent is the provisioning pattern's accountName when there is one, else the
 * mapped `userName`, else the local userName; externalId defaults to Provisio's local id.
 */
export class UserRequests {
  constructor(
    private readonly dialect: ScimDialect,
    private readonly config: Pick<ScimConfig, 'userStoreDomain' | 'enablePasswordProvisioning' | 'defaultPassword'>,
  ) {}

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

  create(payload: UserPayload): UserWrite {
    const password = this.password(payload, true);
    const body = buildUserResource(this.dialect, payload.attributes, {
      userName: this.userName(payload),
      externalId: this.externalId(payload),
      password,
    });
    return { method: 'POST', body, password };
  }

  /** A PatchOp / partial resource with only what changed, or undefined when nothing did. */
  patch(update: UserUpdate): UserWrite | undefined {
    const password = this.password(update, false);
    const renamed = update.accountName !== undefined || 'userName' in update.changed;
    const body = buildUserPatch(this.dialect, withoutUserName(update.changed), {
      userName: renamed ? this.userName(update) : undefined,
      active: update.reactivate ? true : undefined,
      password,
    });
    return isEmptyPatch(this.dialect, body) ? undefined : { method: 'PATCH', id: update.remoteId, body, password };
  }

  /** PUT of the full mapped resource (targets without PATCH). */
  replace(update: UserUpdate): UserWrite {
    const password = this.password(update, false);
    const body = buildUserResource(this.dialect, update.attributes, {
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

  deactivate(deletion: UserDeletion): UserWrite {
    return { method: 'PATCH', id: deletion.remoteId, body: buildUserPatch(this.dialect, {}, { active: false }) };
  }
}

function withoutUserName(changed: MappedAttributes): MappedAttributes {
  const { userName: _userName, ...rest } = changed;
  return rest;
}
