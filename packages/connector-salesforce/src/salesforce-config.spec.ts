import { salesforceConfigSchema } from './salesforce-config.js';

const auth = { flow: 'password', clientId: 'id', clientSecret: 'secret-1', username: 'u@example.com', password: 'pw-12345' };
const parse = (extra: Record<string, unknown>) => salesforceConfigSchema.safeParse({ auth, ...extra });

describe('salesforce config', () => {
  it('fills the documented defaults', () => {
    const config = salesforceConfigSchema.parse({ auth });
    expect(config).toMatchObject({
      apiVersion: '59.0',
      tokenEndpoint: 'https://login.salesforce.com/services/oauth2/token',
      deleteMode: 'deactivate',
      useCollections: true,
      aliasOverflow: 'truncate',
      groups: { mode: 'publicGroup', permissionSets: {} },
    });
  });

  it.each([
    ['v32.0', '32.0'],
    ['32.0', '32.0'],
    [' v59.0 ', '59.0'],
  ])('normalises apiVersion %s', (input, expected) => {
    expect(parse({ apiVersion: input }).data?.apiVersion).toBe(expected);
  });

  it.each(['32', 'v32', 'version 32.0', 'v32.0.1', ''])('rejects apiVersion %j', (input) => {
    expect(parse({ apiVersion: input }).success).toBe(false);
  });

  it.each([
    ['https://identityprovisioning-dev-ed.my.salesforce.com/', true],
    ['http://127.0.0.1:8080', true],
    ['http://localhost:1234', true],
    ['http://[::1]:1234', true],
    ['http://identityprovisioning-dev-ed.my.salesforce.com', false],
    ['ftp://example.com', false],
    ['not a url', false],
  ])('domainName %s accepted: %s', (domainName, ok) => {
    expect(parse({ domainName }).success).toBe(ok);
    expect(parse({ tokenEndpoint: `${domainName}/services/oauth2/token` }).success).toBe(ok);
  });

  it('strips the trailing slash of the domain name', () => {
    expect(parse({ domainName: 'https://x.my.salesforce.com/' }).data?.domainName).toBe('https://x.my.salesforce.com');
  });

  it('knows the three auth flows and refuses fields of another flow', () => {
    expect(
      parse({ auth: { flow: 'clientCredentials', clientId: 'id', clientSecret: 's', executionUser: 'run.as@example.com' } }).success,
    ).toBe(true);
    expect(
      parse({
        auth: {
          flow: 'jwtBearer',
          clientId: 'id',
          username: 'u',
          privateKey: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
        },
      }).success,
    ).toBe(true);
    expect(parse({ auth: { flow: 'jwtBearer', clientId: 'id', username: 'u', privateKey: 'not a pem' } }).success).toBe(false);
    expect(parse({ auth: { flow: 'clientCredentials', clientId: 'id', clientSecret: 's', password: 'x' } }).success).toBe(false);
    expect(parse({ auth: { flow: 'saml' } }).success).toBe(false);
  });

  it('accepts permissionSets only with a mode that uses them', () => {
    expect(parse({ groups: { permissionSets: { Sales: 'Sales_Ops' } } }).success).toBe(false);
    expect(parse({ groups: { mode: 'both', permissionSets: { Sales: 'Sales_Ops' } } }).success).toBe(true);
  });

  it('documents every field', () => {
    const described = Object.entries(salesforceConfigSchema.shape).filter(([, schema]) => !schema.description);
    expect(described.map(([name]) => name)).toEqual([]);
  });
});
