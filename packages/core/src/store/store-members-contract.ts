import assert from 'node:assert/strict';
import type { GroupMembersChange, GroupRecord } from './records.js';
import { isStoreConflictError, type IdentityWrite, type Store } from './store-ports.js';

type ContractGroup = (id: string, displayName: string, memberIds?: string[], overrides?: Partial<GroupRecord>) => GroupRecord;

/**
 * The store contract of membership deltas (IdentityWrite.changeGroupMembers) and the reads that go with them
 * (getGroupSummary, findGroupMembers, groupSummariesOfMember): what changes is written, the rest of the group stays.
 */
export function storeMembersContractCases(test: (name: string, body: (store: Store) => Promise<void>) => void, group: ContractGroup): void {
  const later = '2026-03-01T00:00:00.000Z';
  const change = (groupId: string, version: number, delta: Partial<GroupMembersChange>): GroupMembersChange => ({
    groupId,
    add: [],
    remove: [],
    version,
    updatedAt: later,
    ...delta,
  });
  const values = async (store: Store, id: string) => (await store.getGroup(id))?.members.map((m) => m.value);

  test('members delta: adds after the last member, takes out only the named ones, moves the version on', async (store) => {
    await store.commit({ putGroups: [group('g1', 'Sales', ['u1', 'u2', 'u3'])] });
    await store.commit({
      changeGroupMembers: [
        change('g1', 2, {
          add: [
            { value: 'u4', display: 'Dan', type: 'User' },
            { value: 'g9', type: 'Group' },
          ],
          remove: ['u2'],
        }),
      ],
      expectedGroupVersions: { g1: 1 },
    });
    const stored = await store.getGroup('g1');
    assert.deepEqual(stored?.members, [
      { value: 'u1', type: 'User' },
      { value: 'u3', type: 'User' },
      { value: 'u4', display: 'Dan', type: 'User' },
      { value: 'g9', type: 'Group' },
    ]);
    assert.equal(stored?.version, 2);
    assert.equal(stored?.updatedAt, later);
    assert.equal(stored?.displayName, 'Sales');
    await store.commit({ changeGroupMembers: [change('g1', 3, { add: [{ value: 'u2' }] })], expectedGroupVersions: { g1: 2 } });
    assert.deepEqual(await values(store, 'g1'), ['u1', 'u3', 'u4', 'g9', 'u2'], 'one taken out and added again goes last');
  });

  test('members delta: a member added twice is listed once, one taken out that is not there changes nothing', async (store) => {
    await store.commit({ putGroups: [group('g1', 'Sales', ['u1', 'u2'])] });
    await store.commit({
      changeGroupMembers: [change('g1', 2, { add: [{ value: 'u1' }, { value: 'u3' }, { value: 'u3' }], remove: ['nobody'] })],
      expectedGroupVersions: { g1: 1 },
    });
    assert.deepEqual(await values(store, 'g1'), ['u1', 'u2', 'u3']);
    assert.equal((await store.getGroup('g1'))?.version, 2);
  });

  test('members delta: a stale version or a missing group is a version conflict, and nothing of the commit is written', async (store) => {
    await store.commit({ putGroups: [group('g1', 'Sales', ['u1'])] });
    const refused: IdentityWrite[] = [
      { changeGroupMembers: [change('g1', 6, { add: [{ value: 'u2' }], remove: ['u1'] })], expectedGroupVersions: { g1: 5 } },
      { changeGroupMembers: [change('gone', 2, { add: [{ value: 'u2' }] })], expectedGroupVersions: { gone: 1 } },
      { changeGroupMembers: [change('gone', 2, { add: [{ value: 'u2' }] })] },
    ];
    for (const write of refused)
      await assert.rejects(
        store.commit({ ...write, audit: [{ at: later, actor: 'test', action: 'group.replace', entityType: 'group', entityId: 'g1' }] }),
        (error: unknown) => isStoreConflictError(error) && error.kind === 'version',
      );
    assert.deepEqual(await values(store, 'g1'), ['u1']);
    assert.equal((await store.getGroup('g1'))?.version, 1);
    assert.equal(await store.getGroup('gone'), undefined);
    assert.deepEqual(await store.listAudit({}), []);
  });

  test('members delta: the whole list written after deltas is exactly that list', async (store) => {
    await store.commit({ putGroups: [group('g1', 'Sales', ['u1', 'u2', 'u3', 'u4'])] });
    await store.commit({ changeGroupMembers: [change('g1', 2, { remove: ['u2'], add: [{ value: 'u5' }] })] });
    await store.commit({ putGroups: [group('g1', 'Sales', ['u5', 'u1', 'u6'], { version: 3 })], expectedGroupVersions: { g1: 2 } });
    assert.deepEqual(await values(store, 'g1'), ['u5', 'u1', 'u6']);
    await store.commit({ changeGroupMembers: [change('g1', 4, { add: [{ value: 'u7' }] })] });
    assert.deepEqual(await values(store, 'g1'), ['u5', 'u1', 'u6', 'u7']);
    assert.deepEqual(
      (await store.groupsOfMember('u7')).map((g) => g.id),
      ['g1'],
    );
  });

  test('findGroupMembers: the members of one group with these values, ignoring case, in list order', async (store) => {
    await store.commit({ putGroups: [group('g1', 'Sales', ['u1', 'Ada-2', 'u3']), group('g2', 'Ops', ['u3', 'u4'])] });
    assert.deepEqual(await store.findGroupMembers('g1', ['U3', 'ada-2', 'u4', 'nobody']), [
      { value: 'Ada-2', type: 'User' },
      { value: 'u3', type: 'User' },
    ]);
    assert.deepEqual(await store.findGroupMembers('g1', []), []);
    assert.deepEqual(await store.findGroupMembers('nope', ['u1']), []);
  });

  test('getGroupSummary and groupSummariesOfMember: groups without their members', async (store) => {
    await store.commit({ putGroups: [group('g2', 'Ops', ['u1']), group('g1', 'Sales', ['u1', 'u2']), group('g3', 'Other', ['u2'])] });
    const summary = await store.getGroupSummary('g1');
    assert.equal(summary?.displayName, 'Sales');
    assert.equal(summary?.version, 1);
    assert.equal(summary !== undefined && 'members' in summary, false);
    assert.equal(await store.getGroupSummary('nope'), undefined);
    const ofU1 = await store.groupSummariesOfMember('u1');
    assert.deepEqual(
      ofU1.map((g) => [g.id, g.displayName]),
      [
        ['g1', 'Sales'],
        ['g2', 'Ops'],
      ],
    );
    assert.ok(ofU1.every((g) => !('members' in g)));
    await store.commit({ changeGroupMembers: [change('g1', 2, { remove: ['u1'] })] });
    assert.deepEqual(
      (await store.groupSummariesOfMember('u1')).map((g) => g.id),
      ['g2'],
    );
  });

  test("members delta: another tenant's group is neither read nor changed", async (store) => {
    await store.commit({ putGroups: [group('g1', 'Sales', ['u1'])] });
    const other = store.forTenant('other.example.com');
    assert.equal(await other.getGroupSummary('g1'), undefined);
    assert.deepEqual(await other.findGroupMembers('g1', ['u1']), []);
    await assert.rejects(
      other.commit({ changeGroupMembers: [change('g1', 2, { add: [{ value: 'u2' }], remove: ['u1'] })] }),
      (error: unknown) => isStoreConflictError(error) && error.kind === 'version',
    );
    assert.deepEqual(await values(store, 'g1'), ['u1']);
    assert.equal((await store.getGroup('g1'))?.version, 1);
  });
}
