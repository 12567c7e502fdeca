import { PermanentError, TransientError, type ConnectorContext } from '@provisio/core';
import type { ScimAuthConfig, ScimConfig } from './scim-config.js';
import type { ScimDialect } from './scim-dialect.js';
import { displayUrl } from './scim-endpoints.js';
import { errorForResponse, type ParsedResponse, type ScimOperation } from './scim-errors.js';
import { OAuthTokenSource } from './scim-oauth.js';
import { HttpTransport, NetworkFailure } from './scim-transport.js';

const AUTH_FIELDS: Record<ScimAuthConfig['type'], string> = {
  basic: 'auth.username / auth.password',
  bearer: 'auth.token',
  apiKey: 'auth.headerName / auth.key',
  oauth2: 'auth.clientId / auth.clientSecret / auth.scope',
  none: 'auth (the service requires authentication; auth.type is "none")',
};

export interface ScimCall {
  method: string;
  url: string;
  body?: unknown;
  operation: ScimOperation;
  /** Values sent in this call that must never come back in a message (a password). */
  sensitive?: (string | undefined)[];
}

/**
 * Authenticated SCIM calls: credentials on every request, one token refresh and replay
 * on 401 (OAuth), network failures as TransientError, and every message scrubbed of secrets.
 */
export class ScimSession {
  readonly transport: HttpTransport;
  private readonly oauth?: OAuthTokenSource;

  constructor(
    private readonly config: ScimConfig,
    private readonly dialect: ScimDialect,
    private readonly ctx: ConnectorContext,
    private readonly secrets: string[],
  ) {
    this.transport = new HttpTransport(ctx, config);
    const auth = config.auth;
    if (auth.type === 'oauth2') this.oauth = new OAuthTokenSource(auth, this.transport, ctx.clock, (t) => this.scrub(t));
  }

  scrub(text: string, extra: (string | undefined)[] = []): string {
    let out = text;
    for (const secret of [...this.secrets, ...extra]) if (secret && secret.length >= 3) out = out.split(secret).join('***');
    return out;
  }

  /** Sends the call; returns any response except 401 (which becomes a PermanentError after one refresh). */
  async send(call: ScimCall): Promise<ParsedResponse> {
    const credentials = await this.authHeaders();
    let response = await this.exchange(call, credentials);
    if (response.status === 401 && this.oauth) {
      // Calls in flight with the same stale token share one new token (see invalidate).
      this.oauth.invalidate(credentials.Authorization?.replace(/^Bearer /, ''));
      response = await this.exchange(call, await this.authHeaders());
    }
    if (response.status === 401) {
      const challenge = response.headers['www-authenticate'];
      throw new PermanentError(
        `${call.method} ${displayUrl(call.url)} answered 401: authentication rejected${challenge ? ` (${this.scrub(String(challenge))})` : ''}; check ${AUTH_FIELDS[this.config.auth.type]}`,
        { remoteCode: 401 },
      );
    }
    return response;
  }

  /** Like send, but any non-2xx status (except those in `accept`) is thrown as a classified error. */
  async expectOk(call: ScimCall, accept: number[] = []): Promise<ParsedResponse> {
    const response = await this.send(call);
    if ((response.status >= 200 && response.status < 300) || accept.includes(response.status)) return response;
    throw this.errorFor(call, response);
  }

  errorFor(call: ScimCall, response: ParsedResponse): Error {
    return errorForResponse(response, {
      operation: call.operation,
      request: `${call.method} ${displayUrl(call.url)}`,
      now: this.ctx.clock.now(),
      scrub: (t) => this.scrub(t, call.sensitive),
    });
  }

  close(): void {
    this.transport.close();
  }

  private async exchange(call: ScimCall, credentials: Record<string, string>): Promise<ParsedResponse> {
    const headers: Record<string, string> = { Accept: `${this.dialect.contentType}, application/json`, ...credentials };
    if (call.body !== undefined) headers['Content-Type'] = this.dialect.contentType;
    try {
      const response = await this.transport.send({ method: call.method, url: call.url, headers, body: call.body === undefined ? undefined : JSON.stringify(call.body) });
      return { ...response, body: parseJson(response.text) };
    } catch (error) {
      if (!(error instanceof NetworkFailure)) throw error;
      throw new TransientError(`${call.method} ${displayUrl(call.url)} failed: ${this.scrub(error.message, call.sensitive)}`, { cause: error });
    }
  }

  private async authHeaders(): Promise<Record<string, string>> {
    const auth = this.config.auth;
    switch (auth.type) {
      case 'basic':
        return { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
      case 'bearer':
        return { Authorization: `Bearer ${auth.token}` };
      case 'apiKey':
        return { [auth.headerName]: auth.key };
      case 'oauth2':
        return { Authorization: `Bearer ${await (this.oauth as OAuthTokenSource).token()}` };
      case 'none':
        return {};
    }
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
