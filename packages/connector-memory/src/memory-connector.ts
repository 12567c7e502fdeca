import { DelegatingConnector, defineConnector, type ConnectorContext, type HealthReport, type RemoteRequestPreview, type UserPreviewOperation } from '@provisio/core';
import { memoryConfigSchema, type MemoryConfig } from './memory-config.js';
import { MemoryDirectory } from './memory-directory.js';
import { MemoryGroups } from './memory-groups.js';
import { MemorySession } from './memory-session.js';
import { MemoryUsers } from './memory-users.js';

/** An in-memory target. Useful to see the pipeline work without any remote service. */
export class MemoryConnector extends DelegatingConnector {
  readonly directory: MemoryDirectory;
  protected readonly users: MemoryUsers;
  protected readonly groups: MemoryGroups;

  constructor(config: MemoryConfig, ctx: ConnectorContext) {
    super();
    this.directory = new MemoryDirectory(ctx.instanceId, config.journal);
    const session = new MemorySession(config, ctx.instanceId, ctx.clock);
    this.users = new MemoryUsers(this.directory, session, ctx.instanceId);
    this.groups = new MemoryGroups(this.directory, session);
  }

  async previewUser(operation: UserPreviewOperation): Promise<RemoteRequestPreview[]> {
    return this.users.preview(operation);
  }

  async check(): Promise<HealthReport> {
    return { ok: true, message: `memory target: ${this.directory.users.size} users, ${this.directory.groups.size} groups` };
  }

  async close(): Promise<void> {
    // Nothing to release: the journal is written synchronously per operation.
  }
}

export const memoryConnector = defineConnector({
  type: 'memory',
  displayName: 'In-memory target (tests and demos)',
  description: 'Keeps provisioned users and groups in memory; optionally journals every operation to a file.',
  configSchema: memoryConfigSchema,
  secretFields: ['apiKey'],
  capabilities: { users: true, groups: true, passwords: true },
  create: (config, ctx) => new MemoryConnector(config, ctx),
});
