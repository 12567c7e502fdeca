import type { EntityType } from '@provisio/core';
import type { LinkRecord } from '@provisio/core/engine';
import { linkParams, toLink, type LinkRow } from './rows.js';
import type { StatementCache } from './sqlite-statements.js';

/** The link part of the Store port: one tenant's (instance, entity type, local id) to the remote object. */
export class SqliteLinks {
  constructor(
    private readonly statements: StatementCache,
    private readonly tenant: string,
  ) {}

  async get(instanceId: string, entityType: EntityType, localId: string): Promise<LinkRecord | undefined> {
    const row = this.statements
      .get('SELECT * FROM links WHERE tenant = ? AND instance_id = ? AND entity_type = ? AND local_id = ?')
      .get(this.tenant, instanceId, entityType, localId) as LinkRow | undefined;
    return row && toLink(row);
  }

  async of(entityType: EntityType, localId: string): Promise<LinkRecord[]> {
    return (
      this.statements
        .get('SELECT * FROM links WHERE tenant = ? AND entity_type = ? AND local_id = ? ORDER BY instance_id')
        .all(this.tenant, entityType, localId) as LinkRow[]
    ).map(toLink);
  }

  async for(instanceId: string, entityType: EntityType, localIds: readonly string[]): Promise<LinkRecord[]> {
    if (localIds.length === 0) return [];
    const rows = this.statements
      .get('SELECT * FROM links WHERE tenant = ? AND instance_id = ? AND entity_type = ? AND local_id IN (SELECT value FROM json_each(?))')
      .all(this.tenant, instanceId, entityType, JSON.stringify(localIds)) as LinkRow[];
    return rows.map(toLink);
  }

  /** Inside the caller's transaction (a job's outcome writes its link with it). */
  put(link: LinkRecord): void {
    this.statements
      .get(
        `INSERT INTO links (tenant, instance_id, entity_type, local_id, remote_id, remote_name, status, last_error, last_synced_at, synced_attributes, synced_members, remote_active)
       VALUES (@tenant, @instance_id, @entity_type, @local_id, @remote_id, @remote_name, @status, @last_error, @last_synced_at, @synced_attributes, @synced_members, @remote_active)
       ON CONFLICT(tenant, instance_id, entity_type, local_id) DO UPDATE SET remote_id = excluded.remote_id, remote_name = excluded.remote_name, status = excluded.status,
         last_error = excluded.last_error, last_synced_at = excluded.last_synced_at, synced_attributes = excluded.synced_attributes,
         synced_members = excluded.synced_members, remote_active = excluded.remote_active`,
      )
      .run({ tenant: this.tenant, ...linkParams(link) });
  }
}
