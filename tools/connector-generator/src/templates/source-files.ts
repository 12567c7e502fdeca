// src/ of a generated connector: config schema, errors, client, connector, plugin entry.
import type { ConnectorNames } from '../connector-names.ts';

export function configSource(n: ConnectorNames): string {
  return `import { z } from '@provisio/core';

export const ${n.camel}ConfigSchema = z.strictObject({
  baseUrl: z.url().describe('Base URL of the ${n.pascal} API, e.g. https://${n.type}.example.com/api'),
  apiToken: z.string().min(1).describe('Bearer token for the ${n.pascal} API. Secret: prefer \${env:NAME}.'),
  timeoutMs: z.number().int().min(100).default(10000).describe('Timeout of one HTTP call.'),
  pageSize: z.number().int().min(1).max(1000).default(100).describe('Users per page when reading ${n.pascal} (GET /users?limit=).'),
});

/** Fields masked wherever a configuration is shown and scrubbed from every log line. */
export const ${n.camel}SecretFields = ['apiToken'];

export type ${n.pascal}Config = z.output<typeof ${n.camel}ConfigSchema>;
`;
}

export function errorsSource(n: ConnectorNames): string {
  return `import type { HttpStatusClassifier } from '@provisio/core';

/**
 * Where ${n.pascal}'s statuses mean something else than core's usual reading (408, 429 and 5xx
 * retried, honouring Retry-After; 409 a conflict, so the existing account is linked; other 4xx
 * failed at once). Undefined keeps core's reading. Network failures are always retried.
 */
export const ${n.camel}StatusKind: HttpStatusClassifier = (response) => {
  // 423 Locked: another change of the same record is in progress; it is free again soon.
  if (response.status === 423) return 'transient';
  return undefined;
};
`;
}

export function clientSource(n: ConnectorNames): string {
  return `import type { ConnectorContext, HttpClient } from '@provisio/core';
import type { ${n.pascal}Config } from './${n.type}-config.js';
import { ${n.camel}StatusKind } from './${n.type}-errors.js';

export interface ${n.pascal}User {
  id: string;
  userName: string;
  active: boolean;
  [field: string]: unknown;
}

/**
 * The ${n.pascal} REST API: /users, over core's HTTP client (ctx.http), which adds the token,
 * times out, classifies failures (Retry-After included) and scrubs the token from every message.
 */
export class ${n.pascal}Client {
  private readonly http: HttpClient;

  constructor(config: ${n.pascal}Config, ctx: ConnectorContext) {
    this.http = ctx.http.client({
      baseUrl: config.baseUrl,
      timeoutMs: config.timeoutMs,
      auth: { headers: () => ({ authorization: \`Bearer \${config.apiToken}\` }) },
      authHint: 'check apiToken',
      secrets: [config.apiToken],
      classify: ${n.camel}StatusKind,
      clock: ctx.clock,
    });
  }

  async createUser(fields: Record<string, unknown>): Promise<${n.pascal}User> {
    return (await this.http.request({ method: 'POST', url: '/users', json: fields, action: 'create user' })).body as ${n.pascal}User;
  }

  async updateUser(id: string, fields: Record<string, unknown>): Promise<void> {
    await this.http.request({ method: 'PATCH', url: \`/users/\${encodeURIComponent(id)}\`, json: fields, action: 'update user' });
  }

  async deleteUser(id: string): Promise<void> {
    await this.http.request({ method: 'DELETE', url: \`/users/\${encodeURIComponent(id)}\`, action: 'delete user', accept: [404] });
  }

  /** One page of users after the cursor (keyset paging: a deletion between pages skips nobody). */
  async listPage(limit: number, after?: string): Promise<{ users: ${n.pascal}User[]; total?: number; nextCursor?: string }> {
    const cursor = after === undefined ? '' : \`&after=\${encodeURIComponent(after)}\`;
    return (await this.http.request({ method: 'GET', url: \`/users?limit=\${limit}\${cursor}\`, action: 'list users' })).body as { users: ${n.pascal}User[]; total?: number; nextCursor?: string };
  }

  async getUser(id: string): Promise<${n.pascal}User | undefined> {
    const response = await this.http.request({ method: 'GET', url: \`/users/\${encodeURIComponent(id)}\`, action: 'read user', accept: [404] });
    return response.status === 404 ? undefined : (response.body as ${n.pascal}User);
  }

  async findByUserName(userName: string): Promise<${n.pascal}User | undefined> {
    const found = (await this.http.request({ method: 'GET', url: \`/users?userName=\${encodeURIComponent(userName)}\`, action: 'find user' })).body as ${n.pascal}User[];
    return found[0];
  }

  async ping(): Promise<void> {
    await this.http.request({ method: 'GET', url: '/users?limit=1', action: 'check' });
  }

  close(): void {
    this.http.close();
  }
}
`;
}

export function connectorSource(n: ConnectorNames): string {
  return `import {
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
import { ${n.pascal}Client, type ${n.pascal}User } from './${n.type}-client.js';
import { ${n.camel}ConfigSchema, ${n.camel}SecretFields, type ${n.pascal}Config } from './${n.type}-config.js';

/** Users only; the account name (the provisioning pattern's, else userName) is ${n.pascal}'s userName. */
export class ${n.pascal}Connector implements OutboundConnector {
  private readonly client: ${n.pascal}Client;

  constructor(
    private readonly config: ${n.pascal}Config,
    ctx: ConnectorContext,
  ) {
    this.client = new ${n.pascal}Client(config, ctx);
  }

  async createUser(payload: UserPayload): Promise<RemoteRef> {
    const created = await this.client.createUser({ ...payload.attributes, userName: payload.accountName ?? payload.user.userName });
    return { remoteId: created.id, remoteName: created.userName };
  }

  async updateUser(update: UserUpdate): Promise<void> {
    await this.client.updateUser(update.remoteId, update.reactivate ? { ...update.changed, active: true } : update.changed);
  }

  async deleteUser(deletion: UserDeletion): Promise<void> {
    if (deletion.mode === 'deactivate') throw new PermanentError('${n.pascal} cannot deactivate an account, only delete it (reconcile.orphans: delete)');
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
      if (users.length > 0) yield { items: users.map((u) => remoteUserOf(u, request)), ...(total === undefined ? {} : { totalHint: total }) };
      if (!nextCursor) return;
      after = nextCursor;
    }
    throw new PermanentError('listing ${n.pascal} users did not end after 100,000 pages');
  }

  async getUser(remoteId: string, request?: ReadRequest): Promise<RemoteUser | null> {
    const user = await this.client.getUser(remoteId);
    return user ? remoteUserOf(user, request) : null;
  }

  async check(): Promise<HealthReport> {
    try {
      await this.client.ping();
      return { ok: true, message: \`reached \${this.config.baseUrl}\` };
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

/** A ${n.pascal} user as the read side answers it: the stored fields are the mapped ones. */
function remoteUserOf(user: ${n.pascal}User, request: ReadRequest | undefined): RemoteUser {
  const { id, active, ...fields } = user;
  const attributes = request?.attributes ? Object.fromEntries(request.attributes.filter((f) => fields[f] !== undefined).map((f) => [f, fields[f]])) : fields;
  return { remoteId: id, remoteName: user.userName, active, attributes };
}

export const ${n.camel}Connector = defineConnector({
  type: '${n.type}',
  displayName: '${n.pascal}',
  configSchema: ${n.camel}ConfigSchema,
  secretFields: ${n.camel}SecretFields,
  capabilities: { users: true, groups: false, read: { groups: false } },
  create: (config, ctx) => new ${n.pascal}Connector(config, ctx),
});
`;
}

export function indexSource(n: ConnectorNames): string {
  return `import { definePlugin } from '@provisio/core';
import { ${n.camel}Connector } from './${n.type}-connector.js';

export { ${n.camel}Connector, ${n.pascal}Connector } from './${n.type}-connector.js';
export { ${n.camel}ConfigSchema, type ${n.pascal}Config } from './${n.type}-config.js';

export default definePlugin({ name: '${n.packageName}', connectors: [${n.camel}Connector] });
`;
}
