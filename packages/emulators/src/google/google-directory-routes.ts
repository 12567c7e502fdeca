// Route table of the Directory API: method + path -> handler and the scopes it needs.
import { getCustomer, getDomain, listDomains } from './google-customer-api.js';
import type { DirectoryHandler } from './google-directory-context.js';
import { deleteGroup, getGroup, insertGroup, listGroups, patchGroup } from './google-groups-api.js';
import { deleteMember, getMember, hasMember, insertMember, listMembers, patchMember } from './google-members-api.js';
import type { ScopeRequirement } from './google-scopes.js';
import {
  deleteUser,
  deleteUserAlias,
  getUser,
  insertUser,
  insertUserAlias,
  listUserAliases,
  listUsers,
  patchUser,
} from './google-users-api.js';

interface DirectoryRoute {
  method: string;
  pattern: RegExp;
  scope: ScopeRequirement;
  handler: DirectoryHandler;
}

const BASE = '/admin/directory/v1';
const SEGMENT = '([^/]+)';

function route(method: string, path: string, scope: ScopeRequirement, handler: DirectoryHandler): DirectoryRoute {
  return { method, pattern: new RegExp(`^${BASE}${path.replaceAll('{}', SEGMENT)}$`), scope, handler };
}

const DIRECTORY_ROUTES: readonly DirectoryRoute[] = [
  route('GET', '/users', 'userRead', listUsers),
  route('POST', '/users', 'userWrite', insertUser),
  route('GET', '/users/{}', 'userRead', getUser),
  route('PATCH', '/users/{}', 'userWrite', patchUser),
  route('PUT', '/users/{}', 'userWrite', patchUser),
  route('DELETE', '/users/{}', 'userWrite', deleteUser),
  route('GET', '/users/{}/aliases', 'aliasRead', listUserAliases),
  route('POST', '/users/{}/aliases', 'aliasWrite', insertUserAlias),
  route('DELETE', '/users/{}/aliases/{}', 'aliasWrite', deleteUserAlias),
  route('GET', '/groups', 'groupRead', listGroups),
  route('POST', '/groups', 'groupWrite', insertGroup),
  route('GET', '/groups/{}', 'groupRead', getGroup),
  route('PATCH', '/groups/{}', 'groupWrite', patchGroup),
  route('PUT', '/groups/{}', 'groupWrite', patchGroup),
  route('DELETE', '/groups/{}', 'groupWrite', deleteGroup),
  route('GET', '/groups/{}/members', 'memberRead', listMembers),
  route('POST', '/groups/{}/members', 'memberWrite', insertMember),
  route('GET', '/groups/{}/members/{}', 'memberRead', getMember),
  route('PATCH', '/groups/{}/members/{}', 'memberWrite', patchMember),
  route('PUT', '/groups/{}/members/{}', 'memberWrite', patchMember),
  route('DELETE', '/groups/{}/members/{}', 'memberWrite', deleteMember),
  route('GET', '/groups/{}/hasMember/{}', 'memberRead', hasMember),
  route('GET', '/customers/{}', 'customerRead', getCustomer),
  route('GET', '/customer/{}/domains', 'domainRead', listDomains),
  route('GET', '/customer/{}/domains/{}', 'domainRead', getDomain),
];

export interface MatchedRoute {
  route: DirectoryRoute;
  params: string[];
}

export function matchDirectoryRoute(method: string, path: string): MatchedRoute | undefined {
  for (const candidate of DIRECTORY_ROUTES) {
    const match = candidate.method === method ? candidate.pattern.exec(path) : null;
    if (match) return { route: candidate, params: match.slice(1).map(decodeSegment) };
  }
  return undefined;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
