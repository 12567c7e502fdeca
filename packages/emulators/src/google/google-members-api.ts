// members.* and hasMember of the Directory API.
import { createHash } from 'node:crypto';
import { type DirectoryContext, parseJsonBody, type RouteParams } from './google-directory-context.js';
import { googleErrors } from './google-errors.js';
import { domainOf } from './google-field-types.js';
import { requireGroup } from './google-groups-api.js';
import { type ApiRequest, type ApiResponse, type JsonObject, jsonResponse, noContent } from './google-http-types.js';
import { newEtag } from './google-ids.js';
import { paginate } from './google-paging.js';
import { toMemberResource } from './google-resources.js';
import type { GroupRecord, MemberRecord, MemberRole } from './google-state.js';
import { validateMemberWrite } from './google-group-validation.js';

const MEMBER_PAGE = { defaultSize: 200, maxSize: 200 };
const NESTING_LIMIT = 50;

/** Resolves a member key (id or address) to what it names inside or outside the customer. */
function resolveMemberTarget(
  ctx: DirectoryContext,
  key: { email?: string; id?: string },
): Pick<MemberRecord, 'memberId' | 'email' | 'type'> {
  const lookup = key.id ?? key.email ?? '';
  const user = ctx.state.findUser(lookup);
  if (user) return { memberId: user.id, email: user.primaryEmail, type: 'USER' };
  const group = ctx.state.findGroup(lookup);
  if (group) return { memberId: group.id, email: group.email, type: 'GROUP' };
  // Addresses outside the customer may be members (external members); inside it they must exist.
  if (key.email && !ctx.options.domains.includes(domainOf(key.email))) {
    return { memberId: externalMemberId(key.email), email: key.email, type: 'EXTERNAL' };
  }
  throw googleErrors.notFound('memberKey');
}

function externalMemberId(email: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(email).digest('hex').slice(0, 16)}`)
    .toString()
    .padStart(20, '0');
  return `1${digits.slice(0, 20)}`;
}

function findMember(ctx: DirectoryContext, group: GroupRecord, memberKey: string): MemberRecord {
  const members = ctx.state.membersOf(group.id);
  const direct = members.get(memberKey);
  if (direct) return direct;
  const target = ctx.state.findUser(memberKey) ?? ctx.state.findGroup(memberKey);
  const byId = target ? members.get(target.id) : undefined;
  if (byId) return byId;
  const email = memberKey.toLowerCase();
  for (const member of members.values()) if (member.email === email) return member;
  throw googleErrors.notFound('memberKey');
}

export function insertMember(ctx: DirectoryContext, [groupKey]: RouteParams, req: ApiRequest): ApiResponse {
  const group = requireGroup(ctx, groupKey);
  const write = validateMemberWrite(parseJsonBody(req), 'insert');
  const target = resolveMemberTarget(ctx, write);
  if (target.memberId === group.id) throw googleErrors.invalid('Invalid Input: memberKey');
  const members = ctx.state.membersOf(group.id);
  if (members.has(target.memberId)) throw googleErrors.memberExists();
  const member: MemberRecord = {
    groupId: group.id,
    ...target,
    role: write.role ?? 'MEMBER',
    deliverySettings: write.deliverySettings ?? 'ALL_MAIL',
    etag: newEtag(group.id + target.memberId),
  };
  members.set(member.memberId, member);
  return jsonResponse(200, toMemberResource(member));
}

export function getMember(ctx: DirectoryContext, [groupKey, memberKey]: RouteParams): ApiResponse {
  return jsonResponse(200, toMemberResource(findMember(ctx, requireGroup(ctx, groupKey), memberKey)));
}

export function patchMember(ctx: DirectoryContext, [groupKey, memberKey]: RouteParams, req: ApiRequest): ApiResponse {
  const member = findMember(ctx, requireGroup(ctx, groupKey), memberKey);
  const write = validateMemberWrite(parseJsonBody(req), 'patch');
  if (write.role) member.role = write.role;
  if (write.deliverySettings) member.deliverySettings = write.deliverySettings;
  member.etag = newEtag(member.groupId + member.memberId + member.role);
  return jsonResponse(200, toMemberResource(member));
}

export function deleteMember(ctx: DirectoryContext, [groupKey, memberKey]: RouteParams): ApiResponse {
  const group = requireGroup(ctx, groupKey);
  const member = findMember(ctx, group, memberKey);
  ctx.state.membersOf(group.id).delete(member.memberId);
  return noContent();
}

export function listMembers(ctx: DirectoryContext, [groupKey]: RouteParams, req: ApiRequest): ApiResponse {
  const group = requireGroup(ctx, groupKey);
  const roles = req.query.get('roles');
  const wanted = roles ? new Set(roles.split(',').map((r) => r.trim().toUpperCase() as MemberRole)) : undefined;
  const members = [...ctx.state.membersOf(group.id).values()].filter((m) => !wanted || wanted.has(m.role));
  const listingKey = ['members', group.id, roles].join('|');
  const page = paginate(members, req.query, MEMBER_PAGE, listingKey, { positionOf: (m) => `${m.email}\u0000${m.memberId}` });
  const body: JsonObject = { kind: 'admin#directory#members', etag: newEtag(listingKey) };
  if (page.items.length > 0) body['members'] = page.items.map(toMemberResource);
  if (page.nextPageToken) body['nextPageToken'] = page.nextPageToken;
  return jsonResponse(200, body);
}

/** hasMember also answers for membership through nested groups. */
export function hasMember(ctx: DirectoryContext, [groupKey, memberKey]: RouteParams): ApiResponse {
  const group = requireGroup(ctx, groupKey);
  const target = ctx.state.findUser(memberKey) ?? ctx.state.findGroup(memberKey);
  if (!target) throw googleErrors.notFound('memberKey');
  return jsonResponse(200, { isMember: isMemberOf(ctx, group.id, target.id, new Set()) });
}

function isMemberOf(ctx: DirectoryContext, groupId: string, memberId: string, visited: Set<string>): boolean {
  if (visited.has(groupId) || visited.size > NESTING_LIMIT) return false;
  visited.add(groupId);
  const members = ctx.state.membersOf(groupId);
  if (members.has(memberId)) return true;
  return [...members.values()].some((m) => m.type === 'GROUP' && isMemberOf(ctx, m.memberId, memberId, visited));
}
