/**
 * WSO2 Identity Server local claim URIs → SCIM 2.0 attribute paths, so manifests written
 * from WSO2's guides (`ProfileId ← http://wso2.org/claims/role`) work unchanged.
 * Each claim lists candidate paths, tried in order; the first one with a value wins.
 * Claim URIs are exact and case-sensitive, as in WSO2.
 */

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * WSO2 claims with no SCIM 2.0 core or enterprise attribute (date of birth, challenge questions, ...)
 * live in this Provisio extension of the User resource, e.g. `"<this URN>": { "dob": "1990-01-31" }`.
 */
export const PROVISIO_WSO2_EXTENSION_SCHEMA = 'urn:provisio:params:scim:schemas:extension:wso2:2.0:User';

export const WSO2_CLAIM_PREFIX = 'http://wso2.org/claims/';

const typed = (attribute: string, type: string, sub = 'value'): string => `${attribute}[type eq "${type}"].${sub}`;
const primaryThenAny = (attribute: string, sub: string): string[] => [`${attribute}[primary eq true].${sub}`, `${attribute}.${sub}`];
const extension = (name: string): string => `${PROVISIO_WSO2_EXTENSION_SCHEMA}:${name}`;

const CLAIMS: Record<string, readonly string[]> = {
  username: ['userName'],
  userid: ['id'],
  externalid: ['externalId'],
  emailaddress: primaryThenAny('emails', 'value'),
  'emails.work': [typed('emails', 'work')],
  'emails.home': [typed('emails', 'home')],
  'emails.other': [typed('emails', 'other')],
  givenname: ['name.givenName'],
  lastname: ['name.familyName'],
  fullname: ['name.formatted'],
  middleName: ['name.middleName'],
  honorificPrefix: ['name.honorificPrefix'],
  honorificSuffix: ['name.honorificSuffix'],
  nickname: ['nickName'],
  displayName: ['displayName'],
  title: ['title'],
  userType: ['userType'],
  preferredLanguage: ['preferredLanguage'],
  locale: ['locale'],
  timeZone: ['timezone'],
  url: ['profileUrl'],
  profileUrl: ['profileUrl'],
  active: ['active'],
  telephone: [typed('phoneNumbers', 'work')],
  mobile: [typed('phoneNumbers', 'mobile')],
  otherphone: [typed('phoneNumbers', 'other')],
  'phoneNumbers.home': [typed('phoneNumbers', 'home')],
  'phoneNumbers.fax': [typed('phoneNumbers', 'fax')],
  'phoneNumbers.pager': [typed('phoneNumbers', 'pager')],
  // One set of address claims in WSO2: the primary address, else the first address that has the field.
  streetaddress: primaryThenAny('addresses', 'streetAddress'),
  locality: primaryThenAny('addresses', 'locality'),
  region: primaryThenAny('addresses', 'region'),
  stateorprovince: primaryThenAny('addresses', 'region'),
  postalcode: primaryThenAny('addresses', 'postalCode'),
  country: primaryThenAny('addresses', 'country'),
  addresses: primaryThenAny('addresses', 'formatted'),
  im: primaryThenAny('ims', 'value'),
  photourl: [typed('photos', 'photo'), 'photos.value'],
  thumbnail: [typed('photos', 'thumbnail')],
  organization: [`${ENTERPRISE}:organization`],
  department: [`${ENTERPRISE}:department`],
  costcenter: [`${ENTERPRISE}:costCenter`],
  employeeNumber: [`${ENTERPRISE}:employeeNumber`],
  division: [`${ENTERPRISE}:division`],
  role: ['roles.value'],
  roles: ['roles.value'],
  groups: ['groups.display'],
  // SCIM 1.1 clients of WSO2 carry the Salesforce ProfileId here (`"entitlements":[{"value":"00e2x..."}]`).
  entitlements: ['entitlements.value'],
  created: ['meta.created'],
  modified: ['meta.lastModified'],
  location: ['meta.location'],
  resourceType: ['meta.resourceType'],
  dob: [extension('dob')],
  gender: [extension('gender')],
  primaryChallengeQuestion: [extension('primaryChallengeQuestion')],
  challengeQuestion1: [extension('challengeQuestion1')],
  challengeQuestion2: [extension('challengeQuestion2')],
};

/** Claim URI → candidate SCIM paths (tried in order). */
export const WSO2_CLAIM_PATHS: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(CLAIMS).map(([name, paths]) => [`${WSO2_CLAIM_PREFIX}${name}`, paths]),
);

export function isWso2ClaimUri(text: string): boolean {
  return text.startsWith(WSO2_CLAIM_PREFIX);
}
