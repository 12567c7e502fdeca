import { randomBytes } from 'node:crypto';
import type { admin_directory_v1 } from '@googleapis/admin';
import { PermanentError, type MappedAttributes, type UserPayload, type UserUpdate } from '@provisio/core';
import type { GoogleConfig } from './google-config.js';

export type GoogleUser = admin_directory_v1.Schema$User;

/** Google's limit for name.givenName and name.familyName. */
export const NAME_MAX_LENGTH = 60;

/**
 * The flat remote field names a mapping may use, and where each lands in Google's User resource.
 * Flat names keep manifests simple; this file is the one place that knows Google's nesting.
 */
export const USER_FIELDS = {
  primaryEmail: 'primaryEmail (ignored when the instance has a provisioning pattern)',
  givenName: 'name.givenName (truncated to 60)',
  familyName: 'name.familyName (truncated to 60)',
  orgUnitPath: 'orgUnitPath (default: config.orgUnitPath)',
  title: 'organizations[0].title',
  department: 'organizations[0].department',
  organization: 'organizations[0].name',
  costCenter: 'organizations[0].costCenter',
  phone: 'phones[type=work]',
  mobile: 'phones[type=mobile]',
  externalId: 'externalIds[type=organization] (Employee ID; also a findUser key)',
  recoveryEmail: 'recoveryEmail',
  recoveryPhone: 'recoveryPhone (E.164, e.g. +16506661212)',
  includeInGlobalAddressList: 'includeInGlobalAddressList (boolean)',
  aliases: 'aliases (one address or a list; managed through users.aliases)',
} as const;

type UserField = keyof typeof USER_FIELDS;
const ORGANIZATION_FIELDS: readonly UserField[] = ['title', 'department', 'organization', 'costCenter'];
const PHONE_FIELDS: readonly UserField[] = ['phone', 'mobile'];

function isUserField(name: string): name is UserField {
  return Object.hasOwn(USER_FIELDS, name);
}

export function assertKnownFields(attributes: MappedAttributes): void {
  const unknown = Object.keys(attributes).filter((name) => !isUserField(name));
  if (unknown.length > 0) {
    throw new PermanentError(
      `mapping names remote field(s) the Google connector does not know: ${unknown.join(', ')}; known: ${Object.keys(USER_FIELDS).join(', ')}`,
    );
  }
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const result = Array.isArray(value) ? value[0] : value;
  return result === undefined || result === null || result === '' ? undefined : String(result);
}

function truncated(value: unknown): string | undefined {
  return text(value)?.slice(0, NAME_MAX_LENGTH);
}

/**
 * The Google primary email: the provisioning pattern's account name when the instance has one
 * (a name without "@" gets "@<domain>", as WSO2 builds the user id then adds the Google domain),
 * else the mapped primaryEmail.
 */
export function primaryEmailOf(payload: Pick<UserPayload, 'accountName' | 'attributes'>, domain: string): string | undefined {
  const name = payload.accountName?.trim();
  if (name) return (name.includes('@') ? name : `${name}@${domain}`).toLowerCase();
  return text(payload.attributes['primaryEmail'])?.toLowerCase();
}

export function requirePrimaryEmail(payload: Pick<UserPayload, 'accountName' | 'attributes'>, domain: string): string {
  const email = primaryEmailOf(payload, domain);
  if (!email)
    throw new PermanentError(
      'no primary email: give the instance a provisioning pattern or map primaryEmail (e.g. from http://wso2.org/claims/emailaddress)',
    );
  return email;
}

/** The name the link shows; equal to the pattern's account name so core does not see a rename on every sync. */
export function remoteNameOf(payload: Pick<UserPayload, 'accountName'>, primaryEmail: string): string {
  return payload.accountName ?? primaryEmail;
}

/** A password Google accepts (8-100 printable ASCII), for accounts created without password provisioning. */
export function randomPassword(): string {
  return randomBytes(24).toString('base64url');
}

function organizations(attributes: MappedAttributes): admin_directory_v1.Schema$UserOrganization[] {
  const org: admin_directory_v1.Schema$UserOrganization = {};
  const title = text(attributes['title']);
  const department = text(attributes['department']);
  const name = text(attributes['organization']);
  const costCenter = text(attributes['costCenter']);
  if (title) org.title = title;
  if (department) org.department = department;
  if (name) org.name = name;
  if (costCenter) org.costCenter = costCenter;
  return Object.keys(org).length === 0 ? [] : [{ ...org, primary: true, type: 'work' }];
}

function phones(attributes: MappedAttributes): admin_directory_v1.Schema$UserPhone[] {
  const result: admin_directory_v1.Schema$UserPhone[] = [];
  const work = text(attributes['phone']);
  const mobile = text(attributes['mobile']);
  if (work) result.push({ value: work, type: 'work', primary: true });
  if (mobile) result.push({ value: mobile, type: 'mobile', ...(work ? {} : { primary: true }) });
  return result;
}

function externalIds(attributes: MappedAttributes): admin_directory_v1.Schema$UserExternalId[] {
  const value = text(attributes['externalId']);
  return value ? [{ value, type: 'organization' }] : [];
}

export function aliasesOf(attributes: MappedAttributes): string[] | undefined {
  const value = attributes['aliases'];
  if (value === undefined) return undefined;
  if (value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list
    .filter((a): a is string | number => typeof a === 'string' || typeof a === 'number')
    .map((a) => String(a).trim().toLowerCase())
    .filter(Boolean);
}

/** users.insert body. The password is set here and only here. */
export function toInsertBody(payload: UserPayload, config: GoogleConfig): GoogleUser {
  const { attributes } = payload;
  assertKnownFields(attributes);
  const body: GoogleUser = {
    primaryEmail: requirePrimaryEmail(payload, config.domain),
    name: { givenName: truncated(attributes['givenName']), familyName: truncated(attributes['familyName']) },
    password: payload.password ?? randomPassword(),
    changePasswordAtNextLogin: config.changePasswordAtNextLogin,
  };
  const orgUnitPath = text(attributes['orgUnitPath']) ?? config.orgUnitPath;
  if (orgUnitPath) body.orgUnitPath = orgUnitPath;
  Object.assign(body, scalarFields(attributes, false));
  const orgs = organizations(attributes);
  if (orgs.length > 0) body.organizations = orgs;
  const phoneList = phones(attributes);
  if (phoneList.length > 0) body.phones = phoneList;
  const ids = externalIds(attributes);
  if (ids.length > 0) body.externalIds = ids;
  return body;
}

function scalarFields(attributes: MappedAttributes, clearMissing: boolean): GoogleUser {
  const body: GoogleUser = {};
  for (const field of ['recoveryEmail', 'recoveryPhone'] as const) {
    if (!(field in attributes)) continue;
    const value = text(attributes[field]);
    if (value !== undefined) body[field] = value;
    else if (clearMissing) body[field] = '';
  }
  const gal = attributes['includeInGlobalAddressList'];
  if (typeof gal === 'boolean') body.includeInGlobalAddressList = gal;
  return body;
}

/**
 * users.patch body from the changed fields only. Google replaces whole lists, so a change to
 * any organization or phone field sends that list rebuilt from all current attributes.
 * Never a password: updating a title must not reset anyone's password.
 */
export function toPatchBody(update: UserUpdate, config: GoogleConfig): GoogleUser {
  const { changed, attributes } = update;
  assertKnownFields(changed);
  const has = (field: UserField) => field in changed;
  const body: GoogleUser = {};
  // The pipeline signals a pattern rename only through accountName; an unchanged address is a no-op at Google.
  if (update.accountName) body.primaryEmail = requirePrimaryEmail(update, config.domain);
  else if (has('primaryEmail') && text(changed['primaryEmail'])) body.primaryEmail = text(changed['primaryEmail'])?.toLowerCase();
  const name: admin_directory_v1.Schema$UserName = {};
  // A required name part cannot be cleared at Google: a removed value is left as it is.
  if (has('givenName') && truncated(changed['givenName'])) name.givenName = truncated(changed['givenName']);
  if (has('familyName') && truncated(changed['familyName'])) name.familyName = truncated(changed['familyName']);
  if (Object.keys(name).length > 0) body.name = name;
  if (has('orgUnitPath')) body.orgUnitPath = text(changed['orgUnitPath']) ?? config.orgUnitPath ?? '/';
  if (ORGANIZATION_FIELDS.some(has)) body.organizations = organizations(attributes);
  if (PHONE_FIELDS.some(has)) body.phones = phones(attributes);
  if (has('externalId')) body.externalIds = externalIds(attributes);
  Object.assign(body, scalarFields(changed, true));
  if (update.reactivate) body.suspended = false;
  return body;
}

/** What findUser returns for a Google user. */
export function refOf(user: GoogleUser, remoteName?: string): { remoteId: string; remoteName?: string } {
  if (!user.id) throw new PermanentError('Google answered a user without an id');
  return { remoteId: user.id, remoteName: remoteName ?? user.primaryEmail ?? undefined };
}
