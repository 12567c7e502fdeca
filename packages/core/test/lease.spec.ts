// Remote calls bounded by the job's lease (issue #22's last finding): a worker that stalls
// past its lease must not send a create that the job's next claimer sends too.
// Driven through the real Worker, JobExecutor and in-memory store; the target is the recording connector.
import { systemClock, type Clock, type RemoteRef } from '../src/index.js';
import type { Store } from '../src/engine.js';
import type { PipelineFixture } from './recording-connector.js';
import { connectorOf, heldCall, until, workerHarness } from './worker-harness.js';

const actor = { actor: 'test' };
const mapping = { userName: 'userName', title: { from: 'title', default: 'Staff' } };
const pattern = { template: '{UN}', separator: '_', userStoreDomain: 'PRIMARY', tenantDomain: 'carbon.super' };
/** Short enough for a test; the margin (and the takeover grace) is a tenth of it. */
const LEASE_MS = 600;

const { pipelineFixture, startWorker } = workerHarness({ leaseMs: LEASE_MS });

/**
 * The store as a worker sees it when it cannot renew its leases (the database is out of its
 * reach, or its process is starved of CPU): everything works except the heartbeat.
 */
function withoutRenewals(store: Store): Store {
  return new Proxy(store, {
    get(target, key) {
      if (key === 'extendLeases') return async () => Promise.reject(new Error('renewal did not get through'));
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The store as a second process shares it (as PostgreSQL is shared): a starting worker takes
 * over only jobs whose lease ended, not every running one as a single-process store does.
 */
function shared(store: Store): Store {
  return new Proxy(store, {
    get(target, key) {
      if (key === 'recoverAbandonedJobs') return (now: number, graceMs?: number) => target.releaseExpiredJobs(now, graceMs);
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Counts createUser calls that have returned or thrown, so a test knows a stalled one is over. */
function countSettledCreates(f: PipelineFixture): () => number {
  const connector = connectorOf(f);
  const original = connector.createUser.bind(connector);
  let settled = 0;
  connector.createUser = async (payload, call) => {
    try {
      return await original(payload, call);
    } finally {
      settled += 1;
    }
  };
  return () => settled;
}

describe('remote calls bounded by the lease', () => {
  it('a worker stalled past its lease before its create goes out sends nothing once another worker has taken the job over', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping, pattern }], { runWorker: false });
    const target = fixture.targets.crm;
    const { resource } = await fixture.runtime.identities.createUser({ userName: 'ada', title: 'Engineer' }, actor);
    // The first create stalls after the worker's pre-call lease check, before its request leaves.
    const stall = heldCall();
    target.beforeCreate = async () => {
      target.beforeCreate = undefined;
      await stall.hold();
    };
    const settledCreates = countSettledCreates(fixture);
    await startWorker(fixture, withoutRenewals(fixture.store));
    await stall.reached;
    // Its lease runs out; a second worker takes the job over, looks, finds nothing and creates.
    await startWorker(fixture, shared(fixture.store));
    await until(async () => (await fixture.store.listJobs({ localId: resource.id }))[0]?.status === 'succeeded', 'the takeover');
    // Now the stalled worker goes on: its create must not reach the target.
    stall.release();
    await until(() => settledCreates() === 2, 'the stalled create to end');
    expect(target.count('createUser')).toBe(1);
    expect(target.count('findUser')).toBe(1);
    expect(target.users.size).toBe(1);
    const [job] = await fixture.store.listJobs({ localId: resource.id });
    expect(job).toMatchObject({ status: 'succeeded', attempts: 1, takeovers: 1 });
    expect(job.history.map((h) => h.outcome)).toEqual(['abandoned', 'succeeded']);
  });

  it('aborts a call that outlives the lease: the outcome is unknown, not failed, and the next attempt looks first instead of creating again', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping, pattern, retry: { maxAttempts: 1, baseDelayMs: 2, maxDelayMs: 5 } }], {
      runWorker: false,
    });
    const target = fixture.targets.crm;
    const { resource } = await fixture.runtime.identities.createUser({ userName: 'grace', title: 'Engineer' }, actor);
    const connector = connectorOf(fixture);
    const original = connector.createUser.bind(connector);
    let abortedAfterMs: number | undefined;
    // The create lands, but its answer does not come back before the lease deadline cuts the call off.
    connector.createUser = async (payload, call) => {
      connector.createUser = original;
      const started = Date.now();
      try {
        await original(payload, call);
      } catch (error) {
        // On a loaded machine the deadline can pass while the create is landing: the target recorded it, then the cut-off.
        abortedAfterMs = Date.now() - started;
        throw error;
      }
      return new Promise<RemoteRef>((_resolve, reject) => {
        const cutOff = () => {
          abortedAfterMs = Date.now() - started;
          reject(new Error('connection closed: aborted'));
        };
        // An abort event does not replay: a deadline already passed cuts off at once.
        if (call?.signal?.aborted) cutOff();
        else call?.signal?.addEventListener('abort', cutOff, { once: true });
      });
    };
    await startWorker(fixture, withoutRenewals(fixture.store));
    await fixture.settle();
    expect(abortedAfterMs).toBeDefined();
    expect(abortedAfterMs).toBeLessThan(LEASE_MS);
    // One create, then a look-up that found it: linked and brought to the wanted state, no second create.
    expect(target.calls.map((c) => c.op)).toEqual(['createUser', 'findUser', 'updateUser']);
    expect(target.users.size).toBe(1);
    const [remoteId] = [...target.users.keys()];
    expect(await fixture.store.getLink('crm', 'user', resource.id as string)).toMatchObject({ remoteId, status: 'synced' });
    const [job] = await fixture.store.listJobs({ localId: resource.id });
    // maxAttempts 1: the cut-off attempt did not count against it.
    expect(job).toMatchObject({ status: 'succeeded', attempts: 1, takeovers: 1 });
    expect(job.history.map((h) => h.outcome)).toEqual(['abandoned', 'succeeded']);
    expect(job.history[0].error).toMatch(/^the lease ended before the call finished; its outcome is unknown/);
  });

  it('moves the deadline with each renewal: a call longer than the lease completes while renewals get through', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping, pattern }], { runWorker: false });
    const target = fixture.targets.crm;
    const { resource } = await fixture.runtime.identities.createUser({ userName: 'barbara' }, actor);
    target.beforeCreate = () => new Promise((resolve) => setTimeout(resolve, 2.5 * LEASE_MS));
    await startWorker(fixture);
    await fixture.settle();
    expect(target.count('createUser')).toBe(1);
    const [job] = await fixture.store.listJobs({ localId: resource.id });
    expect(job).toMatchObject({ status: 'succeeded', attempts: 1, takeovers: 0 });
  });

  it('hands every job of a batch cut off at the deadline back with its outcome unknown, none failed', async () => {
    const fixture = await pipelineFixture(
      [{ id: 'bulk', mapping, pattern, batch: { enabled: true }, retry: { maxAttempts: 1, baseDelayMs: 2, maxDelayMs: 5 } }],
      {
        runWorker: false,
        batchSize: 10,
      },
    );
    const target = fixture.targets.bulk;
    for (const name of ['a', 'b', 'c']) await fixture.runtime.identities.createUser({ userName: name }, actor);
    let creates = 0;
    // The second create stalls past the deadline; the third is then not sent by this attempt.
    target.beforeCreate = async () => {
      creates += 1;
      if (creates === 2) await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
    };
    await startWorker(fixture, withoutRenewals(fixture.store));
    await fixture.settle();
    expect(target.users.size).toBe(3);
    expect(target.count('createUser')).toBe(3);
    const jobs = await fixture.store.listJobs({ instanceId: 'bulk' });
    expect(jobs.map((j) => j.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(jobs.map((j) => j.takeovers).sort()).toEqual([0, 1, 1]);
  });

  it('hands a claimed job back at once when its lease is about to end before it starts, instead of holding it', async () => {
    const fixture = await pipelineFixture([{ id: 'crm', mapping, pattern }], { runWorker: false });
    const target = fixture.targets.crm;
    const { resource } = await fixture.runtime.identities.createUser({ userName: 'edsger' }, actor);
    // The worker's clock jumps a whole lease right after its first claim: a process stalled between claiming and starting.
    let offset = 0;
    let claims = 0;
    const clock: Clock = { now: () => Date.now() + offset, sleep: (ms, signal) => systemClock.sleep(ms, signal) };
    const store = new Proxy(fixture.store, {
      get(inner, key) {
        const value: unknown = Reflect.get(inner, key);
        if (typeof value !== 'function') return value;
        if (key !== 'claimJobs') return (value as (...args: unknown[]) => unknown).bind(inner);
        return async (...args: Parameters<Store['claimJobs']>) => {
          const claimed = await inner.claimJobs(...args);
          if (claimed.length > 0 && ++claims === 1) offset += LEASE_MS;
          return claimed;
        };
      },
    });
    await startWorker(fixture, store, clock);
    await fixture.settle();
    expect(target.count('createUser')).toBe(1);
    const [job] = await fixture.store.listJobs({ localId: resource.id });
    expect(job).toMatchObject({ status: 'succeeded', attempts: 1, takeovers: 1 });
    expect(job.history.map((h) => [h.outcome, h.error])).toEqual([
      ['abandoned', 'the lease was about to end before the job started; nothing was sent'],
      ['succeeded', undefined],
    ]);
  });
});
