import assert from 'node:assert/strict';
import type { LinkRecord, NewJob } from './records.js';
import { isStaleClaimError, type Store } from './store-ports.js';

/**
 * The store contract under takeover: fencing of stale claims, takeovers that do not
 * count as attempts, the outcome-unknown mark and its inheritance, newest state wins.
 * `at` is the case's time base (a second in the past, see store-contract.ts),
 * `job` a job of `target` due at it.
 */
export function storeTakeoverContractCases(
  test: (name: string, body: (store: Store) => Promise<void>) => void,
  at: () => number,
  job: (localId: string, overrides?: Partial<NewJob>) => NewJob,
): void {
  const link = (remoteId: string): LinkRecord => ({ instanceId: 'target', entityType: 'user', localId: 'u1', remoteId, status: 'synced' });
  const rejectsStale = (promise: Promise<unknown>) =>
    assert.rejects(promise, (error: unknown) => {
      assert.ok(isStaleClaimError(error), `expected a StaleClaimError, got ${String(error)}`);
      return true;
    });

  test('fencing: a worker whose lease was taken over cannot record an outcome for that job', async (store) => {
    const T0 = at();
    await store.commit({ jobs: [job('u1')] });
    const [old] = await store.claimJobs({ workerId: 'slow', now: T0, leaseMs: 1000, slots: { target: 1 } });
    assert.equal(await store.releaseExpiredJobs(T0 + 1001), 1);
    // Released but not yet claimed again: the old claim is already void.
    await rejectsStale(store.completeJob({ jobId: old.id, claimToken: old.claimToken, now: T0 + 1002, link: link('from-slow') }));
    const [current] = await store.claimJobs({ workerId: 'fast', now: T0 + 1003, leaseMs: 1000, slots: { target: 1 } });
    assert.equal(current.id, old.id);
    assert.notEqual(current.claimToken, old.claimToken);
    await rejectsStale(store.completeJob({ jobId: old.id, claimToken: old.claimToken, now: T0 + 1004, link: link('from-slow') }));
    await rejectsStale(
      store.retryJobLater({
        jobId: old.id,
        claimToken: old.claimToken,
        now: T0 + 1004,
        runAt: T0 + 1004,
        error: 'late',
        errorKind: 'transient',
      }),
    );
    await rejectsStale(store.failJob({ jobId: old.id, claimToken: old.claimToken, now: T0 + 1004, error: 'late', errorKind: 'permanent' }));
    // Nothing of the stale claim was written: the job runs on under the new claim, with no link.
    assert.equal((await store.getJob(old.id))?.status, 'running');
    assert.equal((await store.getJob(old.id))?.claimedBy, 'fast');
    assert.equal(await store.getLink('target', 'user', 'u1'), undefined);
    await store.completeJob({ jobId: current.id, claimToken: current.claimToken, now: T0 + 1005, link: link('from-fast') });
    assert.equal((await store.getLink('target', 'user', 'u1'))?.remoteId, 'from-fast');
    // A finished job refuses even its own (now spent) token a second time.
    await rejectsStale(store.completeJob({ jobId: current.id, claimToken: current.claimToken, now: T0 + 1006 }));
  });

  test('a takeover is recorded as abandoned, does not count as an attempt and marks the outcome unknown', async (store) => {
    const T0 = at();
    await store.commit({ jobs: [job('u1', { maxAttempts: 2 })] });
    for (let round = 1; round <= 3; round += 1) {
      await store.claimJobs({ workerId: `dead-${round}`, now: T0 + round * 2000, leaseMs: 1000, slots: { target: 1 } });
      assert.equal(await store.releaseExpiredJobs(T0 + round * 2000 + 1001), 1);
    }
    const taken = await store.getJob((await store.listJobs({}))[0].id);
    assert.equal(taken?.status, 'pending');
    assert.equal(taken?.attempts, 0);
    assert.equal(taken?.takeovers, 3);
    assert.equal(taken?.outcomeUnknown, true);
    assert.deepEqual(
      taken?.history.map((h) => h.outcome),
      ['abandoned', 'abandoned', 'abandoned'],
    );
    const [claimed] = await store.claimJobs({ workerId: 'alive', now: T0 + 9000, leaseMs: 1000, slots: { target: 1 } });
    assert.equal(claimed.attempts, 1);
    assert.equal(claimed.outcomeUnknown, true);
    await store.completeJob({ jobId: claimed.id, claimToken: claimed.claimToken, now: T0 + 9001 });
    const done = await store.getJob(claimed.id);
    assert.equal(done?.status, 'succeeded');
    assert.equal(done?.outcomeUnknown, undefined);
    assert.deepEqual(
      done?.history.map((h) => h.outcome),
      ['abandoned', 'abandoned', 'abandoned', 'succeeded'],
    );
  });

  test('a lease is taken over only once the grace period after its end has passed', async (store) => {
    const T0 = at();
    await store.commit({ jobs: [job('u1')] });
    await store.claimJobs({ workerId: 'slow', now: T0, leaseMs: 1000, slots: { target: 1 } });
    assert.equal(await store.releaseExpiredJobs(T0 + 1001, 500), 0);
    assert.equal(await store.releaseExpiredJobs(T0 + 1499, 500), 0);
    assert.equal(await store.releaseExpiredJobs(T0 + 1501, 500), 1);
  });

  test('a claimer hands its job back with the outcome unknown, as a takeover does; a stale claim cannot', async (store) => {
    const T0 = at();
    await store.commit({ jobs: [job('u1', { maxAttempts: 1 }), job('u2')] });
    const [mine, other] = await store.claimJobs({ workerId: 'w', now: T0, leaseMs: 1000, slots: { target: 2 } });
    await store.abandonClaim({ jobId: mine.id, claimToken: mine.claimToken, now: T0 + 10, runAt: T0 + 200, error: 'cut off' });
    const back = await store.getJob(mine.id);
    assert.deepEqual(
      [back?.status, back?.attempts, back?.takeovers, back?.outcomeUnknown, back?.claimedBy],
      ['pending', 0, 1, true, undefined],
    );
    assert.ok((back?.runAt ?? 0) >= T0 + 200, 'not due before runAt');
    assert.deepEqual(
      back?.history.map((h) => [h.outcome, h.error]),
      [['abandoned', 'cut off']],
    );
    // Handed back once; the spent token, and a claim already taken over, are refused.
    await rejectsStale(store.abandonClaim({ jobId: mine.id, claimToken: mine.claimToken, now: T0 + 11, runAt: T0 + 11, error: 'again' }));
    assert.equal(await store.releaseExpiredJobs(T0 + 1001), 1);
    await rejectsStale(
      store.abandonClaim({ jobId: other.id, claimToken: other.claimToken, now: T0 + 1002, runAt: T0 + 1002, error: 'late' }),
    );
    assert.equal((await store.getJob(other.id))?.history.length, 1);
  });

  test('a job that supersedes a taken-over one inherits its unknown outcome', async (store) => {
    const T0 = at();
    await store.commit({ jobs: [job('u1'), job('u2')] });
    await store.claimJobs({ workerId: 'dead', now: T0, leaseMs: 1000, slots: { target: 2 } });
    // u1: the newer job arrives after the takeover; u2: while the old one still runs.
    await store.releaseExpiredJobs(T0 + 1001);
    await store.commit({ jobs: [job('u1', { action: 'delete', reason: 'deleted' })] });
    const u2 = await store
      .commit({ jobs: [job('u2', { action: 'delete', reason: 'deleted' })] })
      .then(() => store.listJobs({ localId: 'u2' }));
    assert.equal(u2.length, 2);
    for (const localId of ['u1', 'u2']) {
      const [newest, oldest] = await store.listJobs({ localId });
      assert.deepEqual([newest.action, newest.status, newest.outcomeUnknown], ['delete', 'pending', true], localId);
      assert.equal(oldest.status, 'superseded', localId);
    }
    // A fresh job over a never-attempted one starts with nothing unknown.
    await store.commit({ jobs: [job('u3')] });
    await store.commit({ jobs: [job('u3', { reason: 'updated' })] });
    assert.equal((await store.listJobs({ localId: 'u3' }))[0].outcomeUnknown, undefined);
  });

  test('a job planned while the older one runs inherits its unknown outcome when the older is handed back at its deadline', async (store) => {
    const T0 = at();
    await store.commit({ jobs: [job('u1')] });
    const [create] = await store.claimJobs({ workerId: 'w', now: T0, leaseMs: 30000, slots: { target: 1 } });
    // Planned while the create runs. A store shared by processes (PostgreSQL) marks it at once: its takeover of the
    // create can commit beside this write, each missing the other. Either way it must be marked by the hand-back.
    await store.commit({ jobs: [job('u1', { reason: 'updated' })] });
    const [update] = await store.listJobs({ localId: 'u1' });
    assert.equal(update.status, 'pending');
    assert.ok(update.outcomeUnknown === undefined || update.outcomeUnknown === true);
    // The create's call is cut off at its deadline: its create may have landed, so the update must look first.
    await store.abandonClaim({ jobId: create.id, claimToken: create.claimToken, now: T0 + 10, runAt: T0 + 10, error: 'cut off' });
    assert.equal((await store.getJob(create.id))?.status, 'superseded');
    const next = await store.claimJobs({ workerId: 'w2', now: T0 + 20, leaseMs: 30000, slots: { target: 5 } });
    assert.deepEqual(
      next.map((j) => [j.id, j.outcomeUnknown]),
      [[update.id, true]],
    );
  });

  test('newest state wins: an older job going back to pending never overtakes a newer one', async (store) => {
    const T0 = at();
    await store.commit({ jobs: [job('u1'), job('u2')] });
    const [a, b] = await store.claimJobs({ workerId: 'w', now: T0, leaseMs: 30000, slots: { target: 2 } });
    await store.commit({
      jobs: [job('u1', { action: 'delete', reason: 'deleted' }), job('u2', { action: 'delete', reason: 'left scope' })],
    });
    // The older sync fails transiently (u1) or is taken over (u2) while the newer delete waits.
    await store.retryJobLater({ jobId: a.id, claimToken: a.claimToken, now: T0 + 1, runAt: T0 + 1, error: '503', errorKind: 'transient' });
    await store.releaseJobsOf('w');
    assert.equal((await store.getJob(a.id))?.status, 'superseded');
    assert.equal((await store.getJob(b.id))?.status, 'superseded');
    const next = await store.claimJobs({ workerId: 'w2', now: T0 + 2, leaseMs: 30000, slots: { target: 5 } });
    assert.deepEqual(next.map((j) => [j.localId, j.action, j.outcomeUnknown]).sort(), [
      ['u1', 'delete', true],
      ['u2', 'delete', true],
    ]);
  });

  test('retrying a failed job by hand does not replay it over a newer job of the identity', async (store) => {
    const T0 = at();
    await store.commit({ jobs: [job('u1', { action: 'delete', reason: 'left scope' })] });
    const [failed] = await store.claimJobs({ workerId: 'w', now: T0, leaseMs: 1000, slots: { target: 1 } });
    await store.failJob({ jobId: failed.id, claimToken: failed.claimToken, now: T0, error: 'nope', errorKind: 'permanent' });
    await store.commit({ jobs: [job('u1', { reason: 'entered scope' })] });
    assert.deepEqual(await store.retryFailedJobs({ jobId: failed.id }, T0 + 10), []);
    const jobs = await store.listJobs({ localId: 'u1' });
    assert.deepEqual(
      jobs.map((j) => [j.action, j.status]),
      [
        ['sync', 'pending'],
        ['delete', 'superseded'],
      ],
    );
  });

  test('keeps the identity a job was planned with (lastKnown) for a look-up after it is gone', async (store) => {
    await store.commit({
      jobs: [
        job('u1', {
          action: 'delete',
          reason: 'deleted',
          lastKnown: { userName: 'ada', externalId: 'e-1', emails: [{ value: 'ada@example.com' }] },
        }),
      ],
    });
    const [claimed] = await store.claimJobs({ workerId: 'w', now: at(), leaseMs: 1000, slots: { target: 1 } });
    assert.deepEqual(claimed.lastKnown, { userName: 'ada', externalId: 'e-1', emails: [{ value: 'ada@example.com' }] });
    assert.deepEqual((await store.getJob(claimed.id))?.lastKnown, claimed.lastKnown);
  });
}
