import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { retentionUnderWriteLoad } from '@provisio/core';
import { SqliteStore } from './sqlite-store.js';

/** `count` succeeded jobs finished at `finishedAt`, straight into the jobs table in one transaction. */
function seedOldJobs(path: string, count: number, finishedAt: string): void {
  const db = new Database(path);
  try {
    const insert = db.prepare(
      `INSERT INTO jobs (instance_id, entity_type, local_id, action, reason, status, attempts, max_attempts, run_at, created_at, updated_at, history)
       VALUES ('target', 'user', ?, 'sync', 'created', 'succeeded', 1, 5, ?, ?, ?, ?)`,
    );
    const runAt = Date.parse(finishedAt);
    const history = JSON.stringify([{ attempt: 1, startedAt: finishedAt, finishedAt, outcome: 'succeeded' }]);
    db.transaction(() => {
      for (let i = 0; i < count; i += 1) insert.run(`old-${i % 5000}`, runAt, finishedAt, finishedAt, history);
    })();
  } finally {
    db.close();
  }
}

describe('SqliteStore retention', () => {
  it('prunes 100,000 old succeeded jobs while identity writes go on, and removes nothing else', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'provisio-retention-')), 'provisio.db');
    await SqliteStore.open({ path }).close(); // migrated: the seed writes the store's own tables
    const result = await retentionUnderWriteLoad(
      async (count, finishedAt) => seedOldJobs(path, count, finishedAt),
      async () => SqliteStore.open({ path }),
    );
    expect(result.pruned).toBe(100_000);
    // Writes were not stopped: some committed while the batches ran.
    expect(result.writesDuringPrune).toBeGreaterThan(0);
  }, 90_000);
});
