import { defineConnector, TransientError, type OutboundConnector, type RemoteRef, type UserDeletion, type UserLookup, type UserPayload, type UserUpdate } from '@provisio/core';
import { restDirectoryConfigSchema, type RestDirectoryConfig } from './rest-directory-config.js';
import { errorFromResponse } from './rest-directory-errors.js';

interface DirectoryUser {
  id: string;
  username: string;
}

/** Users only: POST/PATCH/DELETE /users, GET /users?username=. */
class RestDirectoryConnector implements OutboundConnector {
  constructor(private readonly config: RestDirectoryConfig) {}

  async createUser(payload: UserPayload): Promise<RemoteRef> {
    const body = { username: payload.accountName ?? payload.user.userName, ...payload.attributes };
    const created = (await this.call('POST', '/users', body, 'create user')) as DirectoryUser;
    return { remoteId: created.id, remoteName: created.username };
  }

  async updateUser(update: UserUpdate): Promise<void> {
    await this.call('PATCH', `/users/${encodeURIComponent(update.remoteId)}`, update.changed, 'update user');
  }

  async deleteUser(deletion: UserDeletion): Promise<void> {
    await this.call('DELETE', `/users/${encodeURIComponent(deletion.remoteId)}`, undefined, 'delete user', [404]);
  }

  async findUser(lookup: UserLookup): Promise<RemoteRef | null> {
    const username = lookup.accountName;
    if (!username) return null;
    const found = (await this.call('GET', `/users?username=${encodeURIComponent(username)}`, undefined, 'find user')) as DirectoryUser[];
    return found.length > 0 ? { remoteId: found[0].id, remoteName: found[0].username } : null;
  }

  async check() {
    try {
      await this.call('GET', '/users?limit=1', undefined, 'check');
      return { ok: true, message: `reached ${this.config.baseUrl}` };
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    // Nothing to release: every call uses the global fetch and no keep-alive state is held.
  }

  private async call(method: string, path: string, body: unknown, action: string, okStatuses: number[] = []): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.config.baseUrl.replace(/\/$/, '')}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.config.apiToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (error) {
      throw new TransientError(`${action}: ${(error as Error).message}`);
    }
    if (okStatuses.includes(response.status)) return undefined;
    if (!response.ok) throw await errorFromResponse(response, action);
    return response.status === 204 ? undefined : response.json();
  }
}

export const restDirectoryConnector = defineConnector({
  type: 'rest-directory',
  displayName: 'REST user directory (example third-party connector)',
  configSchema: restDirectoryConfigSchema,
  secretFields: ['apiToken'],
  capabilities: { users: true, groups: false },
  create: (config) => new RestDirectoryConnector(config),
});
