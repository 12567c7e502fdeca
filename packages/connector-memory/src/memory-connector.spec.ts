import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnectorHttp, silentLogger, systemClock, type ConnectorContext } from '@provisio/core';
import plugin, { memoryConnector, type MemoryConnector } from './index.js';

const ctx: ConnectorContext = { instanceId: 'mem-1', logger: silentLogger(), clock: systemClock, http: createConnectorHttp() };
const user = { localId: 'u1', user: { userName: 'ada' }, attributes: { email: 'ada@example.com' }, accountName: 'ada' };

async function create(config: Record<string, unknown> = {}): Promise<MemoryConnector> {
  return (await memoryConnector.create(memoryConnector.configSchema.parse(config), ctx)) as MemoryConnector;
}

describe('memory connector', () => {
  it('is a plugin with the memory type', () => {
    expect(plugin.name).toBe('@provisio/connector-memory');
    expect(plugin.connectors.map((c) => c.type)).toEqual(['memory']);
  });

  it('creates, finds, updates and deletes users, recording each operation', async () => {
    const connector = await create();
    const ref = await connector.createUser(user);
    expect(await connector.findUser({ localId: 'other', accountName: 'ada', attributes: {} })).toEqual({
      remoteId: ref.remoteId,
      remoteName: 'ada',
    });
    await connector.updateUser({ ...user, remoteId: ref.remoteId, changed: { title: 'Engineer' } });
    expect(connector.directory.users.get(ref.remoteId)?.attributes).toEqual({ email: 'ada@example.com', title: 'Engineer' });
    await connector.deleteUser({ localId: 'u1', remoteId: ref.remoteId });
    expect(connector.directory.users.size).toBe(0);
    expect(connector.directory.received.map((r) => r.op)).toEqual(['createUser', 'updateUser', 'deleteUser']);
  });

  it('fails transiently N times, then succeeds', async () => {
    const connector = await create({ failTransiently: 2 });
    await expect(connector.createUser(user)).rejects.toHaveProperty('kind', 'transient');
    await expect(connector.createUser(user)).rejects.toHaveProperty('kind', 'transient');
    await expect(connector.createUser(user)).resolves.toHaveProperty('remoteId');
  });

  it('fails permanently with the configured message', async () => {
    const connector = await create({ failPermanently: 'REQUIRED_FIELD_MISSING: LastName' });
    await expect(connector.createUser(user)).rejects.toThrow('REQUIRED_FIELD_MISSING: LastName');
    await expect(connector.createUser(user)).rejects.toHaveProperty('kind', 'permanent');
  });

  it('journals operations to a file another process can read', async () => {
    const journal = join(mkdtempSync(join(tmpdir(), 'provisio-mem-')), 'journal.jsonl');
    const connector = await create({ journal });
    await connector.createUser(user);
    const lines = readFileSync(journal, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ op: 'createUser', instanceId: 'mem-1', localId: 'u1', accountName: 'ada' })]);
  });

  it('keeps group membership by remote ids', async () => {
    const connector = await create();
    const group = await connector.createGroup({ localId: 'g1', group: { displayName: 'Sales' }, attributes: {} });
    await connector.addMembers({ groupLocalId: 'g1', groupRemoteId: group.remoteId, memberRemoteIds: ['r1', 'r2'] });
    await connector.removeMembers({ groupLocalId: 'g1', groupRemoteId: group.remoteId, memberRemoteIds: ['r1'] });
    expect([...(connector.directory.groups.get(group.remoteId)?.members ?? [])]).toEqual(['r2']);
  });
});

describe('memory connector journal', () => {
  it('rebuilds its directory from the journal after a restart, so findUser still finds earlier accounts', async () => {
    const journal = join(mkdtempSync(join(tmpdir(), 'provisio-mem-')), 'journal.jsonl');
    const first = await create({ journal });
    const ref = await first.createUser(user);
    const group = await first.createGroup({ localId: 'g1', group: { displayName: 'Sales' }, attributes: {} });
    await first.addMembers({ groupLocalId: 'g1', groupRemoteId: group.remoteId, memberRemoteIds: [ref.remoteId] });
    const second = await create({ journal });
    expect(await second.findUser({ localId: 'u1', attributes: {} })).toEqual({ remoteId: ref.remoteId, remoteName: 'ada' });
    expect([...(second.directory.groups.get(group.remoteId)?.members ?? [])]).toEqual([ref.remoteId]);
    expect(second.directory.received.map((r) => r.op)).toEqual(['createUser', 'createGroup', 'addMembers']);
  });
});
