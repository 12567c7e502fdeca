import jsforce from 'jsforce';
import type { Connection, HttpMethods, HttpRequest, HttpResponse, OAuth2, TokenResponse } from 'jsforce';
import {
  PermanentError,
  SecretScrubber,
  isPermanentError,
  isTransientError,
  isConflictError,
  parseRetryAfter,
  remoteCallAborted,
  remoteCallHeaders,
  remoteCallTimeLeft,
  throwIfRemoteCallAborted,
  type ConnectorContext,
} from '@provisio/core';
import { jwtBearerAssertion } from './jwt-assertion.js';
import { secretValuesOf, type SalesforceConfig } from './salesforce-config.js';
import {
  classifyFailure,
  classifyNetworkFailure,
  classifyTokenFailure,
  type FailureContext,
  type SalesforceFailure,
} from './salesforce-errors.js';

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface SalesforceToken {
  accessToken: string;
  instanceUrl: string;
  /** The identity URL (`.../id/<orgId>/<userId>`). */
  identityUrl?: string;
  userId?: string;
}

export interface RestCall {
  method: HttpMethods;
  /** Path under /services/data/vXX.X/, e.g. `sobjects/User`. */
  path: string;
  body?: unknown;
}

/** One batch of a query's records, and the locator of the next batch when there is one. */
export interface QueryBatch<T> {
  records: T[];
  totalSize: number;
  locator?: string;
}

interface CapturingTransport {
  httpRequest: (req: HttpRequest, options?: object) => Promise<HttpResponse>;
  response?: HttpResponse;
}

/**
 * One authenticated session per connector instance: the token is fetched once and
 * reused until Salesforce says INVALID_SESSION_ID; then one re-authentication (shared
 * by every call that saw the same stale token) and one replay. jsforce's own refresh,
 * which loops without limit on a persistent 401, is never enabled: our connections
 * carry no OAuth2 client, and jsforce's HTTP retries are switched off (core retries).
 */
export class SalesforceSession {
  private pending?: Promise<SalesforceToken>;
  private readonly scrubber: SecretScrubber;
  private readonly oauth2: OAuth2;
  private closed = false;

  constructor(
    private readonly config: SalesforceConfig,
    private readonly ctx: ConnectorContext,
  ) {
    this.scrubber = new SecretScrubber(secretValuesOf(config.auth));
    if (config.auth.flow === 'password' && config.auth.securityToken) this.scrubber.add([config.auth.password + config.auth.securityToken]);
    const clientSecret = config.auth.flow === 'jwtBearer' ? undefined : config.auth.clientSecret;
    this.oauth2 = new jsforce.OAuth2({
      clientId: config.auth.clientId,
      clientSecret,
      authzServiceUrl: `${loginUrlOf(config.tokenEndpoint)}/services/oauth2/authorize`,
      tokenServiceUrl: config.tokenEndpoint,
    });
  }

  get apiVersion(): string {
    return this.config.apiVersion;
  }

  /** The current token, logging in when there is none (concurrent callers share one login). */
  token(): Promise<SalesforceToken> {
    if (this.closed) return Promise.reject(new PermanentError('the Salesforce connector is closed'));
    if (!this.pending) {
      const login = this.login();
      this.pending = login;
      // A failed login is not cached: the next call tries again.
      login.catch(() => {
        if (this.pending === login) this.pending = undefined;
      });
    }
    return this.pending;
  }

  /** Calls the REST API; throws TransientError, PermanentError or ConflictError (secrets scrubbed). */
  request<T>(call: RestCall, context: FailureContext): Promise<T> {
    const request: HttpRequest = {
      method: call.method,
      url: `/services/data/v${this.config.apiVersion}/${call.path}`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    };
    return this.run((connection) => connection.request<T>(request), context);
  }

  /**
   * One batch of a SOQL query through jsforce's `query` (a `locator` from the previous batch's
   * nextRecordsUrl: `queryMore`), never autoFetch: the caller holds one batch at a time.
   * `batchSize` goes in Sforce-Query-Options (Salesforce takes 200 to 2,000, and may send fewer).
   */
  queryBatch<T extends Record<string, unknown>>(
    soql: string,
    options: { batchSize: number; locator?: string },
    context: FailureContext,
  ): Promise<QueryBatch<T>> {
    const queryOptions = { autoFetch: false, headers: { 'Sforce-Query-Options': `batchSize=${options.batchSize}` } };
    return this.run(async (connection) => {
      const result =
        options.locator === undefined
          ? await connection.query<T>(soql, queryOptions)
          : await connection.queryMore<T>(options.locator, {
              ...queryOptions,
              maxFetch: Number.MAX_SAFE_INTEGER,
              scanAll: false,
            } as unknown as Parameters<Connection['queryMore']>[1]);
      const locator = result.nextRecordsUrl?.split('/').pop();
      return { records: result.records, totalSize: result.totalSize, ...(result.done || !locator ? {} : { locator }) };
    }, context);
  }

  /** Runs jsforce calls on a connection with the session's token: one re-login and replay on INVALID_SESSION_ID. */
  private async run<T>(call: (connection: Connection) => Promise<T>, context: FailureContext): Promise<T> {
    try {
      const tokenPromise = this.token();
      const first = await this.send<T>(call, await tokenPromise, context.signal);
      if (first.kind === 'ok') return first.body;
      if (first.kind !== 'expired') throw classifyFailure(first.failure, context);
      // Session expired: forget this token unless someone already replaced it, then replay once.
      if (this.pending === tokenPromise) this.pending = undefined;
      const second = await this.send<T>(call, await this.token(), context.signal);
      if (second.kind === 'ok') return second.body;
      if (second.kind === 'expired') {
        throw new PermanentError(
          `Salesforce rejected a freshly issued session for ${context.action} (INVALID_SESSION_ID after re-authenticating once); check the connected app's IP restrictions and session policies and that the integration user is API Enabled`,
          { remoteCode: 'INVALID_SESSION_ID' },
        );
      }
      throw classifyFailure(second.failure, context);
    } catch (error) {
      throw this.scrubbed(this.classified(error));
    }
  }

  /** Text with every secret masked, for messages built outside the session. */
  scrub(text: string): string {
    return this.scrubber.scrub(text);
  }

  /** The same error, its message scrubbed in place (its kind and fields kept). */
  private scrubbed<T>(error: T): T {
    if (error instanceof Error) error.message = this.scrubber.scrub(error.message);
    return error;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pending = undefined;
  }

  private classified(error: unknown): unknown {
    if (isTransientError(error) || isPermanentError(error) || isConflictError(error)) return error;
    return classifyNetworkFailure(error, 'the REST API');
  }

  /**
   * `signal`, the job's lease deadline: jsforce takes no signal, so each request is checked
   * right before it goes out and gets the time left as jsforce's timeout (which then aborts it).
   */
  private async send<T>(
    call: (connection: Connection) => Promise<T>,
    token: SalesforceToken,
    signal: AbortSignal | undefined,
  ): Promise<{ kind: 'ok'; body: T } | { kind: 'expired' } | { kind: 'failed'; failure: SalesforceFailure }> {
    const connection = new jsforce.Connection({
      instanceUrl: token.instanceUrl,
      accessToken: token.accessToken,
      version: this.config.apiVersion,
    });
    const transport = capturingTransport(connection, remoteCallHeaders(signal));
    // Every request of this connection, jsforce's own query/queryMore included, keeps its raw
    // answer, names the job and attempt it is sent for, and is never retried by jsforce (core
    // retries, with backoff and Retry-After).
    const request = connection.request.bind(connection);
    connection.request = ((req: HttpRequest, options: object = {}) => {
      throwIfRemoteCallAborted(signal);
      const timeout = remoteCallTimeLeft(signal);
      return request(req, { ...options, transport, retry: { maxRetries: 0 }, ...(timeout === undefined ? {} : { timeout }) });
    }) as typeof connection.request;
    try {
      return { kind: 'ok', body: await call(connection) };
    } catch (error) {
      const response = transport.response;
      // Cut off at the deadline: say so, not jsforce's own words for its timeout.
      const cause: unknown = remoteCallAborted(signal) ? signal?.reason : error;
      if (!response || response.statusCode < 400) throw classifyNetworkFailure(cause, token.instanceUrl);
      const failure = failureOf(response, this.ctx.clock.now());
      return failure.errorCode === 'INVALID_SESSION_ID' ? { kind: 'expired' } : { kind: 'failed', failure };
    }
  }

  private async login(): Promise<SalesforceToken> {
    const { auth } = this.config;
    let response: TokenResponse;
    try {
      response = await this.oauth2.requestToken(this.grantParameters());
    } catch (error) {
      if (error instanceof TypeError || !(error instanceof Error))
        throw this.scrubbed(classifyNetworkFailure(error, this.config.tokenEndpoint));
      throw this.scrubbed(classifyTokenFailure({ error: error.name, description: error.message }, auth));
    }
    const instanceUrl = (response.instance_url || this.config.domainName || '').replace(/\/+$/, '');
    if (!instanceUrl) throw new PermanentError('the Salesforce token response has no instance_url; set domainName to the My Domain URL');
    if (this.config.domainName && this.config.domainName !== instanceUrl) {
      this.ctx.logger.info(
        { instanceUrl, domainName: this.config.domainName },
        'salesforce: using instance_url from the token response instead of domainName',
      );
    }
    this.scrubber.add([response.access_token]);
    const userId = response.id ? response.id.split('/').pop() : undefined;
    this.ctx.logger.debug({ instanceUrl, flow: auth.flow }, 'salesforce: authenticated');
    return { accessToken: response.access_token, instanceUrl, identityUrl: response.id, userId };
  }

  private grantParameters(): { grant_type: string; [name: string]: string } {
    const { auth } = this.config;
    if (auth.flow === 'password')
      return { grant_type: 'password', username: auth.username, password: auth.password + (auth.securityToken ?? '') };
    if (auth.flow === 'clientCredentials') return { grant_type: 'client_credentials' };
    const audience = auth.audience ?? loginUrlOf(this.config.tokenEndpoint);
    const assertion = jwtBearerAssertion(
      { clientId: auth.clientId, username: auth.username, audience, nowMs: this.ctx.clock.now() },
      auth.privateKey,
    );
    return { grant_type: JWT_BEARER_GRANT, assertion };
  }
}

/** https://login.salesforce.com/services/oauth2/token -> https://login.salesforce.com */
export function loginUrlOf(tokenEndpoint: string): string {
  const url = new URL(tokenEndpoint);
  const path = url.pathname.replace(/\/services\/oauth2\/token\/?$/, '').replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

/**
 * Wraps the connection's transport for one request: `headers` go with it (the job and attempt,
 * remoteCallHeaders), and the raw answer (status, Retry-After, body) is kept.
 */
function capturingTransport(connection: Connection, headers: Record<string, string>): CapturingTransport {
  const base = connection._transport;
  const capture: CapturingTransport = {
    httpRequest: (req, options) => {
      const promise = base.httpRequest({ ...req, headers: { ...req.headers, ...headers } }, options);
      promise.then(
        (response) => {
          capture.response = response;
        },
        () => undefined,
      );
      return promise;
    },
  };
  return capture;
}

function isErrorItem(value: unknown): value is { errorCode?: unknown; statusCode?: unknown; message?: unknown; fields?: unknown } {
  return typeof value === 'object' && value !== null;
}

/** Salesforce's REST error array `[{errorCode, message, fields}]`, or what can be said of anything else. */
function failureOf(response: HttpResponse, now: number): SalesforceFailure {
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], now);
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    parsed = undefined;
  }
  const item = Array.isArray(parsed) ? parsed[0] : parsed;
  if (isErrorItem(item) && typeof item.message === 'string') {
    const code =
      typeof item.errorCode === 'string'
        ? item.errorCode
        : typeof item.statusCode === 'string'
          ? item.statusCode
          : `HTTP_${response.statusCode}`;
    const fields = Array.isArray(item.fields) ? item.fields.filter((f): f is string => typeof f === 'string') : [];
    return { errorCode: code, message: item.message, fields, status: response.statusCode, retryAfterMs };
  }
  // Not Salesforce's JSON (a proxy's HTML page): the body is not worth quoting.
  return {
    errorCode: `HTTP_${response.statusCode}`,
    message: `HTTP ${response.statusCode} without a Salesforce error body`,
    fields: [],
    status: response.statusCode,
    retryAfterMs,
  };
}
