// groups.* of the Directory API.
import { type DirectoryContext, listScope, parseJsonBody, type RouteParams } from './google-directory-context.js';
import { googleErrors } from './google-errors.js';
import { domainOf } from './google-field-types.js';
import { type ApiRequest, type ApiResponse, type JsonObject, jsonResponse, noContent } from './google-http-types.js';
import { newEtag, newGroupId } from './google-ids.js';
import { paginate } from './google-paging.js';
import { toGroupResource } from './google-resources.js';
import type { GroupRecord } from './google-state.js';
import { validateGroupWrite } from './google-group-validation.js';
import { splitClauses, unquote } from './google-user-query.js';

const GROUP_PAGE = { defaultSize: 200, maxSize: 200 };

export function requireGroup(ctx: DirectoryContext, key: string): GroupRecord {
  const group = ctx.state.findGroup(key);
  if (!group) throw googleErrors.notFound('groupKey');
  return group;
}

function render(ctx: DirectoryContext, group: GroupRecord): JsonObject {
  return toGroupResource(group, ctx.state.membersOf(group.id).size);
}

export function insertGroup(ctx: DirectoryContext, _params: RouteParams, req: ApiRequest): ApiResponse {
  const write = validateGroupWrite(parseJsonBody(req), 'insert', ctx.options.domains);
  const email = write.email as string;
  if (ctx.state.isAddressTaken(email)) throw googleErrors.entityExists();
  const group: GroupRecord = {
    id: newGroupId(),
    email,
    name: write.name ?? email.slice(0, email.indexOf('@')),
    description: write.description ?? '',
    aliases: [],
    etag: newEtag(email),
  };
  ctx.state.groups.set(group.id, group);
  return jsonResponse(200, render(ctx, group));
}

export function getGroup(ctx: DirectoryContext, [groupKey]: RouteParams): ApiResponse {
  return jsonResponse(200, render(ctx, requireGroup(ctx, groupKey)));
}

export function patchGroup(ctx: DirectoryContext, [groupKey]: RouteParams, req: ApiRequest): ApiResponse {
  const group = requireGroup(ctx, groupKey);
  const write = validateGroupWrite(parseJsonBody(req), 'patch', ctx.options.domains);
  if (write.email && write.email !== group.email) {
    const owner = ctx.state.findGroup(write.email);
    if ((owner && owner !== group) || ctx.state.findUser(write.email)) throw googleErrors.entityExists();
    group.aliases = group.aliases.filter((a) => a !== write.email);
    group.aliases.push(group.email);
    group.email = write.email;
    for (const members of ctx.state.members.values()) {
      const member = members.get(group.id);
      if (member) member.email = group.email;
    }
  }
  if (write.name !== undefined) group.name = write.name;
  if (write.description !== undefined) group.description = write.description;
  group.etag = newEtag(group.id + group.email + group.name + group.description);
  return jsonResponse(200, render(ctx, group));
}

export function deleteGroup(ctx: DirectoryContext, [groupKey]: RouteParams): ApiResponse {
  const group = requireGroup(ctx, groupKey);
  ctx.state.groups.delete(group.id);
  ctx.state.members.delete(group.id);
  ctx.state.removeFromAllGroups(group.id);
  return noContent();
}

export function listGroups(ctx: DirectoryContext, _params: RouteParams, req: ApiRequest): ApiResponse {
  const { query } = req;
  const userKey = query.get('userKey');
  const { customer, domain } = listScope(ctx, query, userKey);
  let groups = [...ctx.state.groups.values()];
  if (domain) groups = groups.filter((g) => domainOf(g.email) === domain.toLowerCase());
  if (userKey) {
    const member = ctx.state.findUser(userKey) ?? ctx.state.findGroup(userKey);
    if (!member) throw googleErrors.notFound('userKey');
    groups = groups.filter((g) => ctx.state.membersOf(g.id).has(member.id));
  }
  groups = groups.filter(groupQueryMatcher(query.get('query')));
  const listingKey = ['groups', customer, domain, userKey, query.get('query')].join('|');
  const page = paginate(groups, query, GROUP_PAGE, listingKey, { positionOf: (g) => g.email });
  const body: JsonObject = { kind: 'admin#directory#groups', etag: newEtag(listingKey) };
  if (page.items.length > 0) body['groups'] = page.items.map((g) => render(ctx, g));
  if (page.nextPageToken) body['nextPageToken'] = page.nextPageToken;
  return jsonResponse(200, body);
}

/** The groups `query` subset: `email` / `name` with `=`, `:` or `:prefix*`; values with spaces in quotes. */
function groupQueryMatcher(query: string | null): (group: GroupRecord) => boolean {
  if (!query || query.trim() === '') return () => true;
  const clauses = splitClauses(query).map((clause) => {
    const match = /^(email|name)(=|:)(.+)$/s.exec(clause);
    const value = match ? unquote(match[3]) : undefined;
    if (!match || value === undefined || value === '') throw googleErrors.invalid('Invalid Input');
    return { field: match[1] as 'email' | 'name', operator: match[2], value: value.toLowerCase() };
  });
  return (group) =>
    clauses.every(({ field, operator, value }) => {
      const actual = group[field].toLowerCase();
      if (operator === '=') return actual === value;
      return value.endsWith('*') ? actual.startsWith(value.slice(0, -1)) : actual === value || actual.split(/[\s@]+/).includes(value);
    });
}
