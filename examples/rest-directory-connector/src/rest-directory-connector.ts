import { defineConnector, type ConnectorContext, type HealthReport, type OutboundConnector, type RemoteRef, type UserDeletion, type UserLookup, type UserPayload, type UserUpdate } from '@provisio/core';
import { RestDirectoryClient } from './rest-directory-client.js';
import { restDirectoryConfigSchema, type RestDirectoryConfig } from './rest-directory-config.js';

/** Users only; the account name (the provisioning pattern's, else userName) is the directory's username. */
class RestDirectoryConnector implements OutboundConnector {
  private readonly client: RestDirectoryClient;

  constructor(
    private readonly config: RestDirectoryConfig,
    ctx: ConnectorContext,
  ) {
    this.client = new RestDirectoryClient(config, ctx);
  }

  async createUser(payload: UserPayload): Promise<RemoteRef> {
    const created = await this.client.createUser({ username: payload.accountName ?? payload.user.userName, ...payload.attributes });
    return { remoteId: created.id, remoteName: created.username };
  }

  async updateUser(update: UserUpdate): Promise<void> {
    await this.client.updateUser(update.remoteId, update.changed);
  }

  async deleteUser(deletion: UserDeletion): Promise<void> {
    await this.client.deleteUser(deletion.remoteId);
  }

  async findUser(lookup: UserLookup): Promise<RemoteRef | null> {
    if (!lookup.accountName) return null;
    const found = await this.client.findByUsername(lookup.accountName);
    return found ? { remoteId: found.id, remoteName: found.username } : null;
  }

  async check(): Promise<HealthReport> {
    try {
      await this.client.ping();
      return { ok: true, message: `reached ${this.config.baseUrl}` };
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

export const restDirectoryConnector = defineConnector({
  type: 'rest-directory',
  displayName: 'REST user directory (example third-party connector)',
  configSchema: restDirectoryConfigSchema,
  secretFields: ['apiToken'],
  capabilities: { users: true, groups: false },
  create: (config, ctx) => new RestDirectoryConnector(config, ctx),
});
