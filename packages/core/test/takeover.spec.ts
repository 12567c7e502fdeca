// Takeover: a worker dies (or loses its lease) mid-job, another takes the job over.
// Driven through the real Worker, JobExecutor and in-memory store; the target is the recording connector.
import type { RemoteRef } from '../src/index.js';
import { transient, type PipelineFixture } from './recording-connector.js';
import { connectorOf, deferred, heldCall, until, workerHarness } from './worker-harness.js';

const actor = { actor: 'test' };
const mapping = { userName: 'userName', title: { from: 'title', default: 'Staff' } };
const pattern = { template: '{UN}', separator: '_', userStoreDomain: 'PRIMARY', tenantDomain: 'carbon.super' };

const { pipelineFixture, startWorker, kill } = workerHarness();

/** The next create reaches the target, but its answer never comes back to the worker. */
function loseNextCreateAnswer(f: PipelineFixture): { landed: Promise<void>; answer: ReturnType<typeof deferred<RemoteRef>> } {
  const connector = connectorOf(f);
  const original = connector.createUser;
  const landed = deferred<void>();
  const answer = deferred<RemoteRef>();
  connector.createUser = async (payload) => {
    connector.createUser = original;
    const ref = await original(payload);
    landed.resolve();
    await answer.promise;
    return ref;
  };
  return { landed: landed.promise, answer };
}

/** A fixture where the create of `userName` reached the target and the worker that sent it died before the answer came. */
async function createLostInFlight(userName: string) {
  const fixture = await pipelineFixture([{ id: 'crm', mapping, pattern }], { runWorker: false });
  const { resource } = await fixture.runtime.identities.createUser({ userName, title: 'Engineer' }, actor);
  const lost = loseNextCreateAnswer(fixture);
  const dying = await startWorker(fixture);
  await lost.landed;
  await kill(dying);
  return { fixture, target: fixture.targets.crm, resource, lost };
}

describe('takeover of a job whose worker died', () => {
  it('removes the account of a lost create when the user is deleted before anyone saw the create succeed', async () => {
    const { fixture, target, resource } = await createLostInFlight('ada');
    expect(await fixture.store.getLink('crm', 'user', resource.id as string)).toBeUndefined();
    // Deleted locally: no link exists, so only the look-up can find the account.
    await fixture.runtime.identities.deleteUser(resource.id as string, actor);
    await startWorker(fixture);
    await fixture.settle();
    expect(target.count('createUser')).toBe(1);
    expect(target.count('findUser')).toBe(1);
    expect([...target.users.values()].map((u) => [u.name, u.active])).toEqual([['ada', false]]);
    const [deletion, create] = await fixture.store.listJobs({ localId: resource.id });
    expect([deletion.action, deletion.status, create.status]).toEqual(['delete', 'succeeded', 'superseded']);
    expect(await fixture.store.getLink('crm', 'user', resource.id as string)).toMatchObject({
      status: 'deprovisioned',
      remoteActive: false,
    });
  });

  it('sends a create once when the job that supersedes an abandoned create runs, and sends the attributes it records', async () => {
    const { fixture, target, resource, lost } = await createLostInFlight('grace');
    await fixture.runtime.identities.replaceUser(resource.id as string, { userName: 'grace', title: 'CTO' }, actor);
    await startWorker(fixture);
    await fixture.settle();
    expect(target.count('createUser')).toBe(1);
    expect(target.users.size).toBe(1);
    // The found account is brought to the wanted state, not merely linked.
    const [remote] = [...target.users.values()];
    expect(remote.attributes).toEqual({ userName: 'grace', title: 'CTO' });
    expect((await fixture.store.getLink('crm', 'user', resource.id as string))?.syncedAttributes).toEqual(remote.attributes);
    // The dead worker's answer arriving late changes nothing: its claim was superseded.
    const before = await fixture.store.listJobs({ localId: resource.id });
    lost.answer.resolve({ remoteId: 'late' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await fixture.store.listJobs({ localId: resource.id })).toEqual(before);
    expect((await fixture.store.getLink('crm', 'user', resource.id as string))?.remoteId).not.toBe('late');
  });

  it('after a taken-over update, looks the account up and writes the full wanted state', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping, pattern }], { runWorker: false });
    const target = fixture.targets.crm;
    const { resource } = await fixture.runtime.identities.createUser({ userName: 'barbara', title: 'Engineer' }, actor);
    const first = await startWorker(fixture);
    await fixture.settle();
    await kill(first);
    const connector = connectorOf(fixture);
    const original = connector.updateUser;
    const reached = deferred<void>();
    connector.updateUser = async () => {
      reached.resolve();
      return new Promise<void>(() => undefined);
    };
    await fixture.runtime.identities.replaceUser(resource.id as string, { userName: 'barbara', title: 'CTO' }, actor);
    const dying = await startWorker(fixture);
    await reached.promise;
    await kill(dying);
    connector.updateUser = original;
    await startWorker(fixture);
    await fixture.settle();
    expect(target.count('findUser')).toBe(1);
    const updates = target.calls.filter((c) => c.op === 'updateUser');
    expect(updates.map((u) => u.args.changed)).toEqual([{ userName: 'barbara', title: 'CTO' }]);
    expect([...target.users.values()].map((u) => u.attributes)).toEqual([{ userName: 'barbara', title: 'CTO' }]);
    expect(target.count('createUser')).toBe(1);
  });

  it('does not count takeovers against maxAttempts: every real attempt is still there', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping, pattern, retry: { maxAttempts: 2, baseDelayMs: 2, maxDelayMs: 5 } }], {
      runWorker: false,
    });
    const target = fixture.targets.crm;
    const { resource } = await fixture.runtime.identities.createUser({ userName: 'linus' }, actor);
    const connector = connectorOf(fixture);
    const original = connector.createUser;
    let hanging = 0;
    // Three workers die in turn, each before its create reaches the target.
    connector.createUser = () => {
      hanging += 1;
      return new Promise<RemoteRef>(() => undefined);
    };
    for (let round = 1; round <= 3; round += 1) {
      const dying = await startWorker(fixture);
      await until(() => hanging === round, `round ${round}'s create`);
      await kill(dying);
    }
    connector.createUser = original;
    target.failNext('createUser', transient());
    await startWorker(fixture);
    await fixture.settle();
    const [job] = await fixture.store.listJobs({ localId: resource.id });
    expect(job).toMatchObject({ status: 'succeeded', attempts: 2, takeovers: 3 });
    expect(job.history.map((h) => h.outcome)).toEqual(['abandoned', 'abandoned', 'abandoned', 'retry', 'succeeded']);
    expect(target.users.size).toBe(1);
  });

  it('records each outcome of a batch as it lands: a kill mid-batch loses only the call in flight', async () => {
    const fixture = await pipelineFixture([{ id: 'bulk', mapping, pattern, batch: { enabled: true } }], {
      runWorker: false,
      batchSize: 10,
    });
    const target = fixture.targets.bulk;
    target.reportsEachOutcome = true;
    for (const name of ['a', 'b', 'c', 'd', 'e']) await fixture.runtime.identities.createUser({ userName: name }, actor);
    let creates = 0;
    // provisionBatch drives the single calls: the third never answers.
    target.beforeCreate = async () => {
      creates += 1;
      if (creates === 3) await new Promise(() => undefined);
    };
    const dying = await startWorker(fixture);
    await until(() => creates === 3, 'the third create');
    const counts = await fixture.store.jobCounts('bulk');
    expect([counts.succeeded, counts.running]).toEqual([2, 3]);
    await kill(dying);
    target.beforeCreate = undefined;
    await startWorker(fixture);
    await fixture.settle();
    expect(target.users.size).toBe(5);
    expect(target.count('provisionBatch')).toBe(1);
    expect((await fixture.store.jobCounts('bulk')).succeeded).toBe(5);
  });

  it('claims only what it is about to send: a batching target that sends one operation per request gets one job per slot', async () => {
    const fixture = await pipelineFixture([{ id: 'bulk', mapping, pattern, concurrency: 2, batch: { enabled: true } }], {
      runWorker: false,
      batchSize: 10,
    });
    const target = fixture.targets.bulk;
    const connector = connectorOf(fixture);
    connector.batchLimit = async () => 1;
    const store = fixture.store;
    let mostRunning = 0;
    target.beforeCreate = async () => {
      mostRunning = Math.max(mostRunning, (await store.jobCounts('bulk')).running);
    };
    for (let i = 0; i < 8; i += 1) await fixture.runtime.identities.createUser({ userName: `user${i}` }, actor);
    await startWorker(fixture);
    await fixture.settle();
    expect(target.users.size).toBe(8);
    expect(target.count('provisionBatch')).toBe(0);
    expect(mostRunning).toBeGreaterThan(0);
    expect(mostRunning).toBeLessThanOrEqual(2);
  });

  it('lets the newest state win: an older sync that must retry never runs after the newer delete', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping, pattern }], { runWorker: false });
    const target = fixture.targets.crm;
    const { resource } = await fixture.runtime.identities.createUser({ userName: 'edsger', title: 'Engineer' }, actor);
    await startWorker(fixture);
    await fixture.settle();
    const connector = connectorOf(fixture);
    const original = connector.updateUser;
    const update = heldCall();
    connector.updateUser = async () => {
      connector.updateUser = original;
      await update.hold();
      throw transient();
    };
    await fixture.runtime.identities.replaceUser(resource.id as string, { userName: 'edsger', title: 'CTO' }, actor);
    await update.reached;
    // The delete is planned while the update runs; then the update fails and goes back to pending.
    await fixture.runtime.identities.deleteUser(resource.id as string, actor);
    update.release();
    await fixture.settle();
    const jobs = await fixture.store.listJobs({ localId: resource.id });
    expect(jobs.map((j) => [j.action, j.reason, j.status])).toEqual([
      ['delete', 'deleted', 'succeeded'],
      ['sync', 'updated', 'superseded'],
      ['sync', 'created', 'succeeded'],
    ]);
    expect(target.calls[target.calls.length - 1].op).toBe('deleteUser');
    expect([...target.users.values()].map((u) => u.active)).toEqual([false]);
  });
});
