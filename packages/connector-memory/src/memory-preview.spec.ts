import { createConnectorHttp, silentLogger, systemClock, type ConnectorContext } from '@provisio/core';
import { memoryConnector, type MemoryConnector } from './index.js';

const ctx: ConnectorContext = { instanceId: 'mem-preview', logger: silentLogger(), clock: systemClock, http: createConnectorHttp() };
const payload = {
  localId: 'u1',
  user: { userName: 'ada' },
  attributes: { email: 'ada@example.com', title: 'Engineer' },
  accountName: 'ada',
  password: 'Secret-1',
};

describe('memory previewUser', () => {
  it('previews what createUser stores and updateUser changes, without storing anything or showing the password', async () => {
    const connector = (await memoryConnector.create(memoryConnector.configSchema.parse({}), ctx)) as MemoryConnector;
    const [create] = await connector.previewUser({ kind: 'create', payload });
    expect(create).toEqual({
      operation: 'createUser',
      method: 'CREATE',
      path: 'memory:mem-preview/users',
      body: { accountName: 'ada', attributes: payload.attributes, passwordSet: true },
    });
    expect(JSON.stringify(create)).not.toContain('Secret-1');
    expect(connector.directory.users.size).toBe(0);

    const ref = await connector.createUser(payload);
    expect(connector.directory.users.get(ref.remoteId)?.attributes).toEqual((create.body as { attributes: unknown }).attributes);
    const [update] = await connector.previewUser({
      kind: 'update',
      update: { ...payload, remoteId: ref.remoteId, changed: { title: 'CTO' } },
    });
    expect(update).toMatchObject({
      method: 'UPDATE',
      path: `memory:mem-preview/users/${ref.remoteId}`,
      body: { attributes: { title: 'CTO' } },
    });
    expect(connector.directory.users.get(ref.remoteId)?.attributes['title']).toBe('Engineer');
  });
});
