import assert from 'node:assert/strict';
import { systemClock } from '../clock.js';
import { silentLogger } from '../logging/logger.js';
import { RetentionPruner } from '../pipeline/retention-pruner.js';
import type { IdentityWrite, Store } from './store-ports.js';

const DAY = 86_400_000;

export interface RetentionLoadOptions {
  /** Old succeeded jobs the store-specific seed writes (default 100,000). */
  oldJobs?: number;
  /** Give up (fail) after this long (default 60 s). */
  timeoutMs?: number;
}

export interface RetentionLoadResult {
  pruned: number;
  /** Identity writes that committed while the pruner ran. */
  writesDuringPrune: number;
  /** Their slowest commit, ms. */
  slowestWriteMs: number;
  pruneMs: number;
}

/**
 * Retention under write load, for a store package's tests: `seed` puts `count` succeeded
 * jobs finished at `finishedAt` (ISO) into the store's own tables by its fastest path
 * (before `open`, on a migrated store: SQLite's file has one owner at a time); the pruner removes them while identity writes (user, job and audit, as a SCIM create
 * commits them) keep going; afterwards every recent, failed and pending job, every link
 * and every identity is still there, and none of the old jobs is.
 */
export async function retentionUnderWriteLoad(
  seed: (count: number, finishedAt: string) => Promise<void>,
  open: () => Promise<Store>,
  options: RetentionLoadOptions = {},
): Promise<RetentionLoadResult> {
  const oldJobs = options.oldJobs ?? 100_000;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const now = Date.now();
  await seed(oldJobs, iso(now - 40 * DAY));
  const store = await open();
  try {
    return await underLoad(store, oldJobs, now, deadline);
  } finally {
    await store.close();
  }
}

async function underLoad(store: Store, oldJobs: number, now: number, deadline: number): Promise<RetentionLoadResult> {
  const userWrite = (id: string, runAt: number): IdentityWrite => ({
    putUsers: [
      { id, userName: id, active: true, resource: { userName: id, active: true }, version: 1, createdAt: iso(now), updatedAt: iso(now) },
    ],
    jobs: [{ instanceId: 'target', entityType: 'user', localId: id, action: 'sync', reason: 'created', maxAttempts: 5, runAt }],
    audit: [{ at: iso(Date.now()), actor: 'scim:test', action: 'user.created', entityType: 'user', entityId: id }],
  });

  // What must survive: 20 users synced recently, 10 whose job failed long ago, 20 whose job waits.
  for (let i = 0; i < 30; i += 1) await store.commit(userWrite(`kept-${i}`, now - 1000));
  const claimed = await store.claimJobs({ workerId: 'w', now, leaseMs: 60_000, slots: { target: 30 } });
  assert.equal(claimed.length, 30);
  for (const [i, job] of claimed.entries()) {
    const link = {
      instanceId: 'target',
      entityType: 'user' as const,
      localId: job.localId,
      remoteId: `r-${job.localId}`,
      status: 'synced' as const,
    };
    if (i < 20) await store.completeJob({ jobId: job.id, claimToken: job.claimToken, now: now - DAY, link });
    else await store.failJob({ jobId: job.id, claimToken: job.claimToken, now: now - 60 * DAY, error: 'denied', errorKind: 'permanent' });
  }
  for (let i = 0; i < 20; i += 1) await store.commit(userWrite(`waiting-${i}`, now + 3_600_000));
  const before = await store.jobCounts();
  assert.equal(before.succeeded, 20 + oldJobs);

  const pruner = new RetentionPruner(
    { store, clock: systemClock, logger: silentLogger() },
    { succeededJobs: 30 * DAY, supersededJobs: 7 * DAY, failedJobs: false, audit: 400 * DAY },
    // Full 500-row batches with short rests: this checks what survives concurrent writes (the bench measures the defaults).
    { batchSize: 500, targetBatchMs: 10_000, pauseMs: 2 },
  );
  let pruning = true;
  let writes = 0;
  let slowest = 0;
  const writer = (async () => {
    // Bounded in time (the deadline) and count.
    for (let i = 0; pruning && i < 1_000_000 && Date.now() < deadline; i += 1) {
      const started = performance.now();
      await store.commit(userWrite(`during-${i}`, now + 3_600_000));
      slowest = Math.max(slowest, performance.now() - started);
      writes += 1;
    }
  })();
  const started = performance.now();
  const reports = await pruner.pruneOnce({ maxPerRun: oldJobs * 2 });
  const pruneMs = performance.now() - started;
  pruning = false;
  await writer;
  assert.ok(Date.now() < deadline, 'pruning finished within the time limit');

  const pruned = reports.find((r) => r.kind === 'succeededJobs')?.removed ?? 0;
  assert.equal(pruned, oldJobs);
  assert.deepEqual(await store.countPrunableJobs({ status: 'succeeded', finishedBefore: now - 30 * DAY }), { count: 0 });
  const after = await store.jobCounts();
  assert.equal(after.succeeded, 20, 'every recent succeeded job is still there');
  assert.equal(after.failed, 10, 'every failed job is still there');
  assert.equal(after.pending, 20 + writes, 'every pending job is still there');
  for (const job of claimed) {
    assert.ok(await store.getJob(job.id), `job ${job.id} is still there`);
    assert.ok(await store.getUser(job.localId), `user ${job.localId} is still there`);
  }
  for (const job of claimed.slice(0, 20)) assert.equal((await store.getLink('target', 'user', job.localId))?.remoteId, `r-${job.localId}`);
  for (let i = 0; i < writes; i += 1) assert.ok(await store.getUser(`during-${i}`), `user during-${i} written while pruning is there`);
  assert.equal((await store.listAudit({ limit: 1_000_000 })).length, 50 + writes, 'recent audit entries are kept');
  return { pruned, writesDuringPrune: writes, slowestWriteMs: slowest, pruneMs };
}

const iso = (ms: number) => new Date(ms).toISOString();
