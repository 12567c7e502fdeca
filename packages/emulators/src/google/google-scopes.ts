// OAuth scopes of the Directory API and which of them each kind of call accepts.

const AUTH = 'https://www.googleapis.com/auth/';

export const SCOPES = {
  user: `${AUTH}admin.directory.user`,
  userReadonly: `${AUTH}admin.directory.user.readonly`,
  userAlias: `${AUTH}admin.directory.user.alias`,
  userAliasReadonly: `${AUTH}admin.directory.user.alias.readonly`,
  group: `${AUTH}admin.directory.group`,
  groupReadonly: `${AUTH}admin.directory.group.readonly`,
  groupMember: `${AUTH}admin.directory.group.member`,
  groupMemberReadonly: `${AUTH}admin.directory.group.member.readonly`,
  customer: `${AUTH}admin.directory.customer`,
  customerReadonly: `${AUTH}admin.directory.customer.readonly`,
  domain: `${AUTH}admin.directory.domain`,
  domainReadonly: `${AUTH}admin.directory.domain.readonly`,
  orgunit: `${AUTH}admin.directory.orgunit`,
  orgunitReadonly: `${AUTH}admin.directory.orgunit.readonly`,
} as const;

export const DIRECTORY_SCOPES: readonly string[] = Object.values(SCOPES);

/** Scope sets per access kind: a token needs at least one scope of the set. */
export const REQUIRED_SCOPES = {
  userRead: [SCOPES.user, SCOPES.userReadonly],
  userWrite: [SCOPES.user],
  aliasRead: [SCOPES.user, SCOPES.userReadonly, SCOPES.userAlias, SCOPES.userAliasReadonly],
  aliasWrite: [SCOPES.user, SCOPES.userAlias],
  groupRead: [SCOPES.group, SCOPES.groupReadonly],
  groupWrite: [SCOPES.group],
  memberRead: [SCOPES.group, SCOPES.groupReadonly, SCOPES.groupMember, SCOPES.groupMemberReadonly],
  memberWrite: [SCOPES.group, SCOPES.groupMember],
  customerRead: [SCOPES.customer, SCOPES.customerReadonly],
  domainRead: [SCOPES.domain, SCOPES.domainReadonly],
} as const;

export type ScopeRequirement = keyof typeof REQUIRED_SCOPES;

/** Scopes Google recognises at the token endpoint; anything else is `invalid_scope`. */
export function isKnownGoogleScope(scope: string): boolean {
  return scope.startsWith(AUTH) || scope === 'openid' || scope === 'email' || scope === 'profile';
}
