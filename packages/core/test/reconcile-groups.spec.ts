import { pipelineFixture, type PipelineFixture } from './recording-connector.js';

const actor = { actor: 'test' };
let fixture: PipelineFixture | undefined;
afterEach(async () => {
  await fixture?.stop();
  fixture = undefined;
});

const remoteIdOf = async (f: PipelineFixture, localId: string) => (await f.store.getLink('crm', 'user', localId))?.remoteId as string;

describe('reconcile: group membership as the target holds it', () => {
  it('members removed or added behind Provisio are reported and repaired; a group deleted in the target is re-created', async () => {
    fixture = await pipelineFixture([{ id: 'crm', mapping: { userName: 'userName' } }]);
    const target = fixture.targets.crm;
    const ids = fixture.runtime.identities;
    const ada = (await ids.createUser({ userName: 'ada' }, actor)).resource.id as string;
    const bob = (await ids.createUser({ userName: 'bob' }, actor)).resource.id as string;
    const eng = (await ids.createGroup({ displayName: 'eng', members: [{ value: ada }, { value: bob }] }, actor)).resource.id as string;
    await fixture.settle();
    const [groupRemoteId, group] = [...target.groups.entries()][0];
    const [adaRemote, bobRemote] = [await remoteIdOf(fixture, ada), await remoteIdOf(fixture, bob)];
    expect([...group.members].sort()).toEqual([adaRemote, bobRemote].sort());

    // As an admin in the target would: bob taken out, an account Provisio does not know put in.
    const stranger = target.seed('stranger', { userName: 'stranger' });
    group.members.delete(bobRemote);
    group.members.add(stranger);
    const report = await fixture.runtime.reconciler.run(fixture.runtime.target('crm')!, actor);
    expect(report.counts).toMatchObject({ groupDrift: 1, groupsInSync: 0, groupsMissing: 0, inSync: 2 });
    expect(report.samples.groupDrift).toEqual([
      {
        remoteId: groupRemoteId,
        remoteName: 'eng',
        localIds: [eng],
        differences: [{ field: 'members', remote: { extra: [stranger], count: 1 }, wanted: { missing: [bobRemote], count: 1 } }],
      },
    ]);
    await fixture.settle();
    expect([...group.members].sort()).toEqual([adaRemote, bobRemote].sort());
    expect((await fixture.runtime.reconciler.run(fixture.runtime.target('crm')!, actor)).counts).toMatchObject({
      groupDrift: 0,
      groupsInSync: 1,
    });

    target.groups.delete(groupRemoteId);
    const gone = await fixture.runtime.reconciler.run(fixture.runtime.target('crm')!, actor);
    expect(gone.counts).toMatchObject({ groupsMissing: 1 });
    await fixture.settle();
    const [, recreated] = [...target.groups.entries()][0];
    expect(recreated).toMatchObject({ name: 'eng' });
    expect([...recreated.members].sort()).toEqual([adaRemote, bobRemote].sort());
  });
});
