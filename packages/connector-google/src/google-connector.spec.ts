import { z } from '@provisio/core';
import plugin, { googleConnector } from './index.js';
import { DEFAULT_SCOPES } from './google-config.js';
import { slugOf } from './google-group-mapper.js';
import { userAgentProduct } from './google-session.js';

describe('google connector definition', () => {
  it('is a plugin with the google type, groups and batch', () => {
    expect(plugin.name).toBe('@provisio/connector-google');
    expect(plugin.connectors.map((c) => c.type)).toEqual(['google']);
    expect(googleConnector.capabilities).toEqual({
      users: true,
      groups: true,
      batch: { maxOperations: 1000, eachOperationCounts: true },
      passwords: true,
      read: { groups: true },
    });
    expect(googleConnector.defaultMapping).toMatchObject({
      primaryEmail: 'http://wso2.org/claims/emailaddress',
      givenName: 'http://wso2.org/claims/givenname',
      familyName: 'http://wso2.org/claims/lastname',
    });
  });

  it('applies defaults and marks key material secret', () => {
    const config = googleConnector.configSchema.parse({
      domain: 'mygoogledomain.com',
      adminEmail: 'om@mygoogledomain.com',
      privateKey: { format: 'pkcs12', pkcs12Base64: 'AAAA' },
      serviceAccountEmail: 'd343s86gf@developer.gserviceaccount.com',
    });
    expect(config).toMatchObject({
      customer: 'my_customer',
      deleteMode: 'suspend',
      changePasswordAtNextLogin: false,
      scopes: DEFAULT_SCOPES,
      privateKey: { password: 'notasecret' },
    });
    expect(googleConnector.secretFields).toEqual(['privateKey.json', 'privateKey.pem', 'privateKey.pkcs12Base64', 'privateKey.password']);
  });

  it('needs serviceAccountEmail unless the JSON key names it', () => {
    const result = googleConnector.configSchema.safeParse({
      domain: 'mygoogledomain.com',
      adminEmail: 'om@mygoogledomain.com',
      privateKey: { format: 'pem', pem: 'x' },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['serviceAccountEmail']);
  });

  it("describes fields with the reference docs' names in its JSON Schema", () => {
    const schema = JSON.stringify(z.toJSONSchema(googleConnector.configSchema, { io: 'input', unrepresentable: 'any' }));
    for (const label of ['Google Domain', 'Service Account Email', 'Private Key', "Administrator's Email", 'Application Name'])
      expect(schema).toContain(label);
  });

  it('derives group addresses and user agents', () => {
    expect(slugOf('Sales Team (EMEA)')).toBe('sales-team-emea');
    expect(slugOf('Équipe Café')).toBe('equipe-cafe');
    expect(slugOf('!!!')).toBe('');
    expect(userAgentProduct('My App')).toBe('My-App');
  });
});
