/**
 * What the SQL modules need of a connection: a `pg` Pool, a PoolClient inside a
 * transaction, or anything with the same `query`. Passing a client keeps every
 * statement of one commit in its transaction.
 */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}
