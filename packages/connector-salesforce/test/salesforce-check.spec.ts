import type { SalesforceEmulator } from '@provisio/emulators';
import plugin, { salesforceConnector } from '../src/index.js';
import { ADMIN_USERNAME, connectorFor, expectNoSecrets, startEmulator } from './salesforce-fixture.js';

describe('salesforce connector: plugin and check()', () => {
  let emulator: SalesforceEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ dailyApiLimit: 15000 });
  });
  afterAll(() => emulator.close());

  it('is a plugin with the salesforce type, groups and batch of 200', () => {
    expect(plugin.name).toBe('@provisio/connector-salesforce');
    expect(plugin.connectors.map((c) => c.type)).toEqual(['salesforce']);
    expect(salesforceConnector.capabilities).toMatchObject({ users: true, groups: true, batch: { maxOperations: 200 } });
    expect(salesforceConnector.secretFields).toEqual(['auth.clientSecret', 'auth.password', 'auth.securityToken', 'auth.privateKey']);
  });

  it('reports who it is and the daily API calls left', async () => {
    const connector = await connectorFor(emulator);
    const report = await connector.check();
    expect(report.ok).toBe(true);
    const used = emulator.state.apiCallCount();
    const left = (15000 - used).toLocaleString('en-US');
    expect(report.message).toBe(
      `authenticated as ${ADMIN_USERNAME} at ${emulator.instanceUrl} (API v59.0); ${left} of 15,000 daily API calls left`,
    );
    await connector.close();
  });

  it('never throws: a dead org is ok:false with the reason', async () => {
    const connector = await connectorFor(emulator);
    emulator.faults.requestLimitExceededAfter(0);
    try {
      const report = await connector.check();
      expect(report.ok).toBe(false);
      expect(report.message).toContain('REQUEST_LIMIT_EXCEEDED');
      expectNoSecrets(report.message);
    } finally {
      emulator.faults.reset();
      await connector.close();
    }
  });
});
