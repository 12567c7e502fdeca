// PostgreSQL tests must run, never skip: an unreachable database fails the suite with the reason.
import { PostgresStore } from '@provisio/store-postgres';

export const DATABASE_URL = process.env.PROVISIO_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Resolves when the database answers; otherwise throws, naming the URL (no password in it here) and the cause. */
export async function requirePostgres(url = DATABASE_URL): Promise<void> {
  try {
    await PostgresStore.ping(url);
  } catch (error) {
    throw new Error(
      `the PostgreSQL chaos runs need ${new URL(url).host} (set PROVISIO_TEST_DATABASE_URL), but it does not answer: ${String(error)}`,
    );
  }
}
