import { PermanentError, TransientError, type Clock } from '@provisio/core';
import { asObject } from './scim-dialect.js';
import { displayUrl } from './scim-endpoints.js';
import { remoteDetail, retryAfterMs } from './scim-errors.js';
import { NetworkFailure, type HttpTransport } from './scim-transport.js';

interface OAuthClient {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

// Renew a little early, so a token does not expire between our check and the server's.
const EXPIRY_MARGIN_MS = 30_000;
const DEFAULT_LIFETIME_SEC = 3600;

/** RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding. */
const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');

/** OAuth 2.0 client credentials (RFC 6749 §4.4): one token, cached until shortly before it expires. */
export class OAuthTokenSource {
  private cached: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;

  constructor(
    private readonly client: OAuthClient,
    private readonly transport: HttpTransport,
    private readonly clock: Clock,
    private readonly scrub: (text: string) => string,
  ) {}

  async token(): Promise<string> {
    if (this.cached && this.cached.expiresAt > this.clock.now()) return this.cached.value;
    // Concurrent callers share one token request.
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    this.cached = await this.pending;
    return this.cached.value;
  }

  /**
   * The target refused `staleToken` (401): forget it so the next call fetches a new one. A token
   * fetched since (by another call that saw the same 401) is kept: one refresh, not one per call.
   */
  invalidate(staleToken?: string): void {
    if (staleToken === undefined || this.cached?.value === staleToken) this.cached = undefined;
  }

  private async fetch(): Promise<CachedToken> {
    const { tokenUrl, clientId, clientSecret, scope } = this.client;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) form.set('scope', scope);
    const where = `POST ${displayUrl(tokenUrl)}`;
    let response;
    try {
      response = await this.transport.send({
        method: 'POST',
        url: tokenUrl,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          Authorization: `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`,
        },
        body: form.toString(),
      });
    } catch (error) {
      if (error instanceof NetworkFailure) throw new TransientError(`OAuth token request ${where} failed: ${this.scrub(error.message)}`, { cause: error });
      throw error;
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      body = undefined;
    }
    const detail = this.scrub(remoteDetail({ body, text: response.text }));
    if (response.status === 429 || response.status >= 500) {
      throw new TransientError(`OAuth token request ${where} answered ${response.status}: ${detail}`, {
        remoteCode: response.status,
        retryAfterMs: retryAfterMs(response.headers['retry-after'], this.clock.now()),
      });
    }
    const token = asObject(body)?.['access_token'];
    if (response.status !== 200 || typeof token !== 'string') {
      throw new PermanentError(`OAuth token request ${where} answered ${response.status}: ${detail}; check auth.tokenUrl, auth.clientId, auth.clientSecret and auth.scope`, {
        remoteCode: response.status,
      });
    }
    const expiresIn = Number(asObject(body)?.['expires_in'] ?? DEFAULT_LIFETIME_SEC);
    const lifetimeMs = (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_LIFETIME_SEC) * 1000;
    return { value: token, expiresAt: this.clock.now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2) };
  }
}
