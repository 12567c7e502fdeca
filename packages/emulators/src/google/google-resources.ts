// Renders stored records as the Directory API's JSON resources (never with a password).
import type { JsonObject } from './google-http-types.js';
import { isJsonObject } from './google-http-types.js';
import type { GroupRecord, MemberRecord, UserRecord } from './google-state.js';

export function fullNameOf(name: JsonObject | undefined): string {
  if (!name) return '';
  const parts = [name['givenName'], name['familyName']].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.join(' ');
}

export function toUserResource(user: UserRecord, customerId: string): JsonObject {
  const name = isJsonObject(user.fields['name']) ? user.fields['name'] : {};
  const extraEmails = Array.isArray(user.fields['emails']) ? user.fields['emails'] : [];
  const resource: JsonObject = {
    kind: 'admin#directory#user',
    id: user.id,
    etag: user.etag,
    primaryEmail: user.primaryEmail,
    name: { ...name, fullName: fullNameOf(name) },
    isAdmin: user.isAdmin,
    isDelegatedAdmin: false,
    lastLoginTime: '1970-01-01T00:00:00.000Z',
    creationTime: user.creationTime,
    agreedToTerms: user.isAdmin,
    suspended: false,
    archived: false,
    changePasswordAtNextLogin: false,
    ipWhitelisted: false,
    customerId,
    orgUnitPath: '/',
    isMailboxSetup: true,
    isEnrolledIn2Sv: false,
    isEnforcedIn2Sv: false,
    includeInGlobalAddressList: true,
  };
  for (const [key, value] of Object.entries(user.fields)) {
    if (key !== 'name' && key !== 'emails' && value !== null) resource[key] = value;
  }
  resource['emails'] = [
    { address: user.primaryEmail, primary: true },
    ...user.aliases.map((alias) => ({ address: alias })),
    ...extraEmails,
  ];
  if (user.aliases.length > 0) resource['aliases'] = [...user.aliases];
  return resource;
}

export function toAliasResource(user: UserRecord, alias: string, etag: string): JsonObject {
  return { kind: 'admin#directory#alias', id: user.id, etag, primaryEmail: user.primaryEmail, alias };
}

export function toGroupResource(group: GroupRecord, directMembersCount: number): JsonObject {
  const resource: JsonObject = {
    kind: 'admin#directory#group',
    id: group.id,
    etag: group.etag,
    email: group.email,
    name: group.name,
    directMembersCount: String(directMembersCount),
    description: group.description,
    adminCreated: true,
  };
  if (group.aliases.length > 0) resource['aliases'] = [...group.aliases];
  return resource;
}

export function toMemberResource(member: MemberRecord): JsonObject {
  return {
    kind: 'admin#directory#member',
    etag: member.etag,
    id: member.memberId,
    email: member.email,
    role: member.role,
    type: member.type === 'EXTERNAL' ? 'USER' : member.type,
    status: 'ACTIVE',
    delivery_settings: member.deliverySettings,
  };
}
