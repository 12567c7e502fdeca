import { compileMapping, PROVISIO_WSO2_EXTENSION_SCHEMA } from '@provisio/core';
import { salesforceConfigSchema } from './salesforce-config.js';
import {
  SALESFORCE_DEFAULT_MAPPING,
  freedUsername,
  isFreedUsername,
  userChangesForUpdate,
  userRecordForCreate,
} from './salesforce-user-mapper.js';

const config = salesforceConfigSchema.parse({ auth: { flow: 'clientCredentials', clientId: 'id', clientSecret: 'secret' } });

describe('salesforce user mapping', () => {
  it('turns the reference docs SCIM user (entitlements carry the ProfileId) into a Salesforce User', () => {
    const mapping = compileMapping(SALESFORCE_DEFAULT_MAPPING);
    const attributes = mapping.apply({
      userName: 'kim@wso2.com',
      name: { familyName: 'paul', givenName: 'Kim' },
      emails: [{ value: 'kim@wso2.com', primary: true }],
      entitlements: [{ value: '00e2x000001AT3y', display: 'ChatterFreeUser' }],
      [PROVISIO_WSO2_EXTENSION_SCHEMA]: {},
    });
    expect(attributes).toEqual({
      Username: 'kim@wso2.com',
      Email: 'kim@wso2.com',
      FirstName: 'Kim',
      LastName: 'paul',
      Alias: 'kim@wso2',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      LocaleSidKey: 'en_US',
      TimeZoneSidKey: 'America/Los_Angeles',
      ProfileId: '00e2x000001AT3y',
      IsActive: true,
      UserPermissionsCallCenterAutoLogin: false,
      UserPermissionsMarketingUser: false,
      UserPermissionsOfflineUser: false,
    });
  });

  it('uses the pattern account name as Username and derives a short Alias when none is mapped', () => {
    const record = userRecordForCreate(
      {
        localId: 'l',
        user: { userName: 'kim' },
        attributes: { Username: 'kim@wso2.com', LastName: 'paul', Title: null },
        accountName: 'kimberly.long@primary.com',
      },
      config,
    );
    expect(record).toEqual({ Username: 'kimberly.long@primary.com', LastName: 'paul', Alias: 'kimberly' });
  });

  it('sends changed fields only, the account name, and IsActive on reactivation', () => {
    const changes = userChangesForUpdate(
      {
        localId: 'l',
        user: { userName: 'k' },
        attributes: {},
        remoteId: '005',
        changed: { Title: null, Alias: 'longeralias' },
        reactivate: true,
        accountName: 'k@p.com',
      },
      config,
    );
    expect(changes).toEqual({ Title: null, Alias: 'longeral', Username: 'k@p.com', IsActive: true });
  });

  it('frees usernames within 80 characters, still email-shaped', () => {
    const freed = freedUsername('ada@example.com', 1_700_000_000_000);
    expect(freed).toBe('ada@example.com.deactivated.1700000000');
    expect(isFreedUsername(freed)).toBe(true);
    const long = freedUsername(`${'a'.repeat(40)}@${'b'.repeat(35)}.com`, 1_700_000_000_000);
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(/@b+\.deactivated\.1700000000$/);
  });
});
