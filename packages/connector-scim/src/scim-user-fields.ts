import { PermanentError } from '@provisio/core';

/**
 * The connector's remote field names (the keys of `mapping`) and where each lives in a
 * SCIM User. Flat names keep manifests short; the mapper builds the nested resource.
 */
export type FieldLocation =
  | { at: 'top'; attribute: string }
  | { at: 'name'; sub: string }
  | { at: 'multi'; attribute: 'emails' | 'phoneNumbers'; type: 'work' }
  | { at: 'enterprise'; attribute: string }
  | { at: 'manager' };

export const USER_FIELDS: Readonly<Record<string, FieldLocation>> = {
  userName: { at: 'top', attribute: 'userName' },
  externalId: { at: 'top', attribute: 'externalId' },
  displayName: { at: 'top', attribute: 'displayName' },
  nickName: { at: 'top', attribute: 'nickName' },
  profileUrl: { at: 'top', attribute: 'profileUrl' },
  title: { at: 'top', attribute: 'title' },
  userType: { at: 'top', attribute: 'userType' },
  preferredLanguage: { at: 'top', attribute: 'preferredLanguage' },
  locale: { at: 'top', attribute: 'locale' },
  timezone: { at: 'top', attribute: 'timezone' },
  active: { at: 'top', attribute: 'active' },
  givenName: { at: 'name', sub: 'givenName' },
  familyName: { at: 'name', sub: 'familyName' },
  middleName: { at: 'name', sub: 'middleName' },
  formattedName: { at: 'name', sub: 'formatted' },
  honorificPrefix: { at: 'name', sub: 'honorificPrefix' },
  honorificSuffix: { at: 'name', sub: 'honorificSuffix' },
  email: { at: 'multi', attribute: 'emails', type: 'work' },
  phoneNumber: { at: 'multi', attribute: 'phoneNumbers', type: 'work' },
  employeeNumber: { at: 'enterprise', attribute: 'employeeNumber' },
  costCenter: { at: 'enterprise', attribute: 'costCenter' },
  organization: { at: 'enterprise', attribute: 'organization' },
  division: { at: 'enterprise', attribute: 'division' },
  department: { at: 'enterprise', attribute: 'department' },
  manager: { at: 'manager' },
};

export function fieldLocation(field: string): FieldLocation {
  const location = USER_FIELDS[field];
  if (!location) {
    throw new PermanentError(
      `mapping names remote field "${field}", which the SCIM connector does not know; known fields: ${Object.keys(USER_FIELDS).join(', ')}`,
    );
  }
  return location;
}

/** Mapped values are strings, numbers or booleans; SCIM wants strings except for `active`. */
export function scimValue(field: string, value: unknown): unknown {
  if (field === 'active') return value === true || value === 'true';
  return typeof value === 'string' ? value : String(value);
}
