import { OAuth2TokenCache, RemoteNotFoundError, type ConnectorContext, type HttpAuth, type HttpClient } from '@provisio/core';
import type { ScimAuthConfig, ScimConfig } from './scim-config.js';
import type { ScimDialect } from './scim-dialect.js';
import { scimErrorKind, scimFailureDetail, type ParsedResponse, type ScimHttpCall, type ScimOperation } from './scim-errors.js';

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
  /** The job's lease deadline: nothing is sent after it (core's HTTP client checks it). */
  signal?: AbortSignal;
}

/**
 * Authenticated SCIM calls over core's HTTP client: credentials on every request, one token
 * refresh and replay on 401 (OAuth), network failures as TransientError, SCIM's reading of
 * 409/412, and every message scrubbed of secrets.
 */
export class ScimSession {
  private readonly http: HttpClient<ScimHttpCall>;
  private readonly tokenClient?: HttpClient;

  constructor(
    config: ScimConfig,
    private readonly dialect: ScimDialect,
    ctx: ConnectorContext,
    secrets: string[],
  ) {
    const transport = { timeoutMs: config.timeoutMs, tls: config.tls, secrets, clock: ctx.clock };
    const auth = config.auth;
    let credentials: HttpAuth | undefined = staticAuth(auth);
    if (auth.type === 'oauth2') {
      this.tokenClient = ctx.http.client(transport);
      credentials = new OAuth2TokenCache(auth, {
        client: this.tokenClient,
        clock: ctx.clock,
        hint: 'check auth.tokenUrl, auth.clientId, auth.clientSecret and auth.scope',
      });
    }
    this.http = ctx.http.client<ScimHttpCall>({
      ...transport,
      auth: credentials,
      authHint: `check ${AUTH_FIELDS[auth.type]}`,
      classify: scimErrorKind,
      describeFailure: scimFailureDetail,
    });
  }

  scrub(text: string, extra: (string | undefined)[] = []): string {
    return this.http.scrub(text, extra);
  }

  /** Sends the call; returns any response except 401 (which becomes a PermanentError after one refresh). */
  send(call: ScimCall): Promise<ParsedResponse> {
    return this.http.send(this.httpCall(call));
  }

  /** Like send, but any non-2xx status (except those in `accept`) is thrown as a classified error. */
  expectOk(call: ScimCall, accept: number[] = []): Promise<ParsedResponse> {
    return this.http.request({ ...this.httpCall(call), accept });
  }

  errorFor(call: ScimCall, response: ParsedResponse): Error {
    const error = this.http.errorFor(this.httpCall(call), response);
    // An update of an id the service no longer has: the pipeline re-creates the account (reconcile.missing).
    if (call.operation === 'update' && response.status === 404)
      return new RemoteNotFoundError(`the SCIM service has no such resource any more: ${error.message}`, { remoteCode: 404, cause: error });
    return error;
  }

  close(): void {
    this.http.close();
    this.tokenClient?.close();
  }

  private httpCall(call: ScimCall): ScimHttpCall {
    const headers: Record<string, string> = { Accept: `${this.dialect.contentType}, application/json` };
    if (call.body !== undefined) headers['Content-Type'] = this.dialect.contentType;
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    return { method: call.method, url: call.url, headers, body, operation: call.operation, sensitive: call.sensitive, signal: call.signal };
  }
}

/** The credentials that never change: sent as they are, nothing to renew on a 401. */
function staticAuth(auth: ScimAuthConfig): HttpAuth | undefined {
  switch (auth.type) {
    case 'basic':
      return { headers: () => ({ Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` }) };
    case 'bearer':
      return { headers: () => ({ Authorization: `Bearer ${auth.token}` }) };
    case 'apiKey':
      return { headers: () => ({ [auth.headerName]: auth.key }) };
    case 'none':
      // A 401 still names the auth fields.
      return { headers: () => ({}) };
    case 'oauth2':
      return undefined;
  }
}
