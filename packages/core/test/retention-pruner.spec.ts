// The retention pruner over the in-memory store: batches, the per-run bound, kinds kept for ever, the background loop.
import { silentLogger, systemClock, type LogFn, type Logger } from '../src/index.js';
import { RetentionPruner, type RetentionConfig } from '../src/engine.js';
import { InMemoryStore } from '../src/testing.js';

const DAY = 86_400_000;
const policy: RetentionConfig = { succeededJobs: 30 * DAY, supersededJobs: 7 * DAY, failedJobs: false, audit: 400 * DAY };

/** `count` jobs of `status` finished `daysAgo` days ago, through the store's port. */
async function finishedJobs(store: InMemoryStore, count: number, outcome: 'succeeded' | 'failed', daysAgo: number): Promise<void> {
  const now = Date.now();
  const jobs = Array.from({ length: count }, (_, i) => ({
    instanceId: 'target',
    entityType: 'user' as const,
    localId: `${outcome}-${daysAgo}-${i}`,
    action: 'sync' as const,
    reason: 'created',
    maxAttempts: 5,
    runAt: now,
  }));
  await store.commit({ jobs });
  for (const job of await store.claimJobs({ workerId: 'w', now, leaseMs: 60_000, slots: { target: count } })) {
    const base = { jobId: job.id, claimToken: job.claimToken, now: now - daysAgo * DAY };
    if (outcome === 'succeeded') await store.completeJob(base);
    else await store.failJob({ ...base, error: 'denied', errorKind: 'permanent' });
  }
}

function recordingLogger(lines: { obj: object; msg?: string }[]): Logger {
  const info = ((obj: object | string, msg?: string) => {
    lines.push(typeof obj === 'string' ? { obj: {}, msg: obj } : { obj, msg });
  }) as LogFn;
  return { ...silentLogger(), info, child: () => recordingLogger(lines) };
}

describe('RetentionPruner', () => {
  it('removes what is older than each kind’s period in batches, bounded per run, and logs what went', async () => {
    const store = new InMemoryStore();
    await finishedJobs(store, 25, 'succeeded', 40);
    await finishedJobs(store, 5, 'succeeded', 1);
    await finishedJobs(store, 4, 'failed', 90);
    const lines: { obj: object; msg?: string }[] = [];
    const pruner = new RetentionPruner({ store, clock: systemClock, logger: recordingLogger(lines) }, policy, {
      batchSize: 10,
      pauseMs: 1,
      maxPerRun: 20,
    });
    expect((await pruner.preview()).map((r) => [r.kind, r.count])).toEqual([
      ['succeededJobs', 25],
      ['supersededJobs', 0],
      ['failedJobs', 0],
      ['audit', 0],
    ]);
    const first = await pruner.pruneOnce();
    expect(first.find((r) => r.kind === 'succeededJobs')?.removed).toBe(20);
    expect(first.some((r) => r.kind === 'failedJobs')).toBe(false);
    expect(lines).toEqual([
      { obj: expect.objectContaining({ kind: 'succeededJobs', removed: 20 }), msg: 'retention removed 20 succeededJobs' },
    ]);
    expect((await pruner.pruneOnce()).find((r) => r.kind === 'succeededJobs')?.removed).toBe(5);
    expect((await pruner.pruneOnce()).find((r) => r.kind === 'succeededJobs')?.removed).toBe(0);
    expect(await store.jobCounts()).toMatchObject({ succeeded: 5, failed: 4 });
  });

  it('prunes failed jobs only when failedJobs has a period', async () => {
    const store = new InMemoryStore();
    await finishedJobs(store, 3, 'failed', 90);
    const pruner = new RetentionPruner({ store, clock: systemClock, logger: silentLogger() }, { ...policy, failedJobs: 60 * DAY });
    expect((await pruner.pruneOnce()).find((r) => r.kind === 'failedJobs')?.removed).toBe(3);
    expect((await store.jobCounts()).failed).toBe(0);
  });

  it('runs in the background after its first delay, then every interval, until stopped', async () => {
    const store = new InMemoryStore();
    await finishedJobs(store, 3, 'succeeded', 40);
    const pruner = new RetentionPruner({ store, clock: systemClock, logger: silentLogger() }, policy, {
      firstRunDelayMs: 10,
      intervalMs: 20,
    });
    pruner.start();
    // Bounded wait for the first run.
    for (let i = 0; i < 200 && (await store.jobCounts()).succeeded > 0; i += 1) await systemClock.sleep(10);
    expect((await store.jobCounts()).succeeded).toBe(0);
    await finishedJobs(store, 2, 'succeeded', 40);
    for (let i = 0; i < 200 && (await store.jobCounts()).succeeded > 0; i += 1) await systemClock.sleep(10);
    expect((await store.jobCounts()).succeeded).toBe(0);
    await pruner.stop();
    await finishedJobs(store, 2, 'succeeded', 40);
    await systemClock.sleep(60);
    expect((await store.jobCounts()).succeeded).toBe(2);
  });
});
