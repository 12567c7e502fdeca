/**
 * What the SQL modules need of a connection: a `pg` Pool, a PoolClient inside a
 * transaction, or anything with the same `query`. Passing a client keeps every
 * statement of one commit in its transaction.
 */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null; command?: string }>;
  /**
   * A transaction's statement whose result nobody reads: it goes out in the round trip of the transaction's
   * next statement (or its COMMIT), and its error fails that one. Only where a transaction carries it (see
   * tenant-session.ts); use `runUnread`, which runs the statement at once elsewhere.
   */
  defer?(text: string, values?: unknown[]): void;
}

/** Runs a statement whose result nobody reads: deferred to the next round trip where `db` can carry it, at once elsewhere. */
export async function runUnread(db: Queryable, text: string, values?: unknown[]): Promise<void> {
  if (db.defer) db.defer(text, values);
  else await db.query(text, values);
}

/**
 * COMMIT answered ROLLBACK: a statement of the transaction had failed and someone caught its error
 * (pg-boss swallows some of its own), so PostgreSQL kept nothing of it. Never report such a body's
 * result as saved.
 */
export class TransactionRolledBackError extends Error {
  override readonly name = 'TransactionRolledBackError';
}

/**
 * BEGIN, `body` and COMMIT on one client; when any of them throws, ROLLBACK (its own failure ignored)
 * and the error again. A COMMIT that PostgreSQL turned into a rollback throws TransactionRolledBackError.
 */
export async function inTransaction<C extends Queryable, T>(client: C, body: (client: C) => Promise<T>): Promise<T> {
  try {
    await client.query('BEGIN');
    const result = await body(client);
    const commit = await client.query('COMMIT');
    if (commit.command === 'ROLLBACK')
      throw new TransactionRolledBackError('PostgreSQL rolled the transaction back at COMMIT: one of its statements had failed');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
