import type { MappingRule } from '@provisio/core';

const CLAIMS = 'http://wso2.org/claims/';

/**
 * Used when an instance's manifest has no `mapping`: the reference docs' claims for Primary Email,
 * Given Name and Family Name, plus what Google shows on a user's profile. Remote field names are
 * the connector's flat names (see USER_FIELDS in google-user-mapper.ts).
 */
export const DEFAULT_USER_MAPPING: Readonly<Record<string, MappingRule>> = {
  primaryEmail: `${CLAIMS}emailaddress`,
  givenName: `${CLAIMS}givenname`,
  familyName: `${CLAIMS}lastname`,
  title: `${CLAIMS}title`,
  department: `${CLAIMS}department`,
  phone: `${CLAIMS}telephone`,
  externalId: `${CLAIMS}employeeNumber`,
};

/** Groups: the name is the displayName; the address is derived from it (see google-group-mapper.ts). */
export const DEFAULT_GROUP_MAPPING: Readonly<Record<string, MappingRule>> = {
  name: 'displayName',
};
