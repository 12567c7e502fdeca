import { startSalesforceEmulator, startScimEmulator, type SalesforceEmulator, type ScimEmulator } from '@provisio/emulators';
import { PostgresStore } from '@provisio/store-postgres';
import { DATABASE_URL, freshSchema, postgresAnswers, postgresStoreYaml } from './postgres-test-database.js';
import { scim as scimRequest } from './faults/fault-kit.js';
import { settleJobs, startInProcessServer, type InProcessServer } from './in-process-server.js';
import { HR_EXTENSION, hrExtensionYaml } from './hr-extension.js';

const SCIM_TOKEN = 'inbound-scim-token-0123456789';
const HR = HR_EXTENSION;
const APP_EXTENSION = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';
const APP_TOKEN = 'scim-app-token-0123456789';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface ScimBody {
  [key: string]: unknown;
  id?: string;
  schemas?: string[];
  scimType?: string;
  detail?: string;
  Resources?: Array<{ userName: string }>;
  attributes?: Array<{ name: string }>;
  schemaExtensions?: unknown[];
}

const POSTGRES_SCHEMA = freshSchema('provisio_e2e');
const postgresUp = await postgresAnswers('the PostgreSQL run of custom-schemas');
const STORES: Array<[string, string]> = [
  ['SQLite', ''],
  ...(postgresUp ? [['PostgreSQL', postgresStoreYaml(POSTGRES_SCHEMA)] as [string, string]] : []),
];

afterAll(async () => {
  if (postgresUp) await PostgresStore.dropSchemas(DATABASE_URL, POSTGRES_SCHEMA);
});

/**
 * A custom extension declared in the manifest (compact form), through the real server and
 * each SQL store: a required string, a multi-valued complex attribute and a
 * `uniqueness: server` integer; its costCenter maps to a Salesforce custom field.
 */
describe.each(STORES)('custom SCIM schema extensions, end to end (%s)', (_name, storeYaml) => {
  let server: InProcessServer;
  let salesforce: SalesforceEmulator;
  // A SCIM application with its own User extension, declared in its /Schemas.
  let app: ScimEmulator;

  const scim = async (method: string, path: string, body?: unknown) => {
    const { status, body: answer } = await scimRequest(server.url, SCIM_TOKEN, method, path, body);
    return { status, body: answer as ScimBody };
  };
  const user = (userName: string, hr: Record<string, unknown>) => ({
    schemas: [USER, HR],
    userName,
    name: { givenName: userName, familyName: 'Tester' },
    emails: [{ value: `${userName}@example.com`, type: 'work', primary: true }],
    [HR]: hr,
  });

  beforeAll(async () => {
    salesforce = await startSalesforceEmulator({
      clients: [{ clientId: 'sf-client', clientSecret: 'sf-client-secret' }],
      credentials: [{ username: 'admin@example.com', password: 'sf-password', securityToken: 'sftoken' }],
    });
    app = await startScimEmulator({
      auth: { type: 'bearer', token: APP_TOKEN },
      userExtensions: [{ id: APP_EXTENSION, attributes: [{ name: 'costCenter', type: 'string' }] }],
    });
    const profileId = salesforce.state.profileId('Standard User');
    server = await startInProcessServer(
      `server: { port: 0, logLevel: silent }
${storeYaml}inbound:
  scim:
    auth: { bearer: [{ name: hr, token: "${SCIM_TOKEN}" }] }
${hrExtensionYaml({ required: true })}connectors:
  - id: salesforce
    type: salesforce
    scope: ${HR}:costCenter sw "CC"
    config:
      apiVersion: v32.0
      tokenEndpoint: ${salesforce.url}/services/oauth2/token
      auth: { flow: password, clientId: sf-client, clientSecret: sf-client-secret, username: admin@example.com, password: sf-password, securityToken: sftoken }
    pattern: { template: "{UN}", separator: "_", domain: example.org }
    mapping:
      Alias: { from: name.givenName, transform: truncate(8) }
      Email: emails.value
      LastName: name.familyName
      Username: emails.value
      ProfileId: { from: roles.value, default: "${profileId}" }
      EmailEncodingKey: { from: locale, default: UTF-8 }
      LanguageLocaleKey: { from: locale, default: en_US }
      LocaleSidKey: { from: locale, default: en_US }
      TimeZoneSidKey: { from: timezone, default: America/Los_Angeles }
      CostCenter__c: { from: "${HR}:costCenter" }
  - id: scim-app
    type: scim2
    config: { baseUrl: "${app.baseUrl2}", auth: { type: bearer, token: "${APP_TOKEN}" } }
    mapping:
      userName: userName
      familyName: name.familyName
      "${APP_EXTENSION}:costCenter": { from: "${HR}:costCenter" }
`,
      { prefix: 'provisio-custom-schemas-' },
    );
  });

  afterAll(async () => {
    await server?.stop();
    await Promise.all([salesforce?.close(), app?.close()]);
  });

  it('creates, replaces, patches, filters and sorts over the extension; its value reaches Salesforce’s CostCenter__c and a SCIM application’s extension', async () => {
    const ada = await scim(
      'POST',
      '/Users',
      user('ada', { costCenter: 'CC-100', employeeNumber: 3, assignments: [{ value: 'p1', type: 'project' }] }),
    );
    expect(ada.status).toBe(201);
    expect(ada.body.schemas).toEqual([USER, HR]);
    const bob = await scim('POST', '/Users', user('bob', { costCenter: 'CC-200', employeeNumber: 1 }));
    const cyd = await scim('POST', '/Users', user('cyd', { costCenter: 'OUT-1', employeeNumber: 2 }));
    expect([bob.status, cyd.status]).toEqual([201, 201]);
    await settleJobs(server, { failOnFailed: true });
    expect(salesforce.state.userByUsername('ada@example.org')).toMatchObject({ CostCenter__c: 'CC-100' });
    // Out of scope (costCenter does not start with CC): never provisioned.
    expect(salesforce.state.userByUsername('cyd@example.org')).toBeUndefined();

    const clash = await scim('POST', '/Users', user('dan', { costCenter: 'CC-1', employeeNumber: 3 }));
    expect([clash.status, clash.body.scimType]).toEqual([409, 'uniqueness']);

    const put = await scim('PUT', `/Users/${bob.body.id ?? ''}`, user('bob', { costCenter: 'CC-201', employeeNumber: 1 }));
    expect([put.status, put.body[HR]]).toEqual([200, { costCenter: 'CC-201', employeeNumber: 1 }]);

    const patched = await scim('PATCH', `/Users/${ada.body.id ?? ''}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', path: `${HR}:costCenter`, value: 'CC-101' },
        { op: 'replace', path: `${HR}:assignments[type eq "project"].value`, value: 'p2' },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body[HR]).toEqual({ costCenter: 'CC-101', employeeNumber: 3, assignments: [{ value: 'p2', type: 'project' }] });
    await settleJobs(server, { failOnFailed: true });
    expect(salesforce.state.userByUsername('ada@example.org')).toMatchObject({ CostCenter__c: 'CC-101' });
    expect(salesforce.state.userByUsername('bob@example.org')).toMatchObject({ CostCenter__c: 'CC-201' });
    // And to the SCIM application's own extension (created, then the PATCH's change).
    expect(app.state.findUserByUserName('ada')).toMatchObject({
      schemas: expect.arrayContaining([APP_EXTENSION]),
      [APP_EXTENSION]: { costCenter: 'CC-101' },
    });
    expect(app.state.findUserByUserName('cyd')).toMatchObject({ [APP_EXTENSION]: { costCenter: 'OUT-1' } });

    // Stored in SQLite and read back: filter and sort on the extension.
    const names = (r: { body: ScimBody }) => (r.body.Resources ?? []).map((u) => u.userName);
    const filter = encodeURIComponent(`${HR}:costCenter sw "CC"`);
    const sortBy = encodeURIComponent(`${HR}:employeeNumber`);
    expect(names(await scim('GET', `/Users?filter=${filter}&sortBy=${sortBy}`))).toEqual(['bob', 'ada']);
    expect(names(await scim('GET', `/Users?sortBy=${sortBy}&sortOrder=descending`))).toEqual(['ada', 'cyd', 'bob']);
    const byNumber = await scim('GET', `/Users?filter=${encodeURIComponent(`${HR}:employeeNumber eq 2`)}`);
    expect(names(byNumber)).toEqual(['cyd']);
  });

  it('refuses an undeclared extension and a missing required value with invalidValue', async () => {
    const other = 'urn:example:params:scim:schemas:extension:other:2.0:User';
    const undeclared = await scim('POST', '/Users', { ...user('eve', { costCenter: 'CC-5' }), [other]: { shoeSize: 9 } });
    expect([undeclared.status, undeclared.body.scimType]).toEqual([400, 'invalidValue']);
    expect(undeclared.body.detail).toContain(other);
    const missing = await scim('POST', '/Users', user('eve', { employeeNumber: 77 }));
    expect([missing.status, missing.body.scimType]).toEqual([400, 'invalidValue']);
    expect(missing.body.detail).toContain(`${HR}:costCenter is required`);
  });

  it('serves the extension in /Schemas and /ResourceTypes', async () => {
    const schema = await scim('GET', `/Schemas/${HR}`);
    expect(schema.status).toBe(200);
    expect(schema.body.attributes?.map((a) => a.name)).toEqual(['costCenter', 'employeeNumber', 'assignments']);
    const types = await scim('GET', '/ResourceTypes/User');
    expect(types.body.schemaExtensions).toContainEqual({ schema: HR, required: true });
  });
});
