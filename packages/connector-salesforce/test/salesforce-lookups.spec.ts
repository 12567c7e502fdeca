// Lookup by name: `ProfileId: { from: ..., lookup: Profile.Name }` resolved by SOQL against the emulator,
// through the connector alone and through the whole pipeline (manifest mapping → ConnectorInstances → worker).
import { isPermanentError, type BatchOperation } from '@provisio/core';
import type { ProvisioningRuntime, Store } from '@provisio/core/engine';
import { startPipelineForTest, type PipelineForTest } from '@provisio/core/testing';
import type { SalesforceEmulator } from '@provisio/emulators';
import { salesforceConnector, type SalesforceConnector } from '../src/index.js';
import { API_VERSION, ctx, passwordAuth, rejectionOf, startEmulator, userPayload } from './salesforce-fixture.js';

const LOOKUPS = { ProfileId: 'Profile.Name' };

describe('salesforce connector: lookup by name', () => {
  let emulator: SalesforceEmulator;
  const requests: string[] = [];
  /** The SOQL queries the emulator answered since the last call. */
  const queries = (): number => requests.splice(0).filter((line) => /^GET \S+\/query /.test(line)).length;

  const config = () =>
    salesforceConnector.configSchema.parse({
      apiVersion: API_VERSION,
      tokenEndpoint: `${emulator.url}/services/oauth2/token`,
      auth: passwordAuth(),
    });
  const connectorWith = async (lookups: Record<string, string>) =>
    (await salesforceConnector.create(config(), { ...ctx, lookups })) as SalesforceConnector;

  beforeAll(async () => {
    emulator = await startEmulator({ log: (line) => requests.push(line) });
  });
  afterAll(() => emulator.close());

  it('creates the user with the id of the profile its name names, querying each distinct name once', async () => {
    const connector = await connectorWith(LOOKUPS);
    queries();
    const first = await connector.createUser(userPayload(emulator, { ProfileId: 'Chatter Free User' }));
    expect(queries()).toBe(1);
    const second = await connector.createUser(userPayload(emulator, { ProfileId: 'chatter free user' }));
    expect(queries()).toBe(0);
    for (const ref of [first, second])
      expect(emulator.state.users().find((u) => u['Id'] === ref.remoteId)?.['ProfileId']).toBe(
        emulator.state.profileId('Chatter Free User'),
      );

    // An update sends the id of the new profile's name.
    await connector.updateUser({ ...userPayload(emulator), remoteId: first.remoteId, changed: { ProfileId: 'System Administrator' } });
    expect(emulator.state.users().find((u) => u['Id'] === first.remoteId)?.['ProfileId']).toBe(
      emulator.state.profileId('System Administrator'),
    );
    // The read side gives the name back, so reconcile compares names with names.
    expect(await connector.getUser(first.remoteId, { attributes: ['ProfileId', 'LastName'] })).toMatchObject({
      attributes: { ProfileId: 'System Administrator' },
    });
    await connector.close();
  });

  it('fails permanently on a name the org does not have, naming the value and the object, and creates nothing', async () => {
    const connector = await connectorWith(LOOKUPS);
    const before = emulator.state.users().length;
    const error = await rejectionOf(connector.createUser(userPayload(emulator, { ProfileId: 'Chatter Fre User' })));
    expect(isPermanentError(error)).toBe(true);
    expect(error.message).toBe(
      'Salesforce has no Profile whose Name is "Chatter Fre User" (mapping.ProfileId, lookup Profile.Name): create it in the org or correct the value',
    );
    expect(emulator.state.users()).toHaveLength(before);
    await connector.close();
  });

  it('resolves a batch’s names in one query; an unknown name fails only its own operation', async () => {
    const connector = await connectorWith({ ...LOOKUPS, Title: 'PermissionSet.Name' });
    queries();
    const operations: BatchOperation[] = [
      { kind: 'createUser', jobId: 'a', payload: userPayload(emulator, { ProfileId: 'Standard User', Title: 'Sales_Ops' }) },
      { kind: 'createUser', jobId: 'b', payload: userPayload(emulator, { ProfileId: 'Nobody' }) },
      { kind: 'createUser', jobId: 'c', payload: userPayload(emulator, { ProfileId: 'System Administrator' }) },
    ];
    const outcomes = await connector.provisionBatch(operations);
    expect(queries()).toBe(2); // one Profile query for the three names, one PermissionSet query
    expect(outcomes.map((o) => [o.jobId, o.ok])).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
    ]);
    const failed = outcomes.find((o) => o.jobId === 'b');
    expect(failed && !failed.ok && failed.error.message).toMatch(/^Salesforce has no Profile whose Name is "Nobody"/);
    const created = outcomes.find((o) => o.jobId === 'a');
    const row = emulator.state.users().find((u) => created?.ok && u['Id'] === created.ref?.remoteId);
    expect(row).toMatchObject({ ProfileId: emulator.state.profileId('Standard User') });
    expect(String(row?.['Title'])).toMatch(/^0PS/);
    await connector.close();
  });

  it('is checked by validation: <sObject>.<field>', () => {
    expect(salesforceConnector.checkLookup?.('Profile.Name')).toBeUndefined();
    expect(salesforceConnector.checkLookup?.('Profile')).toBe('write it as <sObject>.<field>, e.g. Profile.Name or PermissionSet.Name');
  });
});

describe('salesforce: a manifest mapping with lookup, through the pipeline', () => {
  let emulator: SalesforceEmulator;
  let store: Store;
  let runtime: ProvisioningRuntime;
  let pipeline: PipelineForTest;

  const settle = () => pipeline.settle();

  beforeAll(async () => {
    emulator = await startEmulator();
    pipeline = await startPipelineForTest({
      connectors: [salesforceConnector],
      instances: [
        {
          id: 'salesforce',
          type: 'salesforce',
          config: salesforceConnector.configSchema.parse({
            apiVersion: API_VERSION,
            tokenEndpoint: `${emulator.url}/services/oauth2/token`,
            auth: passwordAuth(),
          }),
          mapping: {
            Username: 'userName',
            Email: 'emails[primary eq true].value',
            LastName: 'name.familyName',
            Alias: { from: 'userName', transform: 'truncate(8)' },
            EmailEncodingKey: { default: 'UTF-8' },
            LanguageLocaleKey: { default: 'en_US' },
            LocaleSidKey: { default: 'en_US' },
            TimeZoneSidKey: { default: 'America/Los_Angeles' },
            ProfileId: { from: 'roles[primary eq true].value', lookup: 'Profile.Name' },
          },
          retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
        },
      ],
    });
    ({ store, runtime } = pipeline);
  });

  afterAll(async () => {
    await pipeline?.stop();
    await emulator?.close();
  });

  it('creates Kim with the ProfileId of the profile her primary role names', async () => {
    const { resource } = await runtime.identities.createUser(
      {
        userName: `kim.${process.pid}@lookup.example`,
        name: { familyName: 'Paul' },
        emails: [{ value: 'kim@lookup.example', primary: true }],
        roles: [{ value: 'Standard User' }, { value: 'Chatter Free User', primary: true }],
      },
      { actor: 'test' },
    );
    await settle();
    const link = await store.getLink('salesforce', 'user', resource.id as string);
    expect(link).toMatchObject({ status: 'synced', syncedAttributes: { ProfileId: 'Chatter Free User' } });
    expect(emulator.state.users().find((u) => u['Id'] === link?.remoteId)).toMatchObject({
      LastName: 'Paul',
      ProfileId: emulator.state.profileId('Chatter Free User'),
    });
  });
});
