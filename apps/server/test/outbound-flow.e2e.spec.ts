import { DOMAIN, startEmulatedTargets, type EmulatedTargets } from './faults/emulated-targets.js';
import { settleJobs, startInProcessServer, type InProcessServer } from './in-process-server.js';
import { manifestHead } from './test-manifest.js';

const SCIM_TOKEN = 'inbound-scim-token-0123456789';

/**
 * The whole flow over real HTTP: SCIM in, three emulated targets out, each
 * through its real connector, configured as the WSO2 reference docs configure it.
 */
describe('SCIM in, Salesforce / Google / SCIM out', () => {
  let server: InProcessServer;
  let targets: EmulatedTargets;

  const inbound = async (method: string, path: string, body?: unknown, version = 'v2') => {
    const response = await fetch(`${server.url}/scim/${version}${path}`, {
      method,
      headers: { authorization: `Bearer ${SCIM_TOKEN}`, 'content-type': version === 'v2' ? 'application/scim+json' : 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  const settle = () => settleJobs(server, { failOnFailed: true });

  beforeAll(async () => {
    targets = await startEmulatedTargets();
    const profileId = targets.salesforce.state.profileId('Standard User');
    // The reference docs' Salesforce claim table with its default values, pattern {UN} and a provisioning domain.
    server = await startInProcessServer(
      `${manifestHead({ scimToken: SCIM_TOKEN })}connectors:
  - id: scim-app
    type: scim2
    config: ${targets.scimConfigYaml}
  - id: salesforce
    type: salesforce
    config:
      apiVersion: v32.0
${targets.salesforceSignInYaml}
    pattern: { template: "{UN}", separator: "_", domain: wso2-provisioned.com }
    mapping:
      Alias: { from: http://wso2.org/claims/givenname, default: Samuel, transform: truncate(8) }
      Email: { from: http://wso2.org/claims/emailaddress, default: samuel@wso2.com }
      EmailEncodingKey: { from: http://wso2.org/claims/otherphone, default: UTF-8 }
      LanguageLocaleKey: { from: http://wso2.org/claims/dob, default: en_US }
      LastName: { from: http://wso2.org/claims/lastname, default: Gnaniah }
      LocaleSidKey: { from: http://wso2.org/claims/primaryChallengeQuestion, default: en_US }
      ProfileId: { from: http://wso2.org/claims/entitlements, default: "${profileId}" }
      TimeZoneSidKey: { from: http://wso2.org/claims/challengeQuestion1, default: America/Los_Angeles }
      UserPermissionsCallCenterAutoLogin: { from: http://wso2.org/claims/telephone, default: "false", transform: boolean }
      UserPermissionsMarketingUser: { from: http://wso2.org/claims/mobile, default: "false", transform: boolean }
      UserPermissionsOfflineUser: { from: http://wso2.org/claims/country, default: "false", transform: boolean }
      Username: { from: http://wso2.org/claims/emailaddress, default: samuel@wso2.com }
  - id: google
    type: google
    scope: emails.value ew "@${DOMAIN}"
    config:
${targets.googleSignInYaml}
      applicationName: Domain
    pattern: { template: "{UN}", separator: "_" }
    mapping:
      primaryEmail: http://wso2.org/claims/emailaddress
      givenName: http://wso2.org/claims/givenname
      familyName: http://wso2.org/claims/lastname
      title: title
`,
      { files: targets.files, prefix: 'provisio-flow-' },
    );
  });

  afterAll(async () => {
    await server?.stop();
    await targets?.close();
  });

  it('provisions a SCIM-created user to all three targets, with exactly the reference docs’ Salesforce fields', async () => {
    const created = await inbound('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: `ada@${DOMAIN}`,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: `ada@${DOMAIN}`, type: 'work', primary: true }],
      title: 'Analyst',
    });
    expect(created.status).toBe(201);
    await settle();

    expect(targets.scim.state.findUserByUserName(`ada@${DOMAIN}`)).toMatchObject({ name: { givenName: 'Ada', familyName: 'Lovelace' } });
    const sfUser = targets.salesforce.state.userByUsername(`ada.${DOMAIN}@wso2-provisioned.com`);
    expect(sfUser).toMatchObject({
      Alias: 'Ada',
      Email: `ada@${DOMAIN}`,
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      LastName: 'Lovelace',
      LocaleSidKey: 'en_US',
      ProfileId: targets.salesforce.state.profileId('Standard User'),
      TimeZoneSidKey: 'America/Los_Angeles',
      UserPermissionsCallCenterAutoLogin: false,
      UserPermissionsMarketingUser: false,
      UserPermissionsOfflineUser: false,
      Username: `ada.${DOMAIN}@wso2-provisioned.com`,
    });
    expect(targets.google.state.user(`ada@${DOMAIN}`)).toMatchObject({
      primaryEmail: `ada@${DOMAIN}`,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
    });
    expect(targets.salesforce.state.tokenRequestCount()).toBe(1);

    const links = (await (
      await fetch(`${server.url}/scim/v2/Users/${String(created.body.id)}`, { headers: { authorization: `Bearer ${SCIM_TOKEN}` } })
    ).json()) as { id: string };
    expect(links.id).toBe(created.body.id);
  });

  it('provisions a group with its member as the member’s remote id, and removing the member removes it remotely', async () => {
    const user = await inbound('GET', `/Users?filter=${encodeURIComponent(`userName eq "ada@${DOMAIN}"`)}`);
    const adaId = (user.body.Resources as { id: string }[])[0].id;
    const group = await inbound('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Engineering',
      members: [{ value: adaId }],
    });
    expect(group.status).toBe(201);
    await settle();

    const remoteAda = targets.scim.state.findUserByUserName(`ada@${DOMAIN}`) as { id: string };
    const remoteGroup = targets.scim.state.findGroupByDisplayName('Engineering') as { members?: { value: string }[] };
    expect(remoteGroup.members?.map((m) => m.value)).toEqual([remoteAda.id]);
    const googleGroup = targets.google.state.groups().find((g) => g.name === 'Engineering') as { id: string } | undefined;
    expect(googleGroup).toBeDefined();
    expect(targets.google.state.members(String(googleGroup?.id)).map((m) => m.email)).toEqual([`ada@${DOMAIN}`]);

    const patched = await inbound('PATCH', `/Groups/${String(group.body.id)}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'remove', path: `members[value eq "${adaId}"]` }],
    });
    expect([200, 204]).toContain(patched.status);
    await settle();
    expect((targets.scim.state.findGroupByDisplayName('Engineering') as { members?: unknown[] }).members ?? []).toEqual([]);
    expect(targets.google.state.members(String(googleGroup?.id))).toEqual([]);
  });

  it('updates a title in Google without touching the password', async () => {
    const user = await inbound('GET', `/Users?filter=${encodeURIComponent(`userName eq "ada@${DOMAIN}"`)}`);
    const adaId = (user.body.Resources as { id: string }[])[0].id;
    const before = targets.google.state.passwordChanges(`ada@${DOMAIN}`).length;
    const patched = await inbound('PATCH', `/Users/${adaId}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'title', value: 'CTO' }],
    });
    expect([200, 204]).toContain(patched.status);
    await settle();
    expect(targets.google.state.user(`ada@${DOMAIN}`)).toMatchObject({ organizations: [expect.objectContaining({ title: 'CTO' })] });
    expect(targets.google.state.passwordChanges(`ada@${DOMAIN}`)).toHaveLength(before);
  });

  it('turns the reference docs’ SCIM 1.1 curl into a Salesforce User with the profile id from its entitlements', async () => {
    // The docs' body, with the profile id of the emulated org in place of the docs' own org's id.
    const chatterFree = targets.salesforce.state.profileId('Chatter Free User');
    const created = await inbound(
      'POST',
      '/Users',
      {
        schemas: ['urn:scim:schemas:core:1.0'],
        userName: 'kim@wso2.com',
        password: 'test123',
        name: { familyName: 'paul' },
        emails: ['kim@wso2.com'],
        entitlements: [{ value: chatterFree, display: 'ChatterFreeUser' }],
      },
      'v1',
    );
    expect(created.status).toBe(201);
    await settle();
    expect(targets.salesforce.state.userByUsername('kim.wso2.com@wso2-provisioned.com')).toMatchObject({
      ProfileId: chatterFree,
      LastName: 'paul',
      Email: 'kim@wso2.com',
    });
    // Out of the Google instance's scope (not @example.com): not provisioned there.
    expect(targets.google.state.user('kim@wso2.com')).toBeUndefined();
  });
});
