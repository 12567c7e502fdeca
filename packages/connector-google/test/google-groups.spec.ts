// Groups and memberships through the real connector against the Google emulator.
import { DOMAIN, useConnectorTestBed, userPayload } from './google-fixtures.js';

describe('Google connector: groups and members', () => {
  const bed = useConnectorTestBed();

  const group = (displayName: string, attributes: Record<string, unknown> = {}) => ({
    localId: `g-${displayName}`,
    group: { displayName },
    attributes,
  });

  it('creates a group addressed by its displayName, renames it, finds it and deletes it', async () => {
    const ref = await bed.connector.createGroup(group('Sales Team (EMEA)', { description: 'Sellers' }));
    expect(ref.remoteName).toBe('Sales Team (EMEA)');
    expect(bed.emulator.state.groups().find((g) => g['id'] === ref.remoteId)).toMatchObject({
      email: `sales-team-emea@${DOMAIN}`,
      name: 'Sales Team (EMEA)',
      description: 'Sellers',
    });

    await bed.connector.updateGroup({ ...group('Sales EMEA'), remoteId: ref.remoteId, changed: {} });
    expect(bed.emulator.state.groups().find((g) => g['id'] === ref.remoteId)).toMatchObject({
      email: `sales-team-emea@${DOMAIN}`,
      name: 'Sales EMEA',
    });

    expect(await bed.connector.findGroup({ localId: 'x', displayName: 'Sales Team (EMEA)', attributes: {} })).toEqual({
      remoteId: ref.remoteId,
      remoteName: 'Sales Team (EMEA)',
    });
    expect(await bed.connector.findGroup({ localId: 'x', displayName: 'Nobody', attributes: {} })).toBeNull();

    await bed.connector.deleteGroup({ localId: 'x', remoteId: ref.remoteId });
    expect(bed.emulator.state.groups().some((g) => g['id'] === ref.remoteId)).toBe(false);
    await expect(bed.connector.deleteGroup({ localId: 'x', remoteId: ref.remoteId })).resolves.toBeUndefined();
  });

  it("finds a renamed group by its new name (its address is still the old name's), and refuses to guess between namesakes", async () => {
    const ref = await bed.connector.createGroup(group('Field Sales', { name: 'Field Sales' }));
    await bed.connector.updateGroup({
      ...group("Field Sales O'Hara", { name: "Field Sales O'Hara" }),
      remoteId: ref.remoteId,
      changed: { name: "Field Sales O'Hara" },
    });
    const renamed = { localId: 'x', displayName: "Field Sales O'Hara", attributes: { name: "Field Sales O'Hara" } };
    await expect(bed.connector.findGroup(renamed)).resolves.toEqual({ remoteId: ref.remoteId, remoteName: "Field Sales O'Hara" });
    // With a mapped email the address is the only key.
    await expect(bed.connector.findGroup({ ...renamed, attributes: { ...renamed.attributes, email: 'elsewhere' } })).resolves.toBeNull();

    await bed.connector.createGroup(group('Twins A', { name: 'Twins', email: 'twins-a' }));
    await bed.connector.createGroup(group('Twins B', { name: 'Twins', email: 'twins-b' }));
    await expect(bed.connector.findGroup({ localId: 'x', displayName: 'Twins C', attributes: { name: 'Twins' } })).rejects.toMatchObject({
      kind: 'permanent',
      message: expect.stringContaining('more than one Google group is named "Twins"'),
    });
  });

  it('uses a mapped email, and reports an existing address as a conflict', async () => {
    const ref = await bed.connector.createGroup(group('Engineering', { email: 'eng' }));
    expect(bed.emulator.state.groups().find((g) => g['id'] === ref.remoteId)).toMatchObject({ email: `eng@${DOMAIN}` });
    await expect(bed.connector.createGroup(group('Engineering 2', { email: 'eng' }))).rejects.toMatchObject({ kind: 'conflict' });
    await expect(
      bed.connector.findGroup({ localId: 'x', displayName: 'Engineering 2', attributes: { email: 'eng' } }),
    ).resolves.toMatchObject({
      remoteId: ref.remoteId,
    });
  });

  it('adds members (an existing member counts as added) and removes them (an absent one counts as removed)', async () => {
    const g = await bed.connector.createGroup(group('Ops'));
    const a = await bed.connector.createUser(userPayload('opsa'));
    const b = await bed.connector.createUser(userPayload('opsb'));
    await bed.connector.addMembers({ groupLocalId: 'g', groupRemoteId: g.remoteId, memberRemoteIds: [a.remoteId] });
    await bed.connector.addMembers({ groupLocalId: 'g', groupRemoteId: g.remoteId, memberRemoteIds: [a.remoteId, b.remoteId] });
    expect(
      bed.emulator.state
        .members(g.remoteId)
        .map((m) => m['email'])
        .sort(),
    ).toEqual([`opsa@${DOMAIN}`, `opsb@${DOMAIN}`]);

    await bed.connector.removeMembers({ groupLocalId: 'g', groupRemoteId: g.remoteId, memberRemoteIds: [a.remoteId] });
    await bed.connector.removeMembers({ groupLocalId: 'g', groupRemoteId: g.remoteId, memberRemoteIds: [a.remoteId] });
    expect(bed.emulator.state.members(g.remoteId).map((m) => m['email'])).toEqual([`opsb@${DOMAIN}`]);
  });

  it('fails a membership change permanently when a member does not exist, transiently on an outage', async () => {
    const g = await bed.connector.createGroup(group('Support'));
    await expect(
      bed.connector.addMembers({ groupLocalId: 'g', groupRemoteId: g.remoteId, memberRemoteIds: ['100000000000000000000'] }),
    ).rejects.toMatchObject({
      kind: 'permanent',
      message: expect.stringContaining('1 of 1 membership change(s) failed'),
    });
    bed.emulator.faults.failNext(1, 503);
    await expect(
      bed.connector.addMembers({ groupLocalId: 'g', groupRemoteId: g.remoteId, memberRemoteIds: ['100000000000000000000'] }),
    ).rejects.toMatchObject({ kind: 'transient' });
  });
});
