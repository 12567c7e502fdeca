import pg from 'pg';
import { retentionUnderWriteLoad } from '@provisio/core/testing';
import { PostgresStore } from '../src/index.js';
import { freshSchema, postgresAvailable, TEST_DATABASE_URL } from './test-database.js';

const available = await postgresAvailable();
const describeWithPostgres = available ? describe : describe.skip;

/** `count` succeeded jobs finished at `finishedAt`, straight into the jobs table in one statement. */
async function seedOldJobs(schema: string, count: number, finishedAt: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    const history = JSON.stringify([{ attempt: 1, startedAt: finishedAt, finishedAt, outcome: 'succeeded' }]);
    await client.query(
      `INSERT INTO jobs (instance_id, entity_type, local_id, action, reason, status, attempts, max_attempts, run_at, created_at, updated_at, history)
       SELECT 'target', 'user', 'old-' || (n % 5000), 'sync', 'created', 'succeeded', 1, 5, $2, $3, $3, $4::jsonb FROM generate_series(1, $1) AS n`,
      [count, Date.parse(finishedAt), finishedAt, history],
    );
    await client.query('ANALYZE jobs');
  } finally {
    await client.end();
  }
}

describeWithPostgres('PostgresStore retention', () => {
  const schema = freshSchema('provisio_retention');
  afterAll(() => PostgresStore.dropSchemas(TEST_DATABASE_URL, schema));

  it('prunes 100,000 old succeeded jobs while identity writes go on, and removes nothing else', async () => {
    await PostgresStore.migrate({ url: TEST_DATABASE_URL, schema });
    const result = await retentionUnderWriteLoad(
      (count, finishedAt) => seedOldJobs(schema, count, finishedAt),
      () => PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false }),
    );
    expect(result.pruned).toBe(100_000);
    expect(result.writesDuringPrune).toBeGreaterThan(0);
  }, 90_000);
});
