import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NewJob } from '@provisio/core/engine';
import { contractJob } from '@provisio/core/testing';
import { SqliteStore } from '@provisio/store-sqlite';
import { runCli } from './cli-harness.js';

const DAY = 86_400_000;

/**
 * A store holding what retention decides about: 3 succeeded jobs finished 40 days ago,
 * 1 succeeded yesterday, 1 failed 100 days ago (kept: failedJobs defaults to for ever),
 * 1 pending, and audit entries 500 and 10 days old.
 */
async function seedStore(path: string): Promise<{ oldest: string; newest: string }> {
  const store = SqliteStore.open({ path });
  const now = Date.now();
  const finish = async (jobs: NewJob[], outcome: 'succeeded' | 'failed', at: number) => {
    await store.commit({ jobs });
    for (const job of await store.claimJobs({ workerId: 'seed', now, leaseMs: 60_000, slots: { target: 10 } })) {
      if (outcome === 'succeeded') await store.completeJob({ jobId: job.id, claimToken: job.claimToken, now: at });
      else await store.failJob({ jobId: job.id, claimToken: job.claimToken, now: at, error: 'denied', errorKind: 'permanent' });
    }
  };
  await finish([contractJob('a', { runAt: now }), contractJob('b', { runAt: now })], 'succeeded', now - 41 * DAY);
  await finish([contractJob('c', { runAt: now })], 'succeeded', now - 40 * DAY);
  await finish([contractJob('d', { runAt: now })], 'succeeded', now - DAY);
  await finish([contractJob('e', { runAt: now })], 'failed', now - 100 * DAY);
  await store.commit({ jobs: [contractJob('f', { runAt: now + 3_600_000 })] });
  const audit = (daysAgo: number) => ({
    at: new Date(now - daysAgo * DAY).toISOString(),
    actor: 't',
    action: 'user.created',
    entityType: 'user' as const,
    entityId: 'a',
  });
  await store.commit({ audit: [audit(500), audit(10)] });
  await store.close();
  return { oldest: new Date(now - 41 * DAY).toISOString(), newest: new Date(now - 40 * DAY).toISOString() };
}

async function contents(path: string) {
  const store = SqliteStore.open({ path });
  try {
    return { counts: await store.jobCounts(), audit: (await store.listAudit({})).length };
  } finally {
    await store.close();
  }
}

describe('provisio prune', () => {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-prune-'));
  const dbPath = join(dir, 'data', 'provisio.db');
  const manifestPath = join(dir, 'provisio.config.yaml');
  writeFileSync(manifestPath, 'store: { type: sqlite, path: data/provisio.db }\nretention: { succeededJobs: 30d, audit: 400d }\n');

  it('--dry-run reports per kind what would go, with the oldest and newest, and removes nothing', async () => {
    const span = await seedStore(dbPath);
    const before = await contents(dbPath);
    const result = await runCli(['prune', '--dry-run', '--config', manifestPath], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`dry run: would remove (store ${dbPath}):`);
    expect(lines.find((l) => l.trim().startsWith('succeededJobs'))).toMatch(
      new RegExp(`older than \\S+\\s+3\\s+${span.oldest}\\s+${span.newest}$`),
    );
    expect(lines.find((l) => l.trim().startsWith('supersededJobs'))).toMatch(/older than \S+\s+0\s+-\s+-$/);
    expect(lines.find((l) => l.trim().startsWith('failedJobs'))).toMatch(/kept for ever\s+0\s+-\s+-$/);
    expect(lines.find((l) => l.trim().startsWith('audit'))).toMatch(/older than \S+\s+1\s+\S+\s+\S+$/);
    expect(result.stdout).toContain('nothing was removed (--dry-run)');
    expect(await contents(dbPath)).toEqual(before);

    const json = await runCli(['prune', '--dry-run', '--json', '--config', manifestPath], { cwd: dir });
    const report = JSON.parse(json.stdout) as { dryRun: boolean; kinds: { kind: string; count: number; removed?: number }[] };
    expect(report.dryRun).toBe(true);
    expect(report.kinds.map((k) => [k.kind, k.count, k.removed])).toEqual([
      ['succeededJobs', 3, undefined],
      ['supersededJobs', 0, undefined],
      ['failedJobs', 0, undefined],
      ['audit', 1, undefined],
    ]);
    expect(await contents(dbPath)).toEqual(before);
  }, 60_000);

  it('without --dry-run removes exactly those and keeps recent, failed and pending jobs', async () => {
    const result = await runCli(['prune', '--json', '--config', manifestPath], { cwd: dir });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { dryRun: boolean; kinds: { kind: string; removed?: number }[] };
    expect(report.dryRun).toBe(false);
    expect(report.kinds.map((k) => [k.kind, k.removed])).toEqual([
      ['succeededJobs', 3],
      ['supersededJobs', 0],
      ['failedJobs', 0],
      ['audit', 1],
    ]);
    const after = await contents(dbPath);
    expect(after.counts).toMatchObject({ succeeded: 1, failed: 1, pending: 1 });
    expect(after.audit).toBe(1);
  }, 60_000);

  it('refuses a retention of 0 and a misspelt kind at their exact paths', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'retention: { audit: 0d, succededJobs: 30d, failedJobs: 12 }\n');
    const result = await runCli(['validate', '--config', bad], { cwd: dir });
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errors).toEqual(
      expect.arrayContaining([
        'error: retention.audit: must be longer than 0 (use false to keep for ever)',
        expect.stringMatching(/^error: retention\.succededJobs: .*did you mean succeededJobs\?/),
        'error: retention.failedJobs: must be a duration like "30d", "12h", "15m" or "90s", or false to keep for ever (got 12)',
      ]),
    );
  }, 60_000);
});
