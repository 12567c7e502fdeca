import { pipelineFixture, type PipelineFixture } from './recording-connector.js';

const actor = { actor: 'test' };
const mapping = { userName: 'userName' };
let fixture: PipelineFixture | undefined;
afterEach(async () => {
  await fixture?.stop();
  fixture = undefined;
});

/** The remote accounts' names and whether each is active. */
const accounts = (f: PipelineFixture) => [...f.targets.crm.users.values()].map((u) => [u.attributes['userName'], u.active]);

describe('reconcile.orphans: what a reconcile does with accounts no local identity stands for', () => {
  it('delete: removes orphans through the job pipeline, never one listed in reconcile.keep; a second run finds only the kept one', async () => {
    fixture = await pipelineFixture([
      { id: 'crm', mapping, reconcile: { missing: 'recreate', repair: true, orphans: 'delete', keep: ['SVC-Provisio'] } },
    ]);
    const target = fixture.targets.crm;
    target.seed('left-behind', { userName: 'left-behind' });
    target.seed('svc-provisio', { userName: 'svc-provisio' });
    await fixture.runtime.identities.createUser({ userName: 'ada' }, actor);
    await fixture.settle();

    const report = await fixture.runtime.reconciler.run(fixture.runtime.target('crm')!, actor);
    expect(report.counts).toMatchObject({ orphans: 2, inSync: 1, drift: 0 });
    expect(Object.fromEntries(report.samples.orphans.map((s) => [s.remoteName, s.note]))).toEqual({
      'left-behind': 'being deleted (reconcile.orphans: delete)',
      'svc-provisio': 'kept (reconcile.keep)',
    });
    await fixture.settle();
    expect(accounts(fixture)).toEqual([
      ['svc-provisio', true],
      ['ada', true],
    ]);
    const [job] = await fixture.store.listJobs({ instanceId: 'crm', localId: `orphan:${report.samples.orphans[0].remoteId}` });
    expect(job).toMatchObject({
      action: 'orphan.delete',
      status: 'succeeded',
      reason: 'reconcile: orphan left-behind (no local identity)',
    });

    const again = await fixture.runtime.reconciler.run(fixture.runtime.target('crm')!, actor);
    expect(again.counts).toMatchObject({ orphans: 1, inSync: 1 });
    await fixture.settle();
    expect(target.count('deleteUser')).toBe(1);
  });

  it('deactivate: deactivates an active orphan once; an inactive one is only reported', async () => {
    fixture = await pipelineFixture([
      { id: 'crm', mapping, reconcile: { missing: 'recreate', repair: true, orphans: 'deactivate', keep: [] } },
    ]);
    fixture.targets.crm.seed('left-behind', { userName: 'left-behind' });
    await fixture.runtime.reconciler.run(fixture.runtime.target('crm')!, actor);
    await fixture.settle();
    expect(accounts(fixture)).toEqual([['left-behind', false]]);
    const again = await fixture.runtime.reconciler.run(fixture.runtime.target('crm')!, actor);
    expect(again.samples.orphans.map((s) => s.note)).toEqual(['already inactive']);
    await fixture.settle();
    expect(fixture.targets.crm.count('deleteUser')).toBe(1);
  });

  it('report (the default) and repair: false send nothing', async () => {
    fixture = await pipelineFixture([
      { id: 'crm', mapping },
      { id: 'dry', mapping, reconcile: { missing: 'recreate', repair: false, orphans: 'delete', keep: [] } },
    ]);
    fixture.targets.crm.seed('left-behind', { userName: 'left-behind' });
    fixture.targets.dry.seed('left-behind', { userName: 'left-behind' });
    const reported = await fixture.runtime.reconciler.run(fixture.runtime.target('crm')!, actor);
    const dry = await fixture.runtime.reconciler.run(fixture.runtime.target('dry')!, actor);
    expect(reported.samples.orphans).toEqual([{ remoteId: expect.any(String), remoteName: 'left-behind' }]);
    expect(dry.samples.orphans.map((s) => s.note)).toEqual(['reconcile.repair is false: not deleted']);
    await fixture.settle();
    expect(fixture.targets.crm.count('deleteUser') + fixture.targets.dry.count('deleteUser')).toBe(0);
    expect(await fixture.store.listJobs({})).toEqual([]);
  });

  it('orphan removals count in the deletion guard: past its threshold they are held, nothing is sent', async () => {
    fixture = await pipelineFixture([
      {
        id: 'crm',
        mapping,
        deprovisionGuard: { threshold: 2, window: '1h' },
        reconcile: { missing: 'recreate', repair: true, orphans: 'delete', keep: [] },
      },
    ]);
    for (const name of ['a', 'b', 'c', 'd']) fixture.targets.crm.seed(name, { userName: name });
    await fixture.runtime.reconciler.run(fixture.runtime.target('crm')!, actor);
    await fixture.settle();
    const jobs = await fixture.store.listJobs({ instanceId: 'crm' });
    expect(jobs.map((j) => j.action)).toEqual(Array(4).fill('orphan.delete'));
    expect(jobs.filter((j) => j.status === 'held').length).toBeGreaterThan(0);
    expect(fixture.targets.crm.count('deleteUser')).toBeLessThanOrEqual(2);
    expect(fixture.targets.crm.users.size).toBeGreaterThanOrEqual(2);
  });
});
