import type { ScimGroup, ScimGroupRef, ScimUser } from '../model/identity.js';
import type { GroupRecord, GroupSummary, UserRecord } from '../store/records.js';

/** A user as the outside sees it: stored resource + id, meta and the derived `groups` (RFC 7643 §4.1.2). */
export function userView(user: UserRecord, groups: readonly Pick<GroupSummary, 'id' | 'displayName'>[]): ScimUser {
  const refs: ScimGroupRef[] = groups.map((g) => ({ value: g.id, display: g.displayName, type: 'direct' }));
  return {
    ...user.resource,
    id: user.id,
    ...(refs.length > 0 ? { groups: refs } : {}),
    meta: { resourceType: 'User', created: user.createdAt, lastModified: user.updatedAt, version: `W/"${user.version}"` },
  };
}

export function groupView(group: GroupRecord): ScimGroup {
  const { meta, ...rest } = groupSummaryView(group);
  return { ...rest, members: group.members.map((m) => ({ ...m })), meta };
}

/** A group as the outside sees it, without its members (`members` absent: not read, not "none"). */
export function groupSummaryView(group: GroupSummary): ScimGroup {
  return {
    ...group.resource,
    id: group.id,
    displayName: group.displayName,
    meta: { resourceType: 'Group', created: group.createdAt, lastModified: group.updatedAt, version: `W/"${group.version}"` },
  };
}
