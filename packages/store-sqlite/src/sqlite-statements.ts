import type { Database as Db, Statement } from 'better-sqlite3';

/** Most list-query statements kept prepared; the oldest is dropped beyond this. */
const QUERY_STATEMENTS = 256;

/**
 * Prepared statements by their SQL text. The store's own statements are few and
 * kept for good; those of list queries depend on the filter's shape, so they are
 * kept in a bounded set of their own.
 */
export class StatementCache {
  private readonly statements = new Map<string, Statement>();
  private readonly queryStatements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  get(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  forQuery(sql: string): Statement {
    let statement = this.queryStatements.get(sql);
    if (statement) return statement;
    statement = this.db.prepare(sql);
    if (this.queryStatements.size >= QUERY_STATEMENTS) this.queryStatements.delete(this.queryStatements.keys().next().value as string);
    this.queryStatements.set(sql, statement);
    return statement;
  }
}
