// Google's rules for a user body on insert, update and patch (users.update has patch semantics).
import { googleErrors } from './google-errors.js';
import { checkFieldType, domainOf, type FieldKind, normalizeWorkspaceAddress, unknownField } from './google-field-types.js';
import type { JsonObject, JsonValue } from './google-http-types.js';
import { isJsonObject } from './google-http-types.js';

/** Writable user fields with their JSON kinds; primaryEmail, password and hashFunction are handled apart. */
const WRITABLE_FIELDS: Record<string, FieldKind> = {
  name: 'object',
  changePasswordAtNextLogin: 'bool',
  suspended: 'bool',
  archived: 'bool',
  ipWhitelisted: 'bool',
  includeInGlobalAddressList: 'bool',
  orgUnitPath: 'string',
  recoveryEmail: 'string',
  recoveryPhone: 'string',
  externalIds: 'array',
  phones: 'array',
  organizations: 'array',
  addresses: 'array',
  emails: 'array',
  relations: 'array',
  ims: 'array',
  locations: 'array',
  keywords: 'array',
  languages: 'array',
  websites: 'array',
  posixAccounts: 'array',
  sshPublicKeys: 'array',
  customSchemas: 'object',
  notes: 'object',
  gender: 'object',
};

/** Output-only fields: Google ignores them in requests instead of failing. */
const READ_ONLY_FIELDS = new Set([
  'kind',
  'id',
  'etag',
  'creationTime',
  'deletionTime',
  'lastLoginTime',
  'isAdmin',
  'isDelegatedAdmin',
  'agreedToTerms',
  'aliases',
  'nonEditableAliases',
  'customerId',
  'isMailboxSetup',
  'isEnrolledIn2Sv',
  'isEnforcedIn2Sv',
  'thumbnailPhotoUrl',
  'thumbnailPhotoEtag',
  'suspensionReason',
  'isGuestUser',
]);

const NAME_FIELDS: Record<string, FieldKind> = { givenName: 'string', familyName: 'string', fullName: 'string', displayName: 'string' };
const HASH_FUNCTIONS: Record<string, RegExp> = {
  MD5: /^[0-9a-f]{32}$/i,
  'SHA-1': /^[0-9a-f]{40}$/i,
  crypt: /^\S+$/,
};
const NAME_MAX = 60;
const PASSWORD_MIN = 8;
const PASSWORD_MAX = 100;

export interface UserWriteContext {
  domains: readonly string[];
  orgUnits: readonly string[];
}

export interface ValidatedUserWrite {
  primaryEmail?: string;
  password?: { value: string; hashFunction?: string };
  /** Fields to merge into the stored user; a null value clears that field. */
  fields: JsonObject;
}

export function validateUserWrite(body: JsonValue, mode: 'insert' | 'patch', ctx: UserWriteContext): ValidatedUserWrite {
  if (!isJsonObject(body)) throw googleErrors.invalidJson('Expected an object at the top level.');
  const result: ValidatedUserWrite = { fields: {} };

  for (const [key, value] of Object.entries(body)) {
    if (key === 'primaryEmail' || key === 'password' || key === 'hashFunction' || READ_ONLY_FIELDS.has(key)) continue;
    const kind = WRITABLE_FIELDS[key];
    if (!kind) throw unknownField(key);
    checkFieldType(key, kind, value);
    result.fields[key] = value;
  }

  result.primaryEmail = validatePrimaryEmail(body['primaryEmail'], mode, ctx);
  const name = validateName(body['name'], mode);
  if (name) result.fields['name'] = name;
  result.password = validatePassword(body['password'], body['hashFunction'], mode);
  validateOrgUnit(result.fields['orgUnitPath'], ctx);
  return result;
}

function validatePrimaryEmail(value: JsonValue | undefined, mode: 'insert' | 'patch', ctx: UserWriteContext): string | undefined {
  if (value === undefined && mode === 'patch') return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw googleErrors.invalid('Invalid Input: primary_user_email');
  const email = normalizeWorkspaceAddress(value);
  if (!email || !ctx.domains.includes(domainOf(email))) throw googleErrors.invalid('Invalid Input: primary_user_email');
  return email;
}

function validateName(value: JsonValue | undefined, mode: 'insert' | 'patch'): JsonObject | undefined {
  if (value === undefined && mode === 'patch') return undefined;
  if (!isJsonObject(value)) throw googleErrors.invalid('Invalid Given/Family Name: GivenName');
  for (const [key, part] of Object.entries(value)) {
    const kind = NAME_FIELDS[key];
    if (!kind) throw unknownField(key, 'resource.name');
    checkFieldType(`name.${key}`, kind, part);
  }
  checkNamePart(value, 'givenName', 'GivenName', mode);
  checkNamePart(value, 'familyName', 'FamilyName', mode);
  return value;
}

function checkNamePart(name: JsonObject, key: string, label: string, mode: 'insert' | 'patch'): void {
  const part = name[key];
  if (part === undefined && mode === 'patch') return;
  if (typeof part !== 'string' || part.trim() === '' || part.length > NAME_MAX) {
    throw googleErrors.invalid(`Invalid Given/Family Name: ${label}`);
  }
}

function validatePassword(
  value: JsonValue | undefined,
  hashFunction: JsonValue | undefined,
  mode: 'insert' | 'patch',
): ValidatedUserWrite['password'] {
  if (value === undefined && mode === 'patch') {
    if (hashFunction !== undefined) throw googleErrors.invalid('Invalid Password');
    return undefined;
  }
  if (typeof value !== 'string') throw googleErrors.invalid('Invalid Password');
  if (hashFunction !== undefined && hashFunction !== null) {
    const pattern = typeof hashFunction === 'string' ? HASH_FUNCTIONS[hashFunction] : undefined;
    if (!pattern) throw googleErrors.invalid('Invalid Input: hash_function');
    if (!pattern.test(value)) throw googleErrors.invalid('Invalid Password');
    return { value, hashFunction: hashFunction as string };
  }
  // Google accepts 8 to 100 ASCII characters for a clear-text password.
  const ascii = /^[\x20-\x7e]*$/.test(value);
  if (!ascii || value.length < PASSWORD_MIN || value.length > PASSWORD_MAX) throw googleErrors.invalid('Invalid Password');
  return { value };
}

function validateOrgUnit(value: JsonValue | undefined, ctx: UserWriteContext): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !ctx.orgUnits.includes(value)) throw googleErrors.invalid('Invalid Input: INVALID_OU_ID');
}
