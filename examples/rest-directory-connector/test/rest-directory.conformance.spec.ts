import { createConnectorHttp, silentLogger, systemClock, type ConnectorContext } from '@provisio/core';
import { describeConnectorConformance } from '@provisio/connector-testkit';
import { restDirectoryConnector } from '../src/index.js';
import { startRestDirectoryEmulator } from './rest-directory-emulator.js';

const TOKEN = 'rest-directory-test-token-0123456789';
// Small pages, so that the read cases page with a dozen users.
const PAGE_SIZE = 5;
const ctx: ConnectorContext = { instanceId: 'rest-directory', logger: silentLogger(), clock: systemClock, http: createConnectorHttp() };

describeConnectorConformance({
  name: 'rest-directory against its emulator',
  setup: async () => {
    const target = await startRestDirectoryEmulator(TOKEN);
    // The plugin's own definition, as the server creates the connector: the schema's defaults, then create().
    const config = restDirectoryConnector.configSchema.parse({
      baseUrl: target.url,
      apiToken: TOKEN,
      timeoutMs: 5000,
      pageSize: PAGE_SIZE,
    });
    return { connector: await restDirectoryConnector.create(config, ctx), secrets: [TOKEN], teardown: () => target.close(), target };
  },
  sampleUser: (n) => ({
    localId: `local-${n}`,
    user: { userName: `user${n}@example.com` },
    attributes: { userName: `user${n}@example.com`, givenName: 'Ada', familyName: 'Lovelace' },
    accountName: `user${n}@example.com`,
  }),
  changeUser: () => ({ title: 'Principal engineer' }),
  capabilities: { groups: false, passwords: false, deleteMode: 'delete' },
  faults: {
    dropNextResponse: (f) => f.target.dropNextResponse(),
    failNext: (f, status, { retryAfterSec }) => f.target.failNext(status, retryAfterSec),
    rejectUser: (f, payload, { status, detail }) => f.target.refuse(String(payload.accountName), status, detail),
    makeUnreachable: (f) => f.target.close(),
  },
  read: {
    pageSize: PAGE_SIZE,
    seedUsers: (f, count) => f.target.seed(count),
    removeUser: (f, remoteId) => void f.target.users.delete(remoteId),
  },
  inspect: {
    user: async (f, remoteId) => {
      const user = f.target.users.get(remoteId);
      if (!user) return null;
      // The stored fields but the emulator's own: what the connector wrote.
      const attributes: Record<string, unknown> = { ...user };
      delete attributes['id'];
      delete attributes['active'];
      return { active: user.active, attributes };
    },
  },
});
