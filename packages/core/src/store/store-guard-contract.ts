import assert from 'node:assert/strict';
import type { JobGuard, NewJob } from './records.js';
import type { Store } from './store-ports.js';

const HOUR = 60 * 60 * 1000;
const operator = (action: string) => ({
  at: new Date().toISOString(),
  actor: 'admin:ops',
  action,
  entityType: 'connector' as const,
  entityId: 'target',
});

/** The accidental-deletion guard as every store must keep it (see Store.commit and Store.resolveHeldJobs). */
export function storeGuardContractCases(
  test: (name: string, body: (store: Store) => Promise<void>) => void,
  job: (localId: string, overrides?: Partial<NewJob>) => NewJob,
): void {
  const guarded = (localId: string, guard: Partial<JobGuard> = {}) =>
    job(localId, { action: 'delete', reason: 'deleted', guard: { maxCount: 3, windowMs: HOUR, counts: true, ...guard } });

  test('guard: past the threshold the deprovisioning jobs are held, the guard trips once and stays tripped', async (store) => {
    assert.deepEqual((await store.commit({ jobs: [guarded('u1'), guarded('u2')] })).trippedGuards, []);
    const receipt = await store.commit({ jobs: [guarded('u3'), guarded('u4'), guarded('u5'), job('u6')] });
    assert.deepEqual(receipt.trippedGuards, ['target']);
    assert.equal((await store.deprovisionGuard('target')).tripped, true);
    assert.deepEqual(
      (await store.listJobs({ status: 'held' })).map((j) => j.localId),
      ['u5', 'u4'],
    );
    // Creates and updates keep flowing; the claim never takes held jobs.
    const claimed = await store.claimJobs({ workerId: 'w', now: Date.now() + 1000, leaseMs: 10_000, slots: { target: 10 } });
    assert.deepEqual(claimed.map((j) => j.localId).sort(), ['u1', 'u2', 'u3', 'u6']);
    // Tripped: a later guarded job is held even though it alone is below the threshold; no second trip.
    assert.deepEqual((await store.commit({ jobs: [guarded('u7', { maxCount: 100 })] })).trippedGuards, []);
    assert.equal((await store.jobCounts('target')).held, 3);
    assert.equal((await store.deprovisionGuard('other')).tripped, false);
  });

  test('guard: release makes the held jobs pending once and restarts the window; discard cancels them', async (store) => {
    await store.commit({ jobs: ['a', 'b', 'c', 'd', 'e'].map((id) => guarded(id)) });
    assert.equal(await store.resolveHeldJobs('target', 'release', Date.now(), operator('connector.guard.release')), 2);
    assert.equal((await store.jobCounts('target')).pending, 5);
    assert.equal((await store.deprovisionGuard('target')).tripped, false);
    assert.ok((await store.deprovisionGuard('target')).countingSince);
    // The window restarted: three more go through, the fourth trips it again.
    await store.commit({ jobs: ['f', 'g', 'h', 'i'].map((id) => guarded(id)) });
    assert.deepEqual(
      (await store.listJobs({ status: 'held' })).map((j) => j.localId),
      ['i'],
    );
    assert.equal(await store.resolveHeldJobs('target', 'discard', Date.now(), operator('connector.guard.discard')), 1);
    assert.equal((await store.getJob((await store.listJobs({ localId: 'i' }))[0].id))?.status, 'discarded');
    assert.equal((await store.jobCounts('target')).held, 0);
    const audit = await store.listAudit({ entityId: 'target' });
    assert.deepEqual(
      audit.map((a) => [a.action, a.actor, a.details?.jobs]),
      [
        ['connector.guard.discard', 'admin:ops', 1],
        ['connector.guard.release', 'admin:ops', 2],
      ],
    );
  });

  test('guard: a percentage counts the linked accounts (at least 10); jobs that only carry a deprovisioned state never count', async (store) => {
    const share = (id: string) => guarded(id, { maxCount: undefined, maxPercent: 10 });
    // No links: the share's floor of 10 lets ten through.
    await store.commit({ jobs: [...Array.from({ length: 10 }, (_, i) => share(`u${i}`)), guarded('carried', { counts: false })] });
    assert.equal((await store.deprovisionGuard('target')).tripped, false);
    await store.commit({ jobs: [share('u10')] });
    assert.equal((await store.deprovisionGuard('target')).tripped, true);
  });

  test('guard: newest state wins over a held job; a newer job for the identity supersedes it', async (store) => {
    await store.commit({ jobs: ['a', 'b', 'c', 'd'].map((id) => guarded(id)) });
    const [held] = await store.listJobs({ status: 'held' });
    assert.equal(held.localId, 'd');
    await store.commit({ jobs: [job('d', { reason: 'entered scope' })] });
    assert.equal((await store.getJob(held.id))?.status, 'superseded');
    assert.equal((await store.listJobs({ localId: 'd', status: 'pending' })).length, 1);
  });
}
