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
    const page = [options.beforeSeq ?? null, options.beforeSeq ?? null, options.limit ?? 100];
    // Two statements, not `(? IS NULL OR entity_id = ?)`: each walks its own index ((tenant, entity_id, seq) or (tenant, seq)) backwards.
    const rows =
      options.entityId === undefined
        ? this.statements
            .get('SELECT * FROM audit WHERE tenant = ? AND (? IS NULL OR seq < ?) ORDER BY seq DESC LIMIT ?')
            .all(this.tenant, ...page)
        : this.statements
            .get('SELECT * FROM audit WHERE tenant = ? AND entity_id = ? AND (? IS NULL OR seq < ?) ORDER BY seq DESC LIMIT ?')
            .all(this.tenant, options.entityId, ...page);
    return (rows as AuditRow[]).map(toAudit);
  }
}
