import type { AuditEntry, AuditRecord } from '@provisio/core/engine';
import { toAudit, type AuditRow } from './rows.js';
import type { StatementCache } from './sqlite-statements.js';

/** The audit part of the Store port: an append-only log, read newest first. */
export class SqliteAudit {
  constructor(private readonly statements: StatementCache) {}

  /** Inside the caller's transaction (an identity write records its audit with it). */
  append(entry: AuditEntry): void {
    this.statements
      .get('INSERT INTO audit (at, actor, action, entity_type, entity_id, details) VALUES (?, ?, ?, ?, ?, ?)')
      .run(
        entry.at,
        entry.actor,
        entry.action,
        entry.entityType,
        entry.entityId,
        entry.details === undefined ? null : JSON.stringify(entry.details),
      );
  }

  /** Newest first; `beforeSeq` pages back. */
  async list(options: { entityId?: string; limit?: number; beforeSeq?: number }): Promise<AuditRecord[]> {
    const rows = this.statements
      .get('SELECT * FROM audit WHERE (? IS NULL OR entity_id = ?) AND (? IS NULL OR seq < ?) ORDER BY seq DESC LIMIT ?')
      .all(
        options.entityId ?? null,
        options.entityId ?? null,
        options.beforeSeq ?? null,
        options.beforeSeq ?? null,
        options.limit ?? 100,
      ) as AuditRow[];
    return rows.map(toAudit);
  }
}
