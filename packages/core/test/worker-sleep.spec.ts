import type { Store } from '../src/engine.js';
import { InMemoryStore } from '../src/testing.js';
import { pipelineFixturePerTest } from './recording-connector.js';
import { storeAround } from './store-proxy.js';

const actor = { actor: 'test' };
const pipelineFixture = pipelineFixturePerTest();
const mapping = { userName: 'userName' };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The in-memory store, counting the worker's polls: its claims and its "when is the next job due". */
function pollCountingStore(): { store: Store; polls: () => number } {
  let polls = 0;
  const store = storeAround(new InMemoryStore(), (name, _args, call) => {
    if (name === 'claimJobs' || name === 'nextDueJobAt') polls += 1;
    return call();
  });
  return { store, polls: () => polls };
}

describe('the worker while no target can take a job', () => {
  // The fixture's worker polls every 20 ms when idle: 400 ms of polling would be about 20 polls.
  it('sleeps while every slot of its target is busy, and claims again as soon as a task finishes', async () => {
    const counted = pollCountingStore();
    const fixture = await pipelineFixture([{ id: 'crm', mapping, concurrency: 1 }], { store: counted.store });
    const target = fixture.targets.crm;
    let release: (() => void) | undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    target.beforeCreate = () => held;
    await fixture.runtime.identities.createUser({ userName: 'ada' }, actor);
    await fixture.runtime.identities.createUser({ userName: 'bob' }, actor);
    for (let i = 0; i < 200 && (await fixture.store.jobCounts()).running === 0; i += 1) await pause(5);
    expect((await fixture.store.jobCounts()).running).toBe(1);
    await pause(50); // the loop reaches its sleep
    const before = counted.polls();
    await pause(400);
    expect(counted.polls() - before).toBeLessThanOrEqual(1);
    const released = Date.now();
    release?.();
    await fixture.settle();
    expect(Date.now() - released).toBeLessThan(1000); // woken by the finished task, not by the lease sweep
    expect([...target.users.values()].map((u) => u.attributes.userName).sort()).toEqual(['ada', 'bob']);
  });
});
