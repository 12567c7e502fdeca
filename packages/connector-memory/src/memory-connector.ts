import {
  DelegatingReadingConnector,
  defineConnector,
  type ConnectorContext,
  type HealthReport,
  type RemoteRequestPreview,
  type UserPreviewOperation,
} from '@provisio/core';
import { memoryConfigSchema, type MemoryConfig } from './memory-config.js';
import { MemoryDirectory } from './memory-directory.js';
import { MemoryGroups } from './memory-groups.js';
import { MemoryReader } from './memory-reader.js';
import { MemorySession } from './memory-session.js';
import { MemoryUsers } from './memory-users.js';

/** An in-memory target. Useful to see the pipeline work without any remote service. */
export class MemoryConnector extends DelegatingReadingConnector {
  readonly directory: MemoryDirectory;
  protected readonly users: MemoryUsers;
  protected readonly groups: MemoryGroups;
  protected readonly reader: MemoryReader;

  constructor(config: MemoryConfig, ctx: ConnectorContext) {
    super();
    this.directory = new MemoryDirectory(ctx.instanceId, config.journal);
    const session = new MemorySession(config, ctx.instanceId, ctx.clock);
    this.users = new MemoryUsers(this.directory, session, ctx.instanceId);
    this.groups = new MemoryGroups(this.directory, session);
    this.reader = new MemoryReader(this.directory, session, config.pageSize);
  }

  /** Every field an account holds is read back: the memory target keeps just what the mapping sent. */

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
  capabilities: { users: true, groups: true, passwords: true, read: { groups: true } },
  create: (config, ctx) => new MemoryConnector(config, ctx),
});
