import { createConnectorHttp, silentLogger, systemClock, type ConnectorContext, type RemotePage, type RemoteUser } from '@provisio/core';
import { memoryConnector, type MemoryConnector } from './index.js';

const ctx: ConnectorContext = { instanceId: 'mem-read', logger: silentLogger(), clock: systemClock, http: createConnectorHttp() };

async function connectorWith(users: number, pageSize = 3): Promise<MemoryConnector> {
  const connector = (await memoryConnector.create(memoryConnector.configSchema.parse({ pageSize }), ctx)) as MemoryConnector;
  for (let n = 0; n < users; n++) {
    await connector.createUser({
      localId: `u${n}`,
      user: { userName: `user${n}` },
      attributes: { email: `user${n}@example.com` },
      accountName: `user${n}`,
    });
  }
  return connector;
}

async function pagesOf(
  listing: AsyncIterable<RemotePage<RemoteUser>>,
  between: (index: number) => void = () => undefined,
): Promise<RemotePage<RemoteUser>[]> {
  const pages: RemotePage<RemoteUser>[] = [];
  for await (const page of listing) {
    pages.push(page);
    between(pages.length - 1);
    if (pages.length > 100) throw new Error('listing does not end');
  }
  return pages;
}

describe('memory connector read side', () => {
  it('declares it reads users and groups', () => {
    expect(memoryConnector.capabilities.read).toEqual({ groups: true });
  });

  it('lists users in pages of the configured size, with the mapped attributes and the total', async () => {
    const connector = await connectorWith(7);
    const pages = await pagesOf(connector.listUsers());
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(pages.every((p) => p.totalHint === 7)).toBe(true);
    expect(pages[0].items[0]).toEqual({
      remoteId: expect.any(String),
      remoteName: 'user0',
      active: true,
      attributes: { email: 'user0@example.com' },
    });
  });

  it('ends on an exact multiple of the page size without an empty page', async () => {
    const pages = await pagesOf((await connectorWith(6)).listUsers());
    expect(pages.map((p) => p.items.length)).toEqual([3, 3]);
  });

  it('lists nothing for an empty target', async () => {
    expect(await pagesOf((await connectorWith(0)).listUsers())).toEqual([]);
  });

  it('skips no account when one already listed is deleted between pages', async () => {
    const connector = await connectorWith(7);
    const firstId = [...connector.directory.users.keys()][0];
    const pages = await pagesOf(connector.listUsers(), (index) => {
      if (index === 0) connector.directory.users.delete(firstId);
    });
    const ids = pages.flatMap((p) => p.items.map((u) => u.remoteId));
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
  });

  it('gets a user and a group by remote id, and null once gone', async () => {
    const connector = await connectorWith(1);
    const [userId] = [...connector.directory.users.keys()];
    const group = await connector.createGroup({ localId: 'g1', group: { displayName: 'Sales' }, attributes: { displayName: 'Sales' } });
    await connector.addMembers({ groupLocalId: 'g1', groupRemoteId: group.remoteId, memberRemoteIds: [userId] });
    expect(await connector.getUser(userId)).toMatchObject({ remoteId: userId, active: true });
    expect(await connector.getGroup(group.remoteId)).toEqual({
      remoteId: group.remoteId,
      remoteName: 'Sales',
      attributes: { displayName: 'Sales' },
      memberRemoteIds: [userId],
    });
    const listed = [];
    for await (const page of connector.listGroups()) listed.push(...page.items);
    expect(listed.map((g) => g.remoteId)).toEqual([group.remoteId]);
    await connector.deleteUser({ localId: 'u0', remoteId: userId });
    await connector.deleteGroup({ localId: 'g1', remoteId: group.remoteId });
    expect(await connector.getUser(userId)).toBeNull();
    expect(await connector.getGroup(group.remoteId)).toBeNull();
  });
});
