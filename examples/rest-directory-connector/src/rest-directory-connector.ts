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
import { RestDirectoryClient, type RestDirectoryUser } from './rest-directory-client.js';
import { restDirectoryConfigSchema, restDirectorySecretFields, type RestDirectoryConfig } from './rest-directory-config.js';

/** Users only; the account name (the provisioning pattern's, else userName) is Rest Directory's userName. */
export class RestDirectoryConnector implements OutboundConnector {
  private readonly client: RestDirectoryClient;

  constructor(
    private readonly config: RestDirectoryConfig,
    ctx: ConnectorContext,
  ) {
    this.client = new RestDirectoryClient(config, ctx);
  }

  async createUser(payload: UserPayload): Promise<RemoteRef> {
    const created = await this.client.createUser({ ...payload.attributes, userName: payload.accountName ?? payload.user.userName });
    return { remoteId: created.id, remoteName: created.userName };
  }

  async updateUser(update: UserUpdate): Promise<void> {
    await this.client.updateUser(update.remoteId, update.reactivate ? { ...update.changed, active: true } : update.changed);
  }

  async deleteUser(deletion: UserDeletion): Promise<void> {
    if (deletion.mode === 'deactivate')
      throw new PermanentError('Rest Directory cannot deactivate an account, only delete it (reconcile.orphans: delete)');
    await this.client.deleteUser(deletion.remoteId);
  }

  async findUser(lookup: UserLookup): Promise<RemoteRef | null> {
    const userName = lookup.accountName ?? (typeof lookup.attributes['userName'] === 'string' ? lookup.attributes['userName'] : undefined);
    if (!userName) return null;
    const found = await this.client.findByUserName(userName);
    return found ? { remoteId: found.id, remoteName: found.userName } : null;
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
    throw new PermanentError('listing Rest Directory users did not end after 100,000 pages');
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

/** A user of Rest Directory as the read side answers it: the stored fields are the mapped ones. */
function remoteUserOf(user: RestDirectoryUser, request: ReadRequest | undefined): RemoteUser {
  const { id, active, ...fields } = user;
  const attributes = request?.attributes
    ? Object.fromEntries(request.attributes.filter((f) => fields[f] !== undefined).map((f) => [f, fields[f]]))
    : fields;
  return { remoteId: id, remoteName: user.userName, active, attributes };
}

export const restDirectoryConnector = defineConnector({
  type: 'rest-directory',
  displayName: 'Rest Directory',
  configSchema: restDirectoryConfigSchema,
  secretFields: restDirectorySecretFields,
  capabilities: { users: true, groups: false, read: { groups: false } },
  create: (config, ctx) => new RestDirectoryConnector(config, ctx),
});
