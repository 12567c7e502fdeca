// The connector-testkit suite against the Salesforce emulator, every hook wired: a fresh
// emulator and connector per case, deprovisioning deactivates, groups are public groups.
import { describeConnectorConformance } from '@provisio/connector-testkit';
import type { SalesforceEmulator } from '@provisio/emulators';
import type { SalesforceConnector } from '../src/index.js';
import { SECRETS, connectorFor, startEmulator } from './salesforce-fixture.js';

interface SalesforceConformanceFixture {
  connector: SalesforceConnector;
  secrets: readonly string[];
  emulator: SalesforceEmulator;
  teardown(): Promise<void>;
}

// sampleUser gets no fixture; the profile id of the case's emulator is kept here by setup.
let standardProfileId = '';
let seeds = 0;

describeConnectorConformance<SalesforceConformanceFixture>({
  name: 'salesforce (password flow, deactivate, public groups) against the Salesforce emulator',
  setup: async () => {
    const emulator = await startEmulator();
    standardProfileId = emulator.state.profileId('Standard User') ?? '';
    // The smallest batch Salesforce takes, so that the read cases page with a few hundred users.
    const connector = await connectorFor(emulator, { deleteMode: 'deactivate', queryBatchSize: 200 });
    return { connector, secrets: SECRETS, emulator, teardown: () => emulator.close() };
  },
  sampleUser: (n) => {
    const username = `conformance${n}.${process.pid}@provisio.example`;
    return {
      localId: `conformance-${n}`,
      user: { userName: username },
      accountName: username,
      attributes: {
        Username: username,
        Email: username,
        FirstName: 'Ada',
        LastName: `Lovelace${n}`,
        Alias: `conf${n}`.slice(0, 8),
        EmailEncodingKey: 'UTF-8',
        LanguageLocaleKey: 'en_US',
        LocaleSidKey: 'en_US',
        TimeZoneSidKey: 'America/Los_Angeles',
        ProfileId: standardProfileId,
        IsActive: true,
      },
    };
  },
  changeUser: () => ({ Title: 'Principal engineer', LastName: 'Byron' }),
  // The connector has no default group mapping: the public group's Name comes from the displayName.
  sampleGroup: (n, displayName) => ({ localId: `conformance-group-${n}`, group: { displayName }, attributes: {} }),
  capabilities: { groups: true, passwords: true, deleteMode: 'deactivate' },
  faults: {
    dropNextResponse: (f) => {
      f.emulator.faults.dropNextResponses(1);
    },
    failNext: (f, status, { retryAfterSec }) => {
      const message = status === 503 ? undefined : 'ConcurrentPerOrgLongTxn Limit exceeded.';
      f.emulator.faults.failNext(1, status, { ...(message ? { message } : {}), ...(retryAfterSec === undefined ? {} : { retryAfterSec }) });
    },
    rejectUser: (f, payload, { status, detail }) => {
      f.emulator.faults.refuseAccount(String(payload.accountName ?? payload.attributes['Username']), { status, message: detail });
    },
    makeUnreachable: (f) => f.emulator.close(),
  },
  read: {
    pageSize: 200,
    seedUsers: (f, count) =>
      f.emulator.state.addUsers(
        Array.from({ length: count }, () => ({ Username: `seed${++seeds}.${process.pid}@provisio.example`, LastName: `Seed${seeds}` })),
      ),
    removeUser: (f, remoteId) => void f.emulator.state.removeRecord('User', remoteId),
    existingUserIds: (f) => f.emulator.state.users().map((u) => String(u['Id'])),
    groups: true,
  },
  inspect: {
    user: async (f, remoteId) => {
      const row = f.emulator.state.users().find((u) => u['Id'] === remoteId);
      return row ? { active: row['IsActive'] === true, attributes: row } : null;
    },
    group: async (f, remoteId) => {
      const group = f.emulator.state.groups().find((g) => g['Id'] === remoteId);
      if (!group) return null;
      const members = f.emulator.state.groupMembers().filter((m) => m['GroupId'] === remoteId);
      return { name: String(group['Name']), memberRemoteIds: members.map((m) => String(m['UserOrGroupId'])) };
    },
  },
});
