import { PATCH_OP_SCHEMA, filterLiteral, type JsonObject, type ScimDialect } from './scim-dialect.js';

export function buildGroupResource(
  dialect: ScimDialect,
  displayName: string,
  externalId: string | undefined,
  memberIds: string[] = [],
): JsonObject {
  const group: JsonObject = { schemas: [dialect.groupSchema], displayName };
  if (externalId !== undefined) group['externalId'] = externalId;
  if (memberIds.length > 0) group['members'] = memberIds.map((value) => ({ value }));
  return group;
}

export function renamePatch(dialect: ScimDialect, displayName: string): JsonObject {
  if (dialect.version === '1.1') return { schemas: [dialect.groupSchema], displayName };
  return { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'replace', path: 'displayName', value: displayName }] };
}

export function addMembersPatch(dialect: ScimDialect, memberIds: string[]): JsonObject {
  const members = memberIds.map((value) => ({ value }));
  if (dialect.version === '1.1') return { schemas: [dialect.groupSchema], members };
  return { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', path: 'members', value: members }] };
}

/** 2.0: one remove per member with a value filter; 1.1: members marked `operation: "delete"`. */
export function removeMembersPatch(dialect: ScimDialect, memberIds: string[]): JsonObject {
  if (dialect.version === '1.1')
    return { schemas: [dialect.groupSchema], members: memberIds.map((value) => ({ value, operation: 'delete' })) };
  return {
    schemas: [PATCH_OP_SCHEMA],
    Operations: memberIds.map((id) => ({ op: 'remove', path: `members[value eq ${filterLiteral(id)}]` })),
  };
}

/** Member ids of a Group resource as returned by the service. */
export function memberIdsOf(group: JsonObject): string[] {
  const members = group['members'];
  if (!Array.isArray(members)) return [];
  return members
    .map((m: unknown) => (typeof m === 'object' && m !== null ? (m as JsonObject)['value'] : undefined))
    .filter((v): v is string => typeof v === 'string');
}
