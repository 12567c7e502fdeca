import assert from 'node:assert/strict';
import type { NewJob } from './records.js';
import type { Store } from './store-ports.js';

const DAY = 86_400_000;

/**
 * The store contract of retention: pruneJobs, pruneAudit and their dry-run counts.
 * Jobs are finished through the port with an old `now` (their outcome time), so the
 * rows are what the pipeline writes. `at` is the case's time base (see store-contract.ts),
 * `job` a job of `target` due at it.
 */
export function storeRetentionContractCases(
  test: (name: string, body: (store: Store) => Promise<void>) => void,
  at: () => number,
  job: (localId: string, overrides?: Partial<NewJob>) => NewJob,
): void {
  /** Claims every due job of `target` and records `outcome` for each at `finishedAt`. */
  const finishAll = async (store: Store, outcome: 'succeeded' | 'failed', finishedAt: number) => {
    const claimed = await store.claimJobs({ workerId: 'w', now: at(), leaseMs: 60_000, slots: { target: 100 } });
    for (const c of claimed) {
      const base = { jobId: c.id, claimToken: c.claimToken, now: finishedAt };
      if (outcome === 'succeeded')
        await store.completeJob({ ...base, link: { instanceId: 'target', entityType: 'user', localId: c.localId, status: 'synced' } });
      else await store.failJob({ ...base, error: 'REQUIRED_FIELD_MISSING', errorKind: 'permanent' });
    }
    return claimed.map((c) => c.id);
  };

  test('retention: prunes finished jobs older than the cutoff in batches, and only those', async (store) => {
    const T0 = at();
    const cutoff = T0 - 30 * DAY;
    await store.commit({ jobs: [job('old1'), job('old2')] });
    const old = await finishAll(store, 'succeeded', T0 - 40 * DAY);
    await store.commit({ jobs: [job('recent')] });
    const [recent] = await finishAll(store, 'succeeded', T0 - DAY);
    await store.commit({ jobs: [job('broken')] });
    const [failed] = await finishAll(store, 'failed', T0 - 40 * DAY);
    await store.commit({ jobs: [job('waiting', { runAt: Date.now() + 3_600_000 })] });
    const [pending] = await store.listJobs({ status: 'pending' });

    const summary = await store.countPrunableJobs({ status: 'succeeded', finishedBefore: cutoff });
    assert.deepEqual(summary, {
      count: 2,
      oldest: new Date(T0 - 40 * DAY).toISOString(),
      newest: new Date(T0 - 40 * DAY).toISOString(),
    });
    assert.equal(await store.pruneJobs({ status: 'succeeded', finishedBefore: cutoff, limit: 1 }), 1);
    assert.equal(await store.pruneJobs({ status: 'succeeded', finishedBefore: cutoff, limit: 1 }), 1);
    assert.equal(await store.pruneJobs({ status: 'succeeded', finishedBefore: cutoff, limit: 1 }), 0);
    for (const id of old) assert.equal(await store.getJob(id), undefined);
    assert.equal((await store.getJob(recent))?.status, 'succeeded');
    assert.equal((await store.getJob(failed))?.status, 'failed');
    assert.equal((await store.getJob(pending.id))?.status, 'pending');
    // The links the pruned jobs wrote are the identity's state, not the job's: they stay.
    assert.equal((await store.getLink('target', 'user', 'old1'))?.status, 'synced');
    assert.deepEqual(await store.countPrunableJobs({ status: 'succeeded', finishedBefore: cutoff }), { count: 0 });
    // Failed jobs go only when asked for by status.
    assert.equal(await store.pruneJobs({ status: 'failed', finishedBefore: cutoff, limit: 10 }), 1);
    assert.equal(await store.getJob(failed), undefined);
  });

  test('retention: never prunes a pending or running job, however old', async (store) => {
    const T0 = at();
    await store.commit({ jobs: [job('running'), job('pending', { runAt: Date.now() + 3_600_000 })] });
    await store.claimJobs({ workerId: 'w', now: T0, leaseMs: 60_000, slots: { target: 10 } });
    const later = Date.now() + 365 * DAY;
    for (const status of ['succeeded', 'superseded', 'failed'] as const) {
      assert.equal((await store.countPrunableJobs({ status, finishedBefore: later })).count, 0);
      assert.equal(await store.pruneJobs({ status, finishedBefore: later, limit: 10 }), 0);
    }
    const counts = await store.jobCounts();
    assert.equal(counts.running, 1);
    assert.equal(counts.pending, 1);
  });

  test('retention: prunes superseded jobs by the time they were replaced', async (store) => {
    await store.commit({ jobs: [job('u1', { runAt: Date.now() + 3_600_000 })] });
    await store.commit({ jobs: [job('u1', { runAt: Date.now() + 3_600_000, reason: 'updated' })] });
    const [superseded] = await store.listJobs({ status: 'superseded' });
    assert.ok(superseded, 'the older pending job is superseded');
    assert.equal(await store.pruneJobs({ status: 'superseded', finishedBefore: Date.now() - DAY, limit: 10 }), 0);
    assert.equal(await store.pruneJobs({ status: 'superseded', finishedBefore: Date.now() + 1000, limit: 10 }), 1);
    assert.equal(await store.getJob(superseded.id), undefined);
    assert.equal((await store.listJobs({ status: 'pending' }))[0].reason, 'updated');
  });

  test('retention: keeps a succeeded job newer than a kept failure of its identity (retrying the failure must see it)', async (store) => {
    const T0 = at();
    await store.commit({ jobs: [job('u1', { action: 'delete', reason: 'left scope' })] });
    const [failed] = await finishAll(store, 'failed', T0 - 50 * DAY);
    await store.commit({ jobs: [job('u1', { reason: 'entered scope' })] });
    const [succeeded] = await finishAll(store, 'succeeded', T0 - 40 * DAY);
    const cutoff = T0 - 30 * DAY;
    assert.equal((await store.countPrunableJobs({ status: 'succeeded', finishedBefore: cutoff })).count, 0);
    assert.equal(await store.pruneJobs({ status: 'succeeded', finishedBefore: cutoff, limit: 10 }), 0);
    // Retrying now would not replay the old delete: the newer job is still there.
    assert.deepEqual(await store.retryFailedJobs({ jobId: failed }, Date.now()), []);
    assert.equal((await store.getJob(failed))?.status, 'superseded');
    assert.equal(await store.pruneJobs({ status: 'succeeded', finishedBefore: cutoff, limit: 10 }), 1);
    assert.equal(await store.getJob(succeeded), undefined);
  });

  test('retention: prunes audit entries older than the cutoff, oldest first, and never reuses a seq', async (store) => {
    const T0 = at();
    const entry = (daysAgo: number, entityId: string) => ({
      at: new Date(T0 - daysAgo * DAY).toISOString(),
      actor: 'scim:okta',
      action: 'user.created',
      entityType: 'user' as const,
      entityId,
    });
    await store.commit({ audit: [entry(500, 'a'), entry(450, 'b'), entry(401, 'c'), entry(10, 'd')] });
    const cutoff = T0 - 400 * DAY;
    assert.deepEqual(await store.countPrunableAudit({ before: cutoff }), {
      count: 3,
      oldest: entry(500, 'a').at,
      newest: entry(401, 'c').at,
    });
    const before = await store.listAudit({});
    assert.equal(await store.pruneAudit({ before: cutoff, limit: 2 }), 2);
    assert.deepEqual(
      (await store.listAudit({})).map((a) => a.entityId),
      ['d', 'c'],
    );
    assert.equal(await store.pruneAudit({ before: cutoff, limit: 2 }), 1);
    assert.equal(await store.pruneAudit({ before: cutoff, limit: 2 }), 0);
    await store.commit({ audit: [entry(0, 'e')] });
    const [newest] = await store.listAudit({ limit: 1 });
    assert.equal(newest.entityId, 'e');
    assert.ok(newest.seq > Math.max(...before.map((a) => a.seq)), 'a new entry gets a seq above every earlier one');
  });
}
