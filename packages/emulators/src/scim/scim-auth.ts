// Authentication of emulator requests: none, HTTP Basic, static bearer token, API key header,
// or OAuth 2.0 client credentials (RFC 6749 §4.4) with expiring bearer tokens.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type ScimAuthType = 'none' | 'basic' | 'bearer' | 'apiKey' | 'oauth2';

export interface ScimAuthOptions {
  type: ScimAuthType;
  /** basic */
  username?: string;
  password?: string;
  /** bearer: the static token; apiKey: the key value */
  token?: string;
  /** apiKey: the header that carries the key (default "X-API-Key") */
  headerName?: string;
  /** oauth2 client credentials */
  clientId?: string;
  clientSecret?: string;
  /** oauth2 access token lifetime in seconds (default 3600) */
  tokenTtlSec?: number;
}

export type AuthOutcome = { ok: true } | { ok: false; challenge: string; detail: string };

interface IssuedToken {
  expiresAt: number;
  generation: number;
}

function safeEqual(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

export class ScimAuthenticator {
  private readonly tokens = new Map<string, IssuedToken>();
  private static readonly MAX_TOKENS = 10_000;

  constructor(
    readonly options: ScimAuthOptions,
    private readonly currentGeneration: () => number,
  ) {}

  get headerName(): string {
    return (this.options.headerName ?? 'X-API-Key').toLowerCase();
  }

  check(headers: IncomingHttpHeaders): AuthOutcome {
    const o = this.options;
    const authorization = headers.authorization ?? '';
    switch (o.type) {
      case 'none':
        return { ok: true };
      case 'basic': {
        const challenge = 'Basic realm="scim-emulator", charset="UTF-8"';
        const m = /^Basic\s+(\S+)$/i.exec(authorization);
        if (!m) return { ok: false, challenge, detail: 'Basic credentials required' };
        const decoded = Buffer.from(m[1], 'base64').toString('utf8');
        const sep = decoded.indexOf(':');
        const ok = sep >= 0 && safeEqual(decoded.slice(0, sep), o.username ?? '') && safeEqual(decoded.slice(sep + 1), o.password ?? '');
        return ok ? { ok } : { ok: false, challenge, detail: 'Invalid username or password' };
      }
      case 'bearer': {
        const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
        if (token !== undefined && safeEqual(token, o.token ?? '')) return { ok: true };
        return { ok: false, challenge: 'Bearer realm="scim-emulator", error="invalid_token"', detail: 'Invalid bearer token' };
      }
      case 'apiKey': {
        const raw = headers[this.headerName];
        const key = Array.isArray(raw) ? raw[0] : raw;
        if (key !== undefined && safeEqual(key, o.token ?? '')) return { ok: true };
        return { ok: false, challenge: `ApiKey realm="scim-emulator", header="${o.headerName ?? 'X-API-Key'}"`, detail: 'Invalid API key' };
      }
      case 'oauth2':
        return this.checkIssuedToken(authorization);
    }
  }

  private checkIssuedToken(authorization: string): AuthOutcome {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (token === undefined) {
      return { ok: false, challenge: 'Bearer realm="scim-emulator"', detail: 'Bearer token required' };
    }
    const issued = this.tokens.get(token);
    if (!issued) {
      return { ok: false, challenge: 'Bearer realm="scim-emulator", error="invalid_token"', detail: 'Unknown access token' };
    }
    if (issued.expiresAt <= Date.now() || issued.generation !== this.currentGeneration()) {
      return {
        ok: false,
        challenge: 'Bearer realm="scim-emulator", error="invalid_token", error_description="The access token expired"',
        detail: 'The access token expired',
      };
    }
    return { ok: true };
  }

  /** POST /oauth/token with grant_type=client_credentials; client authenticates by Basic header or form fields. */
  issueToken(headers: IncomingHttpHeaders, form: URLSearchParams): { status: number; body: Record<string, string | number> } {
    if (this.options.type !== 'oauth2') return { status: 404, body: { error: 'not_found' } };
    const grant = form.get('grant_type');
    if (grant === null) return { status: 400, body: { error: 'invalid_request', error_description: 'grant_type is required' } };
    if (grant !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
    let clientId = form.get('client_id') ?? '';
    let clientSecret = form.get('client_secret') ?? '';
    const basic = /^Basic\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
    if (basic) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const sep = decoded.indexOf(':');
      // RFC 6749 §2.3.1: the client id and secret are form-urlencoded before Basic encoding.
      clientId = formDecode(decoded.slice(0, Math.max(sep, 0)));
      clientSecret = formDecode(decoded.slice(sep + 1));
    }
    if (!safeEqual(clientId, this.options.clientId ?? '') || !safeEqual(clientSecret, this.options.clientSecret ?? '')) {
      return { status: 401, body: { error: 'invalid_client' } };
    }
    const ttl = this.options.tokenTtlSec ?? 3600;
    const token = randomBytes(24).toString('base64url');
    if (this.tokens.size >= ScimAuthenticator.MAX_TOKENS) this.tokens.clear();
    this.tokens.set(token, { expiresAt: Date.now() + ttl * 1000, generation: this.currentGeneration() });
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttl } };
  }
}
