// The PostgreSQL database the e2e tests run against: in CI it must answer; elsewhere a test that needs it skips, loudly.
import { randomBytes } from 'node:crypto';
import { PostgresStore } from '@provisio/store-postgres';

export const DATABASE_URL = process.env.PROVISIO_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether the database answers; `what` names the test that skips when it does not. Throws in CI instead. */
export async function postgresAnswers(what: string): Promise<boolean> {
  try {
    await PostgresStore.ping(DATABASE_URL);
    return true;
  } catch (error) {
    if (process.env.CI) throw new Error(`PostgreSQL must answer in CI, but ${DATABASE_URL} does not: ${String(error)}`);
    console.warn(`\n!!! SKIPPING ${what}: ${DATABASE_URL} does not answer (${String(error)}) !!!\n`);
    return false;
  }
}

/** A schema name of its own for one test file, `prefix` and random hex. */
export const freshSchema = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;

/** The manifest lines of a PostgreSQL store in `schema`, with the password key such a store needs. */
export const postgresStoreYaml = (schema: string) =>
  `store: { type: postgres, url: "${DATABASE_URL}", schema: ${schema} }\nsecurity: { passwordKey: "${randomBytes(32).toString('base64')}" }\n`;
