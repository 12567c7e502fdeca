import {
  PermanentError,
  fetchPage,
  defineConnector,
  type ConnectorContext,
  type HealthReport,
  type OutboundConnector,
  type ReadRequest,
  type RemotePage,
  type RemoteRef,
  type RemoteUser,
  type UserDeletion,
  type UserLookup,
  type UserPayload,
  type UserUpdate,
} from '@provisio/core';
import { RestDirectoryClient, type DirectoryUser } from './rest-directory-client.js';
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
    if (deletion.mode === 'deactivate')
      throw new PermanentError('the REST directory cannot deactivate an account, only delete it (reconcile.orphans: delete)');
    await this.client.deleteUser(deletion.remoteId);
  }

  async findUser(lookup: UserLookup): Promise<RemoteRef | null> {
    if (!lookup.accountName) return null;
    const found = await this.client.findByUsername(lookup.accountName);
    return found ? { remoteId: found.id, remoteName: found.username } : null;
  }

  /** The read side: every user, one page in memory at a time, in the fields the mapping writes. */
  async *listUsers(request?: ReadRequest): AsyncIterable<RemotePage<RemoteUser>> {
    let after: string | undefined;
    // Bounded: a cursor that never ends is the API's fault, not a reason to loop forever.
    for (let page = 0; page < 100_000; page++) {
      // A busy answer (503, 429) on one page is fetched again, not the end of the listing.
      const { users, total, nextCursor } = await fetchPage(() => this.client.listPage(this.config.pageSize, after));
      if (users.length > 0)
        yield { items: users.map((u) => remoteUserOf(u, request)), ...(total === undefined ? {} : { totalHint: total }) };
      if (!nextCursor) return;
      after = nextCursor;
    }
    throw new PermanentError('listing the directory did not end after 100,000 pages');
  }

  async getUser(remoteId: string, request?: ReadRequest): Promise<RemoteUser | null> {
    const user = await this.client.getUser(remoteId);
    return user ? remoteUserOf(user, request) : null;
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

/** A directory user as the read side answers it: the stored fields are the mapped ones. */
function remoteUserOf(user: DirectoryUser, request: ReadRequest | undefined): RemoteUser {
  const { id, username, active, ...fields } = user;
  const attributes = request?.attributes
    ? Object.fromEntries(request.attributes.filter((f) => fields[f] !== undefined).map((f) => [f, fields[f]]))
    : fields;
  return { remoteId: id, remoteName: username, active: active !== false, attributes };
}

export const restDirectoryConnector = defineConnector({
  type: 'rest-directory',
  displayName: 'REST user directory (example third-party connector)',
  configSchema: restDirectoryConfigSchema,
  secretFields: ['apiToken'],
  capabilities: { users: true, groups: false, read: { groups: false } },
  create: (config, ctx) => new RestDirectoryConnector(config, ctx),
});
