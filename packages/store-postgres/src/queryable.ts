/**
 * What the SQL modules need of a connection: a `pg` Pool, a PoolClient inside a
 * transaction, or anything with the same `query`. Passing a client keeps every
 * statement of one commit in its transaction.
 */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

/** BEGIN, `body` and COMMIT on one client; when any of them throws, ROLLBACK (its own failure ignored) and the error again. */
export async function inTransaction<C extends Queryable, T>(client: C, body: (client: C) => Promise<T>): Promise<T> {
  try {
    await client.query('BEGIN');
    const result = await body(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
