import type pg from 'pg';
import { queryAfter, type Prelude } from './preluded-query.js';
import { statementName } from './statement-names.js';
import { TransactionRolledBackError, type Queryable } from './queryable.js';
import { storageFailure } from './storage-failure.js';
import { TENANT_SETTING } from './tenant-scope.js';

/**
 * How the store's statements reach PostgreSQL. The pool's connections log in as the store's tenant role
 * (see tenant-schema.ts), which row-level security confines to the tenant of the current transaction.
 * The tenant is set transaction-locally in the same round trip as the first statement (no extra round
 * trip): a single statement runs after `set_config` in one implicit transaction, a transaction begins
 * and sets it ahead of its first statement. The setting ends with the transaction, so it never reaches
 * the next user of the connection, and a connection on which nothing set it sees no tenant's rows.
 */

const BEGIN: Prelude = { text: 'BEGIN', values: [] };
const forTenant = (tenant: string): Prelude => ({ text: `SELECT set_config('${TENANT_SETTING}', $1, true)`, values: [tenant] });
/** Back to the role the pool logged in with (the schema's owner): what every tenant's rows are readable by (never writable). */
const AS_OWNER: Prelude = { text: `SELECT set_config('role', 'none', true)`, values: [] };

/** Who a statement is for: a tenant, every tenant (read only, as the owner), or nobody (tables without tenants). */
export type Scope = { tenant: string } | 'all tenants' | 'no tenant';

const preludeOf = (scope: Scope): Prelude[] =>
  scope === 'no tenant' ? [] : scope === 'all tenants' ? [AS_OWNER] : [forTenant(scope.tenant)];

/** `text` as a named statement (see statementName), prepared once per connection. */
function named<R extends object>(client: pg.ClientBase, text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
  const name = statementName(text);
  return name === undefined ? client.query<R>(text, values) : client.query<R>({ name, text, values });
}

/** Errors that mean "run the transaction again": serialization failures and deadlocks. */
export const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(['40001', '40P01']);
const MAX_TRANSACTION_ATTEMPTS = 5;

/** Single statements for `scope`, each on a pooled connection of its own, in one round trip. */
export function scopedStatements(pool: pg.Pool, scope: Scope): Queryable {
  const prelude = preludeOf(scope);
  return {
    query: <R extends object>(text: string, values?: unknown[]) =>
      withClient(pool, (client) => (prelude.length === 0 ? named<R>(client, text, values) : queryAfter<R>(client, prelude, text, values))),
  };
}

/** Runs `body` in one transaction for `scope`, again when PostgreSQL asks for it (deadlock, serialization). */
export async function scopedTransaction<T>(
  pool: pg.Pool,
  scope: Scope,
  body: (client: Queryable) => Promise<T>,
  retryOn: ReadonlySet<string> = RETRYABLE_SQLSTATES,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await withClient(pool, (client) => inScopedTransaction(client, scope, body));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= MAX_TRANSACTION_ATTEMPTS || code === undefined || !retryOn.has(code)) throw error;
    }
  }
}

/**
 * BEGIN (and the tenant) go out with the body's first statement; COMMIT after the body, ROLLBACK when
 * anything throws. A body that runs no statement opens no transaction. Statements the body defers
 * (results nobody reads) go out in the round trip of its next statement, or of the COMMIT: a write
 * whose last statements are unread commits in the round trip that sends them.
 */
async function inScopedTransaction<T>(client: pg.PoolClient, scope: Scope, body: (client: Queryable) => Promise<T>): Promise<T> {
  let begun = false;
  let deferred: Prelude[] = [];
  /** `text` in one round trip after what has to go out before it: BEGIN and the scope (first statement), the deferred ones. */
  const send = <R extends object>(text: string, values?: unknown[]) => {
    const before = [...(begun ? [] : [BEGIN, ...preludeOf(scope)]), ...deferred];
    begun = true;
    deferred = [];
    return before.length === 0 ? named<R>(client, text, values) : queryAfter<R>(client, before, text, values);
  };
  const transaction: Queryable = {
    query: send,
    defer(text, values = []) {
      deferred.push({ text, values });
    },
  };
  try {
    const result = await body(transaction);
    if (begun || deferred.length > 0) {
      const commit = await send('COMMIT');
      // A failed statement whose error someone caught (pg-boss swallows some of its own): nothing was kept.
      if (commit.command === 'ROLLBACK')
        throw new TransactionRolledBackError('PostgreSQL rolled the transaction back at COMMIT: one of its statements had failed');
    }
    return result;
  } catch (error) {
    if (begun) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * A pooled connection for `use`. A connection lost while checked out fails the call (rather than crash the
 * process with an unhandled 'error') and is dropped, not handed to the next caller; unavailability is a
 * StoreUnavailableError.
 */
async function withClient<T>(pool: pg.Pool, use: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect().catch((error: unknown) => {
    throw storageFailure(error);
  });
  const onLost = () => undefined;
  client.on('error', onLost);
  let broken = false;
  try {
    return await use(client);
  } catch (error) {
    const mapped = storageFailure(error);
    broken = mapped !== error;
    throw mapped;
  } finally {
    client.off('error', onLost);
    client.release(broken);
  }
}
