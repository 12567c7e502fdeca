// src/ of a generated connector: config schema, errors, client, connector, plugin entry.
import type { ConnectorNames } from '../connector-names.ts';

export function configSource(n: ConnectorNames): string {
  return `import { z } from '@provisio/core';

export const ${n.camel}ConfigSchema = z.strictObject({
  baseUrl: z.url().describe('Base URL of the ${n.pascal} API, e.g. https://${n.type}.example.com/api'),
  apiToken: z.string().min(1).describe('Bearer token for the ${n.pascal} API. Secret: prefer \${env:NAME}.'),
  timeoutMs: z.number().int().min(100).default(10000).describe('Timeout of one HTTP call.'),
});

/** Fields masked wherever a configuration is shown and scrubbed from every log line. */
export const ${n.camel}SecretFields = ['apiToken'];

export type ${n.pascal}Config = z.output<typeof ${n.camel}ConfigSchema>;
`;
}

export function errorsSource(n: ConnectorNames): string {
  return `import { ConflictError, PermanentError, TransientError } from '@provisio/core';

/** HTTP status of ${n.pascal} → how Provisio treats it: retried, failed at once, or linked. */
export async function errorFromResponse(response: Response, action: string): Promise<Error> {
  const detail = (await response.text()).slice(0, 300);
  const message = \`\${action}: HTTP \${response.status} \${detail}\`;
  if (response.status === 409) return new ConflictError(message, { remoteCode: 409 });
  if (response.status === 429 || response.status >= 500) {
    const retryAfter = Number(response.headers.get('retry-after'));
    return new TransientError(message, { remoteCode: response.status, retryAfterMs: retryAfter > 0 ? retryAfter * 1000 : undefined });
  }
  return new PermanentError(message, { remoteCode: response.status });
}
`;
}

export function clientSource(n: ConnectorNames): string {
  return `import { TransientError } from '@provisio/core';
import type { ${n.pascal}Config } from './${n.type}-config.js';
import { errorFromResponse } from './${n.type}-errors.js';

export interface ${n.pascal}User {
  id: string;
  userName: string;
  active: boolean;
  [field: string]: unknown;
}

/** The ${n.pascal} REST API: /users. Never puts the token in an error. */
export class ${n.pascal}Client {
  constructor(private readonly config: ${n.pascal}Config) {}

  createUser(fields: Record<string, unknown>): Promise<${n.pascal}User> {
    return this.call('POST', '/users', fields, 'create user') as Promise<${n.pascal}User>;
  }

  async updateUser(id: string, fields: Record<string, unknown>): Promise<void> {
    await this.call('PATCH', \`/users/\${encodeURIComponent(id)}\`, fields, 'update user');
  }

  async deleteUser(id: string): Promise<void> {
    await this.call('DELETE', \`/users/\${encodeURIComponent(id)}\`, undefined, 'delete user', [404]);
  }

  async findByUserName(userName: string): Promise<${n.pascal}User | undefined> {
    const found = (await this.call('GET', \`/users?userName=\${encodeURIComponent(userName)}\`, undefined, 'find user')) as ${n.pascal}User[];
    return found[0];
  }

  async ping(): Promise<void> {
    await this.call('GET', '/users?limit=1', undefined, 'check');
  }

  private async call(method: string, path: string, body: unknown, action: string, okStatuses: number[] = []): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(\`\${this.config.baseUrl.replace(/\\/$/, '')}\${path}\`, {
        method,
        headers: { authorization: \`Bearer \${this.config.apiToken}\`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (error) {
      throw new TransientError(\`\${action}: \${(error as Error).message}\`);
    }
    if (okStatuses.includes(response.status)) return undefined;
    if (!response.ok) throw await errorFromResponse(response, action);
    return response.status === 204 ? undefined : response.json();
  }
}
`;
}

export function connectorSource(n: ConnectorNames): string {
  return `import { defineConnector, type HealthReport, type OutboundConnector, type RemoteRef, type UserDeletion, type UserLookup, type UserPayload, type UserUpdate } from '@provisio/core';
import { ${n.pascal}Client } from './${n.type}-client.js';
import { ${n.camel}ConfigSchema, ${n.camel}SecretFields, type ${n.pascal}Config } from './${n.type}-config.js';

/** Users only; the account name (the provisioning pattern's, else userName) is ${n.pascal}'s userName. */
export class ${n.pascal}Connector implements OutboundConnector {
  private readonly client: ${n.pascal}Client;

  constructor(private readonly config: ${n.pascal}Config) {
    this.client = new ${n.pascal}Client(config);
  }

  async createUser(payload: UserPayload): Promise<RemoteRef> {
    const created = await this.client.createUser({ ...payload.attributes, userName: payload.accountName ?? payload.user.userName });
    return { remoteId: created.id, remoteName: created.userName };
  }

  async updateUser(update: UserUpdate): Promise<void> {
    await this.client.updateUser(update.remoteId, update.reactivate ? { ...update.changed, active: true } : update.changed);
  }

  async deleteUser(deletion: UserDeletion): Promise<void> {
    await this.client.deleteUser(deletion.remoteId);
  }

  async findUser(lookup: UserLookup): Promise<RemoteRef | null> {
    const userName = lookup.accountName ?? (typeof lookup.attributes['userName'] === 'string' ? lookup.attributes['userName'] : undefined);
    if (!userName) return null;
    const found = await this.client.findByUserName(userName);
    return found ? { remoteId: found.id, remoteName: found.userName } : null;
  }

  async check(): Promise<HealthReport> {
    try {
      await this.client.ping();
      return { ok: true, message: \`reached \${this.config.baseUrl}\` };
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  }

  async close(): Promise<void> {}
}

export const ${n.camel}Connector = defineConnector({
  type: '${n.type}',
  displayName: '${n.pascal}',
  configSchema: ${n.camel}ConfigSchema,
  secretFields: ${n.camel}SecretFields,
  capabilities: { users: true, groups: false },
  create: (config) => new ${n.pascal}Connector(config),
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
