import { createRequire } from 'node:module';
import pg from 'pg';
import { statementName } from './statement-names.js';

/** A statement sent ahead of another in the same round trip; its results are not the caller's. */
export interface Prelude {
  text: string;
  values: unknown[];
}

/** The parts of pg's Query and Connection this relies on, which pg's type declarations leave out. */
interface QueryMessages {
  submit(connection: WireConnection): Error | null;
  handleRowDescription(message: unknown): void;
  handleDataRow(message: unknown): void;
  handleCommandComplete(message: unknown, connection: unknown): void;
}

interface WireConnection {
  parse(message: { text: string; name?: string }): void;
  /** pg's record of the named statements parsed, and sent to be parsed, on this connection. */
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
  bind(message: { values: unknown[] }): void;
  execute(message: object): void;
  stream: { cork?(): void; uncork?(): void };
}

const query = pg.Query.prototype as unknown as QueryMessages;

/** pg's conversion of a parameter to its wire text (arrays, dates, JSON), which Query uses and pg's index does not export. */
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue(value: unknown): unknown };

/**
 * A statement whose round trip first runs `prelude` (e.g. `BEGIN`, or setting the tenant), in the extended
 * protocol before the statement's one Sync: the server runs them all in one go, as one implicit transaction
 * unless the prelude begins an explicit one, so a transaction-local setting of the prelude holds exactly for
 * the statement. The prelude's rows and command tags are dropped; an error of either fails the statement.
 */
class PreludedQuery extends pg.Query {
  private preludeLeft: number;

  constructor(
    private readonly prelude: readonly Prelude[],
    text: string,
    values: unknown[] | undefined,
    callback: (error: Error | undefined, result: pg.QueryResult) => void,
  ) {
    // Extended protocol even without parameters: a simple query cannot share the prelude's Sync. Named (see
    // statementName): pg parses it on a connection once; the prelude's own statements stay unnamed.
    super({ name: statementName(text), text, values, queryMode: 'extended' } as pg.QueryConfig, callback as never);
    this.preludeLeft = prelude.length;
  }

  override submit = (connection: pg.Connection): Error | null => {
    // What pg checks before it writes anything: the prelude must not go out when the statement cannot follow.
    const { values } = this as unknown as { values?: unknown };
    if (values !== undefined && !Array.isArray(values)) return new Error('Query values must be an array');
    const wire = connection as unknown as WireConnection;
    // Converted before anything is written, as pg does for a query's own values: one that cannot be sent fails here.
    let preludeValues: unknown[][];
    try {
      preludeValues = this.prelude.map((statement) => statement.values.map((value) => prepareValue(value)));
    } catch (error) {
      return error as Error;
    }
    wire.stream.cork?.();
    try {
      // A named statement new to the connection is parsed first: pg credits the first ParseComplete of the round
      // trip to it, which would be the prelude's (and a failing prelude would leave it unparsed, yet believed parsed).
      const { name, text } = this as unknown as { name?: string; text: string };
      if (name !== undefined && wire.parsedStatements[name] === undefined && wire.submittedNamedStatements[name] === undefined) {
        wire.parse({ text, name });
        wire.submittedNamedStatements[name] = text;
      }
      for (const [i, statement] of this.prelude.entries()) {
        wire.parse({ text: statement.text });
        wire.bind({ values: preludeValues[i] });
        wire.execute({});
      }
      return query.submit.call(this, wire);
    } finally {
      wire.stream.uncork?.();
    }
  };

  handleRowDescription(message: unknown): void {
    if (this.preludeLeft === 0) query.handleRowDescription.call(this, message);
  }

  handleDataRow(message: unknown): void {
    if (this.preludeLeft === 0) query.handleDataRow.call(this, message);
  }

  handleCommandComplete(message: unknown, connection: unknown): void {
    if (this.preludeLeft > 0) this.preludeLeft -= 1;
    else query.handleCommandComplete.call(this, message, connection);
  }
}

/** Runs `text` on `client` in one round trip after `prelude`. */
export function queryAfter<R extends object>(
  client: pg.ClientBase,
  prelude: readonly Prelude[],
  text: string,
  values?: unknown[],
): Promise<pg.QueryResult<R>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    // pg may call back twice for a statement it could not bind (once with the error, once at ReadyForQuery).
    const done = (error: Error | undefined, result: pg.QueryResult) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(result as pg.QueryResult<R>);
    };
    client.query(new PreludedQuery(prelude, text, values, done));
  });
}
