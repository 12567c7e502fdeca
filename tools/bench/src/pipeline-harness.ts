import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProvisioPlugin } from '@provisio/core';
import type { UserInput } from '@provisio/core/engine';
import { startPipelineForTest } from '@provisio/core/testing';
import { SqliteStore } from '@provisio/store-sqlite';
import { rssBreakdownMb, timed } from './measure.ts';

export interface PipelineRun {
  acceptSeconds: number;
  drainSeconds: number;
  succeeded: number;
  failed: number;
  firstError?: string;
  /** Resident memory right after the drain, the store still open. */
  rssAfterDrain?: { anonMb: number; fileMb: number };
}

/**
 * Runs `count` users through the real pipeline (SQLite store, identity service,
 * worker) into one connector instance: every user is accepted first (the
 * worker stopped), then the worker drains the queue, timed on its own, until
 * every job finished. The store commits with synchronous=NORMAL unless `synchronous: 'full'`.
 */
export async function runPipeline(
  plugin: ProvisioPlugin,
  instance: Record<string, unknown>,
  count: number,
  user: (i: number) => UserInput,
  timeoutMs: number,
  { synchronous = 'normal' }: { synchronous?: 'full' | 'normal' } = {},
): Promise<PipelineRun> {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-bench-'));
  const store = SqliteStore.open({ path: join(dir, 'bench.db'), synchronous });
  // Accepted first, the worker stopped: the drain is timed on its own.
  const { runtime, stop } = await startPipelineForTest({
    connectors: plugin.connectors,
    instances: [instance],
    store,
    start: false,
    idlePollMs: 5,
  });
  try {
    const accept = await timed(async () => {
      for (let i = 0; i < count; i += 1) await runtime.identities.createUser(user(i), { actor: 'bench' });
    });
    const drainStarted = performance.now();
    const drain = await timed(async () => {
      await runtime.start();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = await store.jobCounts();
        if (counts.pending === 0 && counts.running === 0) return counts;
        if (Date.now() > deadline) throw new Error(`not drained within ${timeoutMs} ms: ${JSON.stringify(counts)}`);
        await new Promise((resolve) => setTimeout(resolve, pollDelayMs(drainStarted)));
      }
    });
    const rssAfterDrain = rssBreakdownMb();
    const failedJobs = await store.listJobs({ status: 'failed', limit: 1 });
    return {
      acceptSeconds: accept.seconds,
      drainSeconds: drain.seconds,
      succeeded: drain.result.succeeded,
      failed: drain.result.failed,
      ...(failedJobs[0] ? { firstError: failedJobs[0].lastError } : {}),
      ...(rssAfterDrain ? { rssAfterDrain } : {}),
    };
  } finally {
    await stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Counting jobs scans the job table: polling it every 20 ms at 100,000 jobs would
 * cost the process more CPU than the work measured. The delay grows with the elapsed
 * time instead, so the drain time stays within 0.5 % of the truth.
 */
function pollDelayMs(startedAt: number): number {
  return Math.min(1000, Math.max(20, (performance.now() - startedAt) / 200));
}
