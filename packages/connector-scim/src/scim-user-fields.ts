import type { ScimDialect } from './scim-dialect.js';

const ENTERPRISE_2 = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * The flat remote field names manifests used before mapping keys could be SCIM attribute paths,
 * and the path each stands for (SCIM 2.0 names; on SCIM 1.1 the enterprise extension is
 * urn:scim:schemas:extension:enterprise:1.0 and the manager's id `managerId`). Any other key is
 * read as an attribute path of the target's schema.
 */
export const USER_FIELDS: Readonly<Record<string, string>> = {
  userName: 'userName',
  externalId: 'externalId',
  displayName: 'displayName',
  nickName: 'nickName',
  profileUrl: 'profileUrl',
  title: 'title',
  userType: 'userType',
  preferredLanguage: 'preferredLanguage',
  locale: 'locale',
  timezone: 'timezone',
  active: 'active',
  givenName: 'name.givenName',
  familyName: 'name.familyName',
  middleName: 'name.middleName',
  formattedName: 'name.formatted',
  honorificPrefix: 'name.honorificPrefix',
  honorificSuffix: 'name.honorificSuffix',
  email: 'emails[type eq "work"].value',
  phoneNumber: 'phoneNumbers[type eq "work"].value',
  employeeNumber: `${ENTERPRISE_2}:employeeNumber`,
  costCenter: `${ENTERPRISE_2}:costCenter`,
  organization: `${ENTERPRISE_2}:organization`,
  division: `${ENTERPRISE_2}:division`,
  department: `${ENTERPRISE_2}:department`,
  manager: `${ENTERPRISE_2}:manager.value`,
};

/**
 * `email` and `phoneNumber` create the work value as the primary one, and read back the primary
 * (else the first) value when none has type work, as they always did.
 */
export const PRIMARY_VALUE_FIELDS: ReadonlySet<string> = new Set(['email', 'phoneNumber']);

/** The attribute path a flat field stands for on this dialect; undefined when `key` is not one of them. */
export function flatFieldPath(dialect: ScimDialect, key: string): string | undefined {
  if (!Object.hasOwn(USER_FIELDS, key)) return undefined;
  const path = USER_FIELDS[key];
  if (dialect.version === '2.0' || !path.startsWith(ENTERPRISE_2)) return path;
  const rest = path.slice(ENTERPRISE_2.length);
  return dialect.enterpriseSchema + (rest === ':manager.value' ? `:manager.${dialect.managerIdKey}` : rest);
}
