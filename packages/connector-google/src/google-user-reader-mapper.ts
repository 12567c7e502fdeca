import type { admin_directory_v1 } from '@googleapis/admin';
import type { MappedAttributes, RemoteUser } from '@provisio/core';
import { assertKnownFields, USER_FIELDS, type GoogleUser } from './google-user-mapper.js';

type UserField = keyof typeof USER_FIELDS;

/** The part of Google's User resource each flat field is read from (a `fields` selector element). */
const SOURCE_OF: Record<UserField, string> = {
  primaryEmail: 'primaryEmail',
  givenName: 'name',
  familyName: 'name',
  orgUnitPath: 'orgUnitPath',
  title: 'organizations',
  department: 'organizations',
  organization: 'organizations',
  costCenter: 'organizations',
  phone: 'phones',
  mobile: 'phones',
  externalId: 'externalIds',
  recoveryEmail: 'recoveryEmail',
  recoveryPhone: 'recoveryPhone',
  includeInGlobalAddressList: 'includeInGlobalAddressList',
  aliases: 'aliases',
};

/** The flat fields asked for, checked: a name the connector does not know is a PermanentError. */
export function readableFields(asked: readonly string[]): UserField[] {
  assertKnownFields(Object.fromEntries(asked.map((f) => [f, true])));
  return [...new Set(asked)] as UserField[];
}

/** The User resource fields to ask Google for (partial response), always with id, primaryEmail and suspended. */
export function userFieldSelector(fields: readonly UserField[]): string {
  return [...new Set(['id', 'primaryEmail', 'suspended', ...fields.map((f) => SOURCE_OF[f])])].join(',');
}

function primaryOrFirst<T extends { primary?: boolean | null }>(list: unknown): T | undefined {
  if (!Array.isArray(list)) return undefined;
  const items = list as T[];
  return items.find((i) => i.primary === true) ?? items[0];
}

function typed<T extends { type?: string | null; value?: string | null }>(list: unknown, type: string): string | undefined {
  if (!Array.isArray(list)) return undefined;
  return (list as T[]).find((i) => i.type === type)?.value ?? undefined;
}

/** One flat field of a Google user, read where toInsertBody writes it (the inverse of google-user-mapper.ts). */
function valueOf(user: GoogleUser, field: UserField): unknown {
  const organization = primaryOrFirst<admin_directory_v1.Schema$UserOrganization>(user.organizations);
  switch (field) {
    case 'givenName':
      return user.name?.givenName;
    case 'familyName':
      return user.name?.familyName;
    case 'title':
      return organization?.title;
    case 'department':
      return organization?.department;
    case 'organization':
      return organization?.name;
    case 'costCenter':
      return organization?.costCenter;
    case 'phone':
      return typed(user.phones, 'work');
    case 'mobile':
      return typed(user.phones, 'mobile');
    case 'externalId':
      return typed(user.externalIds, 'organization');
    default:
      return user[field];
  }
}

export function remoteUserOf(user: GoogleUser, fields: readonly UserField[]): RemoteUser {
  const attributes: MappedAttributes = {};
  for (const field of fields) {
    const value = valueOf(user, field);
    if (value !== undefined && value !== null && value !== '') attributes[field] = value;
  }
  return {
    remoteId: String(user.id),
    ...(user.primaryEmail ? { remoteName: user.primaryEmail } : {}),
    active: user.suspended !== true,
    attributes,
  };
}
