// Google's rules for group and member bodies.
import { googleErrors } from './google-errors.js';
import { checkFieldType, domainOf, normalizeEmail, normalizeWorkspaceAddress, unknownField } from './google-field-types.js';
import type { JsonValue } from './google-http-types.js';
import { isJsonObject } from './google-http-types.js';
import type { MemberRole } from './google-state.js';

const GROUP_READ_ONLY = new Set(['kind', 'id', 'etag', 'directMembersCount', 'adminCreated', 'aliases', 'nonEditableAliases']);
const GROUP_NAME_MAX = 75;
const GROUP_DESCRIPTION_MAX = 4096;

export interface ValidatedGroupWrite {
  email?: string;
  name?: string;
  description?: string;
}

export function validateGroupWrite(body: JsonValue, mode: 'insert' | 'patch', domains: readonly string[]): ValidatedGroupWrite {
  if (!isJsonObject(body)) throw googleErrors.invalidJson('Expected an object at the top level.');
  const result: ValidatedGroupWrite = {};
  for (const [key, value] of Object.entries(body)) {
    if (GROUP_READ_ONLY.has(key)) continue;
    if (key !== 'email' && key !== 'name' && key !== 'description') throw unknownField(key);
    checkFieldType(key, 'string', value);
  }
  const email = body['email'];
  if (email === undefined || email === null) {
    if (mode === 'insert') throw googleErrors.required('Missing required field: email');
  } else {
    const normalized = typeof email === 'string' ? normalizeWorkspaceAddress(email) : undefined;
    if (!normalized || !domains.includes(domainOf(normalized))) throw googleErrors.invalid('Invalid Input: email');
    result.email = normalized;
  }
  const name = body['name'];
  if (typeof name === 'string') {
    if (name.length > GROUP_NAME_MAX) throw googleErrors.invalid('Invalid Input: name');
    result.name = name;
  }
  const description = body['description'];
  if (typeof description === 'string') {
    if (description.length > GROUP_DESCRIPTION_MAX) throw googleErrors.invalid('Invalid Input: description');
    result.description = description;
  }
  return result;
}

const ROLES: readonly MemberRole[] = ['OWNER', 'MANAGER', 'MEMBER'];
const MEMBER_READ_ONLY = new Set(['kind', 'etag', 'status']);
const DELIVERY_SETTINGS = new Set(['ALL_MAIL', 'DAILY', 'DIGEST', 'DISABLED', 'NONE']);

export interface ValidatedMemberWrite {
  email?: string;
  id?: string;
  role?: MemberRole;
  deliverySettings?: string;
}

export function validateMemberWrite(body: JsonValue, mode: 'insert' | 'patch'): ValidatedMemberWrite {
  if (!isJsonObject(body)) throw googleErrors.invalidJson('Expected an object at the top level.');
  const result: ValidatedMemberWrite = {};
  for (const [key, value] of Object.entries(body)) {
    if (MEMBER_READ_ONLY.has(key)) continue;
    if (!['email', 'id', 'role', 'type', 'delivery_settings'].includes(key)) throw unknownField(key);
    checkFieldType(key, 'string', value);
  }
  const { email, id, role, delivery_settings: delivery } = body;
  if (typeof email === 'string') {
    const normalized = normalizeEmail(email);
    if (!normalized) throw googleErrors.invalid('Invalid Input: memberKey');
    result.email = normalized;
  }
  if (typeof id === 'string') result.id = id;
  if (mode === 'insert' && !result.email && !result.id) throw googleErrors.required('Missing required field: memberKey');
  if (typeof role === 'string') {
    if (!ROLES.includes(role as MemberRole)) throw googleErrors.invalid('Invalid Input: role');
    result.role = role as MemberRole;
  }
  if (typeof delivery === 'string') {
    if (!DELIVERY_SETTINGS.has(delivery)) throw googleErrors.invalid('Invalid Input: delivery_settings');
    result.deliverySettings = delivery;
  }
  return result;
}
