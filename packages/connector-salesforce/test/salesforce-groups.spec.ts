import type { SalesforceEmulator } from '@provisio/emulators';
import type { SalesforceConnector } from '../src/index.js';
import { connectorFor, rejectionOf, startEmulator, userPayload } from './salesforce-fixture.js';

const group = (displayName: string) => ({ localId: `g-${displayName}`, group: { displayName }, attributes: {} });

describe('salesforce connector: groups against the emulator', () => {
  let emulator: SalesforceEmulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  async function users(connector: SalesforceConnector, count: number): Promise<string[]> {
    return Promise.all(Array.from({ length: count }, async () => (await connector.createUser(userPayload(emulator))).remoteId));
  }

  const membersOf = (groupId: string): string[] =>
    emulator.state
      .groupMembers()
      .filter((m) => m['GroupId'] === groupId)
      .map((m) => String(m['UserOrGroupId']));
  const assigneesOf = (permissionSetId: string): string[] =>
    emulator.state
      .permissionSetAssignments()
      .filter((a) => a['PermissionSetId'] === permissionSetId)
      .map((a) => String(a['AssigneeId']));

  it.each([true, false])('maps groups to public groups with idempotent membership (useCollections %s)', async (useCollections) => {
    const connector = await connectorFor(emulator, { useCollections });
    const name = `Sales Team ${String(useCollections)}`;
    const ref = await connector.createGroup(group(name));
    expect(ref.remoteId).toMatch(/^00G/);
    expect(emulator.state.groups().find((g) => g['Id'] === ref.remoteId)).toMatchObject({ Name: name, Type: 'Regular' });
    await expect(connector.findGroup({ localId: 'x', displayName: name, attributes: {} })).resolves.toEqual({
      remoteId: ref.remoteId,
      remoteName: name,
    });

    const [a, b, c] = await users(connector, 3);
    const change = { groupLocalId: 'g', groupRemoteId: ref.remoteId };
    await connector.addMembers({ ...change, memberRemoteIds: [a, b] });
    await connector.addMembers({ ...change, memberRemoteIds: [b, c] }); // b already a member: fine
    expect(membersOf(ref.remoteId).sort()).toEqual([a, b, c].sort());
    await connector.removeMembers({ ...change, memberRemoteIds: [a] });
    await connector.removeMembers({ ...change, memberRemoteIds: [a] }); // not a member any more: fine
    expect(membersOf(ref.remoteId).sort()).toEqual([b, c].sort());

    const renamed = await connector.updateGroup({ ...group(`${name} EMEA`), remoteId: ref.remoteId, changed: {} });
    expect(renamed).toMatchObject({ remoteId: ref.remoteId });
    expect(emulator.state.groups().find((g) => g['Id'] === ref.remoteId)?.['Name']).toBe(`${name} EMEA`);

    await connector.deleteGroup({ localId: 'g', remoteId: ref.remoteId });
    expect(emulator.state.groups().some((g) => g['Id'] === ref.remoteId)).toBe(false);
    await connector.deleteGroup({ localId: 'g', remoteId: ref.remoteId }); // already gone: fine
    await connector.close();
  });

  it('reports an existing public group as a conflict the pipeline can link', async () => {
    const connector = await connectorFor(emulator);
    await connector.createGroup(group('Support'));
    const error = await rejectionOf(connector.createGroup(group('Support')));
    expect(error.kind).toBe('conflict');
    await connector.close();
  });

  it('maps groups to permission sets, by configured API name or by label, assigning idempotently', async () => {
    const connector = await connectorFor(emulator, {
      groups: { mode: 'permissionSet', permissionSets: { 'Sales Operations': 'Sales_Ops' } },
    });
    const salesOps = emulator.state.permissionSets().find((p) => p['Name'] === 'Sales_Ops')!;
    const ref = await connector.createGroup(group('Sales Operations'));
    expect(ref.remoteId).toBe(salesOps['Id']);
    const byLabel = await connector.createGroup(group('Marketing'));
    expect(byLabel.remoteId).toBe(emulator.state.permissionSets().find((p) => p['Name'] === 'Marketing_Cloud')?.['Id']);

    const [a, b] = await users(connector, 2);
    const change = { groupLocalId: 'g', groupRemoteId: ref.remoteId };
    await connector.addMembers({ ...change, memberRemoteIds: [a, b] });
    await connector.addMembers({ ...change, memberRemoteIds: [a] });
    expect(assigneesOf(ref.remoteId).sort()).toEqual([a, b].sort());
    await connector.removeMembers({ ...change, memberRemoteIds: [b, b] });
    expect(assigneesOf(ref.remoteId)).toEqual([a]);

    // Not ours to delete: the permission set and its remaining assignments stay.
    await connector.deleteGroup({ localId: 'g', remoteId: ref.remoteId });
    expect(emulator.state.permissionSets().some((p) => p['Id'] === ref.remoteId)).toBe(true);

    const missing = await rejectionOf(connector.createGroup(group('No Such Set')));
    expect(missing.kind).toBe('permanent');
    expect(missing.message).toContain('groups.permissionSets');
    await connector.close();
  });

  it('in both mode, makes a public group and assigns the listed permission set', async () => {
    const connector = await connectorFor(emulator, { groups: { mode: 'both', permissionSets: { Ops: 'Sales_Ops' } } });
    const ref = await connector.createGroup(group('Ops'));
    const [groupId, permissionSetId] = ref.remoteId.split(',');
    expect(groupId).toMatch(/^00G/);
    expect(permissionSetId).toMatch(/^0PS/);
    const [a] = await users(connector, 1);
    await connector.addMembers({ groupLocalId: 'g', groupRemoteId: ref.remoteId, memberRemoteIds: [a] });
    expect(membersOf(groupId)).toEqual([a]);
    expect(assigneesOf(permissionSetId)).toContain(a);
    await connector.removeMembers({ groupLocalId: 'g', groupRemoteId: ref.remoteId, memberRemoteIds: [a] });
    expect(membersOf(groupId)).toEqual([]);
    expect(assigneesOf(permissionSetId)).not.toContain(a);

    // A group with no permission set listed is a public group only.
    expect((await connector.createGroup(group('Plain'))).remoteId).toMatch(/^00G[^,]*$/);
    await connector.close();
  });
});
