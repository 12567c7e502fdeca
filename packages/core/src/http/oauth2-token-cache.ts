import { systemClock, type Clock } from '../clock.js';
import { PermanentError } from '../errors.js';
import type { HttpAuth, HttpClient } from './http-client.js';
import { httpStatusKind } from './http-errors.js';

export interface OAuth2ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}

export interface OAuth2TokenCacheOptions {
  /** Sends the token requests (anonymously: the client's credentials go in Basic auth here). */
  client: HttpClient;
  clock?: Clock;
  /** Appended to a refused token request: the config fields to check. */
  hint?: string;
}

// Renew a little early, so a token does not expire between our check and the server's.
const EXPIRY_MARGIN_MS = 30_000;
const DEFAULT_LIFETIME_SEC = 3600;

/** RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding. */
const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');

interface CachedToken {
  value: string;
  expiresAt: number;
}

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): one token shared by all calls, fetched by one
 * request however many calls want it at once, renewed shortly before it expires and once after
 * the target refuses it. An `HttpAuth`, so it plugs into `HttpClient`'s `auth`.
 */
export class OAuth2TokenCache implements HttpAuth {
  private cached: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;
  private readonly clock: Clock;

  constructor(
    private readonly credentials: OAuth2ClientCredentials,
    private readonly options: OAuth2TokenCacheOptions,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  async token(): Promise<string> {
    if (this.cached && this.cached.expiresAt > this.clock.now()) return this.cached.value;
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    this.cached = await this.pending;
    return this.cached.value;
  }

  /**
   * `staleToken` was refused: forget it so the next call fetches a new one. A token fetched since
   * (by another call that saw the same 401) is kept: one refresh, not one per call.
   */
  invalidate(staleToken?: string): void {
    if (staleToken === undefined || this.cached?.value === staleToken) this.cached = undefined;
  }

  async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.token()}` };
  }

  renew(rejected: Record<string, string>): boolean {
    this.invalidate(rejected['Authorization']?.replace(/^Bearer /, ''));
    return true;
  }

  private async fetch(): Promise<CachedToken> {
    const { tokenUrl, clientId, clientSecret, scope } = this.credentials;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) form.set('scope', scope);
    const call = {
      method: 'POST',
      url: tokenUrl,
      action: 'OAuth token request',
      anonymous: true,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
        Authorization: `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`,
      },
      body: form.toString(),
      sensitive: [clientSecret],
    };
    const response = await this.options.client.send(call);
    const body = typeof response.body === 'object' && response.body !== null ? (response.body as Record<string, unknown>) : {};
    const token = body['access_token'];
    if (response.status !== 200 || typeof token !== 'string') {
      const error = this.options.client.errorFor(call, response);
      // A refused token request is never a conflict: only overload is worth retrying.
      if (httpStatusKind(response.status) === 'transient') throw error;
      const hint = this.options.hint ? `; ${this.options.hint}` : '';
      throw new PermanentError(`${error.message}${response.status === 200 ? ' (no access_token in the answer)' : ''}${hint}`, {
        remoteCode: response.status,
      });
    }
    const expiresIn = Number(body['expires_in'] ?? DEFAULT_LIFETIME_SEC);
    const lifetimeMs = (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_LIFETIME_SEC) * 1000;
    return { value: token, expiresAt: this.clock.now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2) };
  }
}
