import type { ConnectorContext, HttpClient } from '@provisio/core';
import type { RestDirectoryConfig } from './rest-directory-config.js';
import { restDirectoryStatusKind } from './rest-directory-errors.js';

export interface RestDirectoryUser {
  id: string;
  userName: string;
  active: boolean;
  [field: string]: unknown;
}

/**
 * The Rest Directory API: /users, over core's HTTP client (ctx.http), which adds the token,
 * times out, classifies failures (Retry-After included) and scrubs the token from every message.
 */
export class RestDirectoryClient {
  private readonly http: HttpClient;

  constructor(config: RestDirectoryConfig, ctx: ConnectorContext) {
    this.http = ctx.http.client({
      baseUrl: config.baseUrl,
      timeoutMs: config.timeoutMs,
      auth: { headers: () => ({ authorization: `Bearer ${config.apiToken}` }) },
      authHint: 'check apiToken',
      secrets: [config.apiToken],
      classify: restDirectoryStatusKind,
      clock: ctx.clock,
    });
  }

  async createUser(fields: Record<string, unknown>): Promise<RestDirectoryUser> {
    return (await this.http.request({ method: 'POST', url: '/users', json: fields, action: 'create user' })).body as RestDirectoryUser;
  }

  async updateUser(id: string, fields: Record<string, unknown>): Promise<void> {
    await this.http.request({ method: 'PATCH', url: `/users/${encodeURIComponent(id)}`, json: fields, action: 'update user' });
  }

  async deleteUser(id: string): Promise<void> {
    await this.http.request({ method: 'DELETE', url: `/users/${encodeURIComponent(id)}`, action: 'delete user', accept: [404] });
  }

  /** One page of users after the cursor (keyset paging: a deletion between pages skips nobody). */
  async listPage(limit: number, after?: string): Promise<{ users: RestDirectoryUser[]; total?: number; nextCursor?: string }> {
    const cursor = after === undefined ? '' : `&after=${encodeURIComponent(after)}`;
    return (await this.http.request({ method: 'GET', url: `/users?limit=${limit}${cursor}`, action: 'list users' })).body as {
      users: RestDirectoryUser[];
      total?: number;
      nextCursor?: string;
    };
  }

  async getUser(id: string): Promise<RestDirectoryUser | undefined> {
    const response = await this.http.request({
      method: 'GET',
      url: `/users/${encodeURIComponent(id)}`,
      action: 'read user',
      accept: [404],
    });
    return response.status === 404 ? undefined : (response.body as RestDirectoryUser);
  }

  async findByUserName(userName: string): Promise<RestDirectoryUser | undefined> {
    const found = (await this.http.request({ method: 'GET', url: `/users?userName=${encodeURIComponent(userName)}`, action: 'find user' }))
      .body as RestDirectoryUser[];
    return found[0];
  }

  async ping(): Promise<void> {
    await this.http.request({ method: 'GET', url: '/users?limit=1', action: 'check' });
  }

  close(): void {
    this.http.close();
  }
}
