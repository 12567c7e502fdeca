import { pipelineFixturePerTest } from './recording-connector.js';

const actor = { actor: 'test' };
const mapping = { userName: 'userName', title: { from: 'title', default: 'Staff' } };
const pipelineFixture = pipelineFixturePerTest();

describe('deprovision.mode: skip (Entra\'s "skip out of scope deletions")', () => {
  it('leaves remote accounts alone when users are deleted or leave scope, marks their links skipped, and reconcile reports them', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping, scope: 'title eq "Staff"', deprovision: { mode: 'skip' } }]);
    const target = fixture.targets.crm;
    const ada = (await fixture.runtime.identities.createUser({ userName: 'ada', title: 'Staff' }, actor)).resource.id as string;
    const bob = (await fixture.runtime.identities.createUser({ userName: 'bob', title: 'Staff' }, actor)).resource.id as string;
    const cy = (await fixture.runtime.identities.createUser({ userName: 'cy', title: 'Staff' }, actor)).resource.id as string;
    await fixture.settle();
    expect(target.users.size).toBe(3);

    await fixture.runtime.identities.deleteUser(ada, actor);
    await fixture.runtime.identities.replaceUser(bob, { userName: 'bob', title: 'Contractor' }, actor);
    await fixture.runtime.identities.replaceUser(cy, { userName: 'cy', title: 'Staff', active: false }, actor);
    await fixture.settle();

    // Nothing was deleted or deactivated: every account is still there and active.
    expect(target.count('deleteUser')).toBe(0);
    expect([...target.users.values()].map((u) => [u.attributes['userName'], u.active])).toEqual([
      ['ada', true],
      ['bob', true],
      ['cy', true],
    ]);
    expect((await fixture.store.getLink('crm', 'user', bob))?.status).toBe('skipped');
    const jobs = await fixture.store.listJobs({ instanceId: 'crm' });
    expect(jobs.filter((j) => j.status === 'failed')).toEqual([]);

    // Reconcile's snapshot pass plans nothing for them, and reading the target reports them:
    // bob as skipped (his link says so), ada as an orphan (she is gone from Provisio); cy's deactivation is an
    // ordinary update (this mapping has no active field), not a deprovisioning skip mode leaves out.
    expect((await fixture.runtime.identities.reconcile('crm', actor)).planned).toBe(0);
    const report = await fixture.runtime.reconciler.run(fixture.runtime.target('crm')!, actor);
    expect(report.counts).toMatchObject({ skipped: 1, orphans: 1, drift: 0, missing: 0 });
    expect(report.samples.skipped.map((s) => s.localIds)).toEqual([[bob]]);
    expect(report.samples.orphans.map((s) => target.users.get(s.remoteId!)?.attributes['userName'])).toEqual(['ada']);
    await fixture.settle();
    expect(target.count('deleteUser')).toBe(0);
  });
});
