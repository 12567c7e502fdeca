import pg from 'pg';
import { postgresAvailable, TEST_DATABASE_URL } from '../test/test-database.js';
import { inTransaction, TransactionRolledBackError } from './queryable.js';

const describeWithPostgres = (await postgresAvailable()) ? describe : describe.skip;

describeWithPostgres('inTransaction', () => {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it('commits what the body did and returns its result', async () => {
    await expect(inTransaction(client, async (c) => (await c.query<{ n: number }>('SELECT 7 AS n')).rows[0].n)).resolves.toBe(7);
  });

  // pg-boss catches some failures of its own statements: PostgreSQL then answers COMMIT with ROLLBACK.
  it('does not report as saved a body whose failed statement someone caught', async () => {
    await client.query('CREATE TEMP TABLE IF NOT EXISTS kept (n int)');
    const body = async (c: pg.Client) => {
      await c.query('INSERT INTO kept VALUES (1)');
      await c.query('SELECT 1 / 0').catch(() => undefined);
      return 'done';
    };
    await expect(inTransaction(client, body)).rejects.toBeInstanceOf(TransactionRolledBackError);
    expect((await client.query('SELECT count(*)::int AS n FROM kept')).rows[0]).toEqual({ n: 0 });
  });
});
