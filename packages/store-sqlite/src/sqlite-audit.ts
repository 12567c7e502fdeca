import type { AuditEntry, AuditRecord } from '@provisio/core/engine';
import { toAudit, type AuditRow } from './rows.js';
import type { StatementCache } from './sqlite-statements.js';

/** The audit part of the Store port: one tenant's append-only log, read newest first. */
export class SqliteAudit {
  constructor(
    private readonly statements: StatementCache,
    private readonly tenant: string,
  ) {}

  /** Inside the caller's transaction (an identity write records its audit with it). */
  append(entry: AuditEntry): void {
    this.statements
      .get('INSERT INTO audit (tenant, at, actor, action, entity_type, entity_id, details) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(
        this.tenant,
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
    const limit = options.limit ?? 100;
    // Two statements, not `(? IS NULL OR entity_id = ?)`: an entity's entries come from (tenant, entity_id, seq) backwards;
    // the tenant's from the table itself, a rowid range read newest first that stops at the page's end (no (tenant) index: migration 13).
    const rows =
      options.entityId === undefined
        ? this.statements
            .get('SELECT * FROM audit NOT INDEXED WHERE tenant = ? AND seq < ? ORDER BY seq DESC LIMIT ?')
            .all(this.tenant, options.beforeSeq ?? Number.MAX_SAFE_INTEGER, limit)
        : this.statements
            .get('SELECT * FROM audit WHERE tenant = ? AND entity_id = ? AND (? IS NULL OR seq < ?) ORDER BY seq DESC LIMIT ?')
            .all(this.tenant, options.entityId, options.beforeSeq ?? null, options.beforeSeq ?? null, limit);
    return (rows as AuditRow[]).map(toAudit);
  }
}
