import type { admin_directory_v1 } from '@googleapis/admin';
import { PermanentError, type GroupPayload, type GroupUpdate, type MappedAttributes } from '@provisio/core';

export type GoogleGroup = admin_directory_v1.Schema$Group;

/** Google's limits for a group's name, and for the local part of an address. */
const GROUP_NAME_MAX = 75;
const LOCAL_PART_MAX = 64;

/** Remote fields a `groupMapping` may use. */
export const GROUP_FIELDS = ['email', 'name', 'description'] as const;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function assertKnownGroupFields(attributes: MappedAttributes): void {
  const unknown = Object.keys(attributes).filter((name) => !(GROUP_FIELDS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new PermanentError(
      `groupMapping names remote field(s) the Google connector does not know: ${unknown.join(', ')}; known: ${GROUP_FIELDS.join(', ')}`,
    );
  }
}

/**
 * "Sales Team (EMEA)" → "sales-team-emea": letters, digits, dots, dashes, underscores and
 * apostrophes are what Google allows before the "@".
 */
export function slugOf(displayName: string): string {
  return displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._'-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, LOCAL_PART_MAX)
    .replace(/[-.]+$/, '');
}

/** Does the group mapping give the address (rather than deriving it from the displayName)? */
export function hasMappedEmail(attributes: MappedAttributes): boolean {
  return text(attributes['email']) !== undefined;
}

/** The group's address: a mapped `email` (a bare name gets "@domain"), else the slug of its displayName @ domain. */
export function groupEmailOf(payload: Pick<GroupPayload, 'attributes' | 'group'>, domain: string): string {
  const mapped = text(payload.attributes['email']);
  const local = mapped ?? slugOf(payload.group.displayName);
  if (!local) throw new PermanentError(`group "${payload.group.displayName}" gives no usable address: map email in groupMapping`);
  return (local.includes('@') ? local : `${local}@${domain}`).toLowerCase();
}

export function groupNameOf(payload: Pick<GroupPayload, 'attributes' | 'group'>): string {
  return (text(payload.attributes['name']) ?? payload.group.displayName).slice(0, GROUP_NAME_MAX);
}

export function toGroupInsertBody(payload: GroupPayload, domain: string): GoogleGroup {
  assertKnownGroupFields(payload.attributes);
  const body: GoogleGroup = { email: groupEmailOf(payload, domain), name: groupNameOf(payload) };
  const description = text(payload.attributes['description']);
  if (description) body.description = description;
  return body;
}

/** A displayName change renames the group; its address changes only when a mapped email changes (mail keeps flowing). */
export function toGroupPatchBody(update: GroupUpdate, domain: string): GoogleGroup {
  assertKnownGroupFields(update.changed);
  const body: GoogleGroup = { name: groupNameOf(update) };
  if ('email' in update.changed && text(update.changed['email'])) body.email = groupEmailOf(update, domain);
  if ('description' in update.changed) body.description = text(update.changed['description']) ?? '';
  return body;
}
