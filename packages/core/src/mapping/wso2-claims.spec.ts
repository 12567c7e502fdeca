import { parsePatchPath } from '../scim-filter/index.js';
import { compileMapping } from './compile-mapping.js';
import { PROVISIO_WSO2_EXTENSION_SCHEMA, WSO2_CLAIM_PATHS } from './wso2-claims.js';

const claim = (name: string): string => `http://wso2.org/claims/${name}`;

describe('WSO2 claim table', () => {
  it('holds only valid SCIM paths', () => {
    for (const paths of WSO2_CLAIM_PATHS.values()) for (const path of paths) expect(() => parsePatchPath(path)).not.toThrow();
  });

  it.each([
    ['username', 'userName'],
    ['givenname', 'name.givenName'],
    ['lastname', 'name.familyName'],
    ['fullname', 'name.formatted'],
    ['nickname', 'nickName'],
    ['displayName', 'displayName'],
    ['title', 'title'],
    ['telephone', 'phoneNumbers[type eq "work"].value'],
    ['mobile', 'phoneNumbers[type eq "mobile"].value'],
    ['otherphone', 'phoneNumbers[type eq "other"].value'],
    ['department', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department'],
    ['costcenter', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter'],
    ['role', 'roles.value'],
    ['groups', 'groups.display'],
    ['entitlements', 'entitlements.value'],
    ['timeZone', 'timezone'],
    ['dob', `${PROVISIO_WSO2_EXTENSION_SCHEMA}:dob`],
    ['challengeQuestion1', `${PROVISIO_WSO2_EXTENSION_SCHEMA}:challengeQuestion1`],
  ])('maps %s to %s', (name, path) => {
    expect(WSO2_CLAIM_PATHS.get(claim(name))).toContain(path);
  });

  it('prefers the primary email and address, then the first one', () => {
    const mapping = compileMapping({ Email: claim('emailaddress'), Country: claim('country'), City: claim('locality') });
    expect(
      mapping.apply({
        emails: [{ value: 'a@x' }, { value: 'b@x', primary: true }],
        addresses: [{ locality: 'Colombo' }, { country: 'LK', primary: true }],
      }),
    ).toEqual({ Email: 'b@x', Country: 'LK', City: 'Colombo' });
    expect(mapping.apply({ emails: [{ value: 'a@x' }, { value: 'b@x' }] })).toEqual({ Email: 'a@x' });
  });

  it('is case-sensitive, like WSO2, and suggests the right spelling', () => {
    expect(() => compileMapping({ Name: claim('GivenName') })).toThrow(/nearest known: http:\/\/wso2.org\/claims\/givenname/);
  });
});
