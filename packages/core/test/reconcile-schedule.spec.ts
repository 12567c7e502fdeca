import { InMemoryStore } from '../src/testing.js';
import { pipelineFixture, type PipelineFixture } from './recording-connector.js';

const mapping = { userName: 'userName' };
const reconcile = { missing: 'recreate' as const, repair: true, orphans: 'report' as const, keep: [], every: '1h' };
const fixtures: PipelineFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.stop()));
});

async function reports(store: InMemoryStore) {
  return store.listTargetReports({ instanceId: 'crm', kind: 'reconcile' });
}

describe('reconcile: { every } runs on a schedule, once however many processes share the store', () => {
  it('two processes on one store: the due run happens once, by one of them, and is not due again', async () => {
    const store = new InMemoryStore();
    for (let i = 0; i < 2; i += 1) fixtures.push(await pipelineFixture([{ id: 'crm', mapping, reconcile }], { store }));
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !(await reports(store)).some((r) => r.status !== 'running'))
      await new Promise((resolve) => setTimeout(resolve, 10));
    const [run, ...others] = await reports(store);
    expect(others).toEqual([]);
    expect(run).toMatchObject({ actor: 'schedule', status: 'done' });
    // Not due again within the hour, from either process.
    expect(await Promise.all(fixtures.map((f) => f.runtime.scheduler!.runDue()))).toEqual([[], []]);
    expect(await store.schedules.nextAt('reconcile:crm')).toBeGreaterThan(Date.now() + 59 * 60_000);
  });

  it('an instance without every, or a process without a worker, runs nothing on its own', async () => {
    const store = new InMemoryStore();
    fixtures.push(await pipelineFixture([{ id: 'crm', mapping }], { store }));
    fixtures.push(await pipelineFixture([{ id: 'crm', mapping, reconcile }], { store, runWorker: false }));
    expect(fixtures[0].runtime.scheduler?.scheduled()).toEqual([]);
    expect(fixtures[1].runtime.scheduler).toBeUndefined();
    expect(await fixtures[0].runtime.scheduler!.runDue()).toEqual([]);
    expect(await reports(store)).toEqual([]);
  });
});
