import { PermanentError, type MappedAttributes, type MappingRule, type UserPayload, type UserUpdate } from '@provisio/core';
import { ALIAS_MAX_LENGTH, type SalesforceConfig } from './salesforce-config.js';

/** A User record body as Salesforce takes it: field name -> value (null clears on update). */
export type UserRecord = Record<string, unknown>;

/**
 * The reference docs' claim table, with their default values, used when a manifest gives no
 * `mapping`. Paths are SCIM attribute paths or WSO2 claim URIs; the ProfileId comes from the
 * entitlements a WSO2 SCIM 1.1 client sends (`"entitlements":[{"value":"00e2x000001AT3y"}]`).
 */
export const SALESFORCE_DEFAULT_MAPPING: Readonly<Record<string, MappingRule>> = {
  Username: { from: 'http://wso2.org/claims/emailaddress' },
  Email: { from: 'http://wso2.org/claims/emailaddress' },
  FirstName: 'http://wso2.org/claims/givenname',
  LastName: 'http://wso2.org/claims/lastname',
  Alias: { from: 'userName', transform: `truncate(${ALIAS_MAX_LENGTH})` },
  EmailEncodingKey: { default: 'UTF-8' },
  LanguageLocaleKey: { default: 'en_US' },
  LocaleSidKey: { default: 'en_US' },
  TimeZoneSidKey: { default: 'America/Los_Angeles' },
  ProfileId: { from: 'http://wso2.org/claims/entitlements' },
  FederationIdentifier: { from: 'externalId' },
  IsActive: { from: 'active', default: true, transform: 'boolean' },
  UserPermissionsCallCenterAutoLogin: { default: false, transform: 'boolean' },
  UserPermissionsMarketingUser: { default: false, transform: 'boolean' },
  UserPermissionsOfflineUser: { default: false, transform: 'boolean' },
};

/** Alias is at most 8 characters: cut it (by code points) or refuse, as configured. */
function fitAlias(alias: unknown, config: SalesforceConfig): unknown {
  if (typeof alias !== 'string') return alias;
  const chars = Array.from(alias);
  if (chars.length <= ALIAS_MAX_LENGTH) return alias;
  if (config.aliasOverflow === 'reject') {
    throw new PermanentError(
      `Alias "${alias}" is longer than ${ALIAS_MAX_LENGTH} characters (aliasOverflow: reject); shorten it in the mapping`,
      { remoteCode: 'STRING_TOO_LONG' },
    );
  }
  return chars.slice(0, ALIAS_MAX_LENGTH).join('');
}

/** An alias when none is mapped: the username's local part, as Salesforce's own UI suggests. */
function aliasFrom(username: unknown): string | undefined {
  return typeof username === 'string' && username !== '' ? username.split('@')[0] : undefined;
}

function withoutEmpty(attributes: MappedAttributes): UserRecord {
  const record: UserRecord = {};
  for (const [name, value] of Object.entries(attributes)) if (value !== null && value !== undefined) record[name] = value;
  return record;
}

/** The body of POST /sobjects/User. The provisioning pattern's account name, when set, is the Username. */
export function userRecordForCreate(payload: UserPayload, config: SalesforceConfig): UserRecord {
  const record = withoutEmpty(payload.attributes);
  if (payload.accountName !== undefined) record['Username'] = payload.accountName;
  if (record['Alias'] === undefined) record['Alias'] = aliasFrom(record['Username']);
  record['Alias'] = fitAlias(record['Alias'], config);
  if (record['Alias'] === undefined) delete record['Alias'];
  return record;
}

/** The body of PATCH /sobjects/User/{id}: only what changed, plus the account name and reactivation. */
export function userChangesForUpdate(update: UserUpdate, config: SalesforceConfig): UserRecord {
  const changes: UserRecord = { ...update.changed };
  // The pattern owns Username; sending it on every update also applies a rename.
  if (update.accountName !== undefined) changes['Username'] = update.accountName;
  if ('Alias' in changes) changes['Alias'] = fitAlias(changes['Alias'], config);
  if (update.reactivate) changes['IsActive'] = true;
  return changes;
}

/** The Username a lookup should search for: the pattern's account name, else the mapped Username. */
export function usernameOf(accountName: string | undefined, attributes: MappedAttributes): string | undefined {
  const mapped = attributes['Username'];
  return accountName ?? (typeof mapped === 'string' && mapped !== '' ? mapped : undefined);
}

const MAX_USERNAME_LENGTH = 80;

/**
 * `<username>.deactivated.<unix seconds>`: still email-shaped, unique, and shows what happened.
 * A username too long for the suffix is cut at the end so the result stays within 80 characters.
 */
export function freedUsername(username: string, nowMs: number): string {
  const suffix = `.deactivated.${Math.floor(nowMs / 1000)}`;
  const keep = username.slice(0, MAX_USERNAME_LENGTH - suffix.length).replace(/[.-]+$/, '');
  return `${keep}${suffix}`;
}

/** True for a username this connector freed earlier. */
export function isFreedUsername(username: string): boolean {
  return /\.deactivated\.\d+$/.test(username);
}
