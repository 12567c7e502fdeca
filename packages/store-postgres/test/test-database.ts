import { randomBytes } from 'node:crypto';
import { PostgresStore } from '../src/index.js';

/** The PostgreSQL the tests use: PROVISIO_TEST_DATABASE_URL, else the machines' local one. */
export const TEST_DATABASE_URL = process.env.PROVISIO_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name no other run uses. */
export function freshSchema(prefix = 'provisio_test'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/**
 * For the describe block it is called in: a function naming a fresh schema each call (`prefix` as
 * freshSchema's), and every schema it named dropped after the block's tests.
 */
export function freshSchemasForSuite(prefix?: string): () => string {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await PostgresStore.dropSchemas(TEST_DATABASE_URL, schema);
  });
  return () => {
    const schema = freshSchema(prefix);
    schemas.push(schema);
    return schema;
  };
}

/**
 * Whether PostgreSQL answers. Under CI it must: a missing database fails the run
 * instead of skipping the tests. Locally the tests skip with a loud message.
 */
export async function postgresAvailable(): Promise<boolean> {
  try {
    await PostgresStore.ping(TEST_DATABASE_URL);
    return true;
  } catch (error) {
    if (process.env.CI) throw new Error(`PostgreSQL tests must run in CI, but ${TEST_DATABASE_URL} does not answer: ${String(error)}`);
    console.warn(
      `\n!!! SKIPPING PostgreSQL tests: ${TEST_DATABASE_URL} does not answer (${String(error)}). Set PROVISIO_TEST_DATABASE_URL or start PostgreSQL. !!!\n`,
    );
    return false;
  }
}
