import { DelegatingConnector, type GroupRoom, type UserRoom } from './delegating-connector.js';

/** Rooms that record which of their methods got which argument. */
function recordingRoom<T extends object>(methods: readonly (keyof T & string)[], calls: string[]): T {
  const record = async (name: string, arg: { localId?: string; groupLocalId?: string }) => {
    const id = arg.localId ?? arg.groupLocalId;
    calls.push(`${name} ${id}`);
    return name === 'find' ? null : { remoteId: `r-${id}` };
  };
  return Object.fromEntries(methods.map((name) => [name, (arg: { localId?: string; groupLocalId?: string }) => record(name, arg)])) as T;
}

class TwoRoomConnector extends DelegatingConnector {
  readonly calls: string[] = [];
  protected readonly users = recordingRoom<UserRoom>(['create', 'update', 'delete', 'find'], this.calls);
  protected readonly groups = recordingRoom<GroupRoom>(['create', 'update', 'delete', 'find', 'addMembers', 'removeMembers'], this.calls);
  async check() {
    return { ok: true, message: 'fine' };
  }
  async close() {
    // nothing to release
  }
}

describe('DelegatingConnector', () => {
  it('hands each user operation to the users room and each group operation to the groups room', async () => {
    const connector = new TwoRoomConnector();
    const user = { localId: 'u1', user: { userName: 'ada' }, attributes: {} };
    const group = { localId: 'g1', group: { displayName: 'Ops' }, attributes: {} };
    const members = { groupLocalId: 'g1', groupRemoteId: 'r-g1', memberRemoteIds: ['r-u1'] };
    expect(await connector.createUser(user)).toEqual({ remoteId: 'r-u1' });
    await connector.updateUser({ ...user, remoteId: 'r-u1', changed: {} });
    await connector.deleteUser({ localId: 'u1', remoteId: 'r-u1' });
    expect(await connector.findUser({ localId: 'u1', attributes: {} })).toBeNull();
    await connector.createGroup(group);
    await connector.updateGroup({ ...group, remoteId: 'r-g1', changed: {} });
    await connector.deleteGroup({ localId: 'g1', remoteId: 'r-g1' });
    await connector.findGroup({ localId: 'g1', displayName: 'Ops', attributes: {} });
    await connector.addMembers(members);
    await connector.removeMembers(members);
    expect(connector.calls).toEqual([
      'create u1',
      'update u1',
      'delete u1',
      'find u1',
      'create g1',
      'update g1',
      'delete g1',
      'find g1',
      'addMembers g1',
      'removeMembers g1',
    ]);
  });
});
