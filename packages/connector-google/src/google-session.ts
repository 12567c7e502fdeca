import { admin, type admin_directory_v1 } from '@googleapis/admin';
import { gaxios, JWT } from 'google-auth-library';
import {
  isConflictError,
  isPermanentError,
  isTransientError,
  remoteCallHeaders,
  throwIfRemoteCallAborted,
  type ConnectorContext,
} from '@provisio/core';
import { GOOGLE_TOKEN_URL, type GoogleConfig } from './google-config.js';
import { classifyGoogleFailure, failureOf, isInvalidCredentials, type ErrorContext, type GoogleFailure } from './google-errors.js';
import { clientEmailOf, loadServiceAccountKey, type ServiceAccountCredentials } from './google-private-key.js';

export type Directory = admin_directory_v1.Admin;

const CONNECTOR_VERSION = '0.1.0';

export interface CallOptions<T> {
  /** The resource is not there (404 notFound): answer this instead of failing. */
  onNotFound?: () => T;
  /** The resource already exists (409 duplicate): answer this instead of a ConflictError. */
  onDuplicate?: () => T;
  /** The job's lease deadline: the call is not made after it, and gaxios aborts it at it. */
  signal?: AbortSignal;
}

/** googleapis' per-call options that the session sets: pass them as the method's second argument. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** The job and attempt the call is sent for (remoteCallHeaders). */
  headers?: Record<string, string>;
}

/** Outer HTTP answer of a raw request made with the session's credentials (the batch endpoint). */
export interface RawAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * One authorized Directory API client per connector instance. google-auth-library caches the
 * access token and refreshes it before expiry; a token Google refuses (401, e.g. revoked) makes
 * us build a fresh client once, because the library would re-send the same cached token.
 */
export class GoogleSession {
  private credentials?: ServiceAccountCredentials;
  private client?: { jwt: JWT; directory: Directory };
  readonly errorContext: ErrorContext;

  constructor(
    private readonly config: GoogleConfig,
    private readonly ctx: ConnectorContext,
  ) {
    this.errorContext = {
      serviceAccountEmail: config.serviceAccountEmail ?? clientEmailOf(config.privateKey) ?? 'the service account',
      adminEmail: config.adminEmail,
      scopes: config.scopes,
    };
  }

  /** Runs one googleapis call, classifying any failure; retries once with a new token on 401. */
  async call<T>(
    operation: string,
    run: (directory: Directory, request: RequestOptions) => Promise<T>,
    options: CallOptions<T> = {},
  ): Promise<T> {
    let failure: GoogleFailure;
    const used = this.current();
    const request: RequestOptions = options.signal ? { signal: options.signal, headers: remoteCallHeaders(options.signal) } : {};
    throwIfRemoteCallAborted(options.signal);
    try {
      return await run(used.directory, request);
    } catch (error) {
      failure = this.failureOrRethrow(error);
    }
    if (isInvalidCredentials(failure)) {
      this.renewRefused(used, operation);
      throwIfRemoteCallAborted(options.signal);
      try {
        return await run(this.current().directory, request);
      } catch (error) {
        failure = this.failureOrRethrow(error);
      }
    }
    return this.recoverOrThrow(failure, operation, options);
  }

  /**
   * Sends a raw request with the session's bearer token (used for the batch endpoint). `signal`:
   * the jobs' lease deadline; the request does not leave after it, and stops waiting at it.
   */
  async raw(operation: string, request: { path: string; contentType: string; body: string }, signal?: AbortSignal): Promise<RawAnswer> {
    const send = async (client: { jwt: JWT }): Promise<RawAnswer> => {
      const { jwt } = client;
      const url = new URL(request.path.replace(/^\//, ''), this.rootUrl()).toString();
      const headers = await jwt.getRequestHeaders(url);
      headers.set('Content-Type', request.contentType);
      headers.set('User-Agent', this.userAgent());
      for (const [name, value] of Object.entries(remoteCallHeaders(signal))) headers.set(name, value);
      const response = await jwt.transporter.request<string>({
        url,
        method: 'POST',
        headers,
        data: request.body,
        responseType: 'text',
        timeout: this.config.timeouts.batchMs,
        retry: false,
        validateStatus: () => true,
        agent: this.agentFor,
        ...(signal ? { signal } : {}),
      });
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: response.data };
    };
    const attempt = async (client: { jwt: JWT }): Promise<RawAnswer> => {
      throwIfRemoteCallAborted(signal);
      try {
        return await send(client);
      } catch (error) {
        throw classifyGoogleFailure(this.failureOrRethrow(error), operation, this.errorContext);
      }
    };
    const used = this.current();
    let answer = await attempt(used);
    if (answer.status === 401) {
      this.renewRefused(used, operation);
      answer = await attempt(this.current());
    }
    return answer;
  }

  /** Obtains (or reuses) an access token; throws a classified error. */
  async authorize(): Promise<void> {
    await this.call('token', async () => {
      await this.current().jwt.getAccessToken();
    });
  }

  /**
   * Google refused the token of `used`. Only the first call to notice drops that client: calls
   * in flight with the same stale token then share the one new client (and its one token fetch)
   * instead of each fetching a token of its own.
   */
  private renewRefused(used: { jwt: JWT; directory: Directory }, operation: string): void {
    if (this.client !== used) return;
    this.ctx.logger.warn({ instanceId: this.ctx.instanceId, operation }, 'Google refused the access token; fetching a new one');
    this.client = undefined;
  }

  /** Drops the client and its cached token; the next call fetches a new one. */
  renewToken(): void {
    this.client = undefined;
  }

  close(): void {
    this.client = undefined;
  }

  private recoverOrThrow<T>(failure: GoogleFailure, operation: string, options: CallOptions<T>): T {
    const error = classifyGoogleFailure(failure, operation, this.errorContext);
    // Only Google's JSON 404 means "no such resource"; an HTML 404 is a wrong rootUrl.
    if (options.onNotFound && failure.status === 404 && typeof failure.body === 'object') return options.onNotFound();
    if (options.onDuplicate && isConflictError(error)) return options.onDuplicate();
    throw error;
  }

  /** Errors we raised ourselves (bad key) pass through; anything from the wire is read as a failure. */
  private failureOrRethrow(error: unknown): GoogleFailure {
    if (isPermanentError(error) || isTransientError(error) || isConflictError(error)) throw error;
    return failureOf(error);
  }

  private current(): { jwt: JWT; directory: Directory } {
    if (this.client) return this.client;
    this.credentials ??= loadServiceAccountKey(this.config.privateKey, this.config.serviceAccountEmail);
    const jwt = new JWT({
      email: this.credentials.clientEmail,
      key: this.credentials.privateKeyPem,
      // Without scopes the library self-signs a token and never asks Google: delegation would go untested.
      scopes: [...this.config.scopes],
      subject: this.config.adminEmail,
      transporter: this.transporter(),
    });
    const directory = admin({
      version: 'directory_v1',
      auth: jwt,
      rootUrl: this.rootUrl(),
      timeout: this.config.timeouts.requestMs,
      // The worker retries transient failures with backoff and honours Retry-After; retrying
      // here too would multiply calls against the per-user quota (and gaxios never retries POST/PATCH).
      retry: false,
      agent: this.agentFor,
      userAgentDirectives: [
        { product: userAgentProduct(this.config.applicationName), version: CONNECTOR_VERSION, comment: 'provisio-connector-google' },
      ],
    });
    this.client = { jwt, directory };
    return this.client;
  }

  /** The token URL is hard-coded in google-auth-library: an interceptor on our own transporter points it elsewhere. */
  private transporter(): gaxios.Gaxios {
    const transporter = new gaxios.Gaxios({ timeout: this.config.timeouts.requestMs, agent: this.agentFor, retry: false });
    const tokenUrl = this.config.tokenUrl;
    if (tokenUrl !== GOOGLE_TOKEN_URL) {
      transporter.interceptors.request.add({
        resolved: async (request) => {
          if (request.url !== undefined && new URL(request.url).toString() === GOOGLE_TOKEN_URL) request.url = new URL(tokenUrl);
          return request;
        },
      });
    }
    return transporter;
  }

  private rootUrl(): string {
    return this.config.rootUrl.endsWith('/') ? this.config.rootUrl : `${this.config.rootUrl}/`;
  }

  private userAgent(): string {
    return `${userAgentProduct(this.config.applicationName)}/${CONNECTOR_VERSION} (provisio-connector-google)`;
  }

  private readonly agentFor = (url: URL) => (url.protocol === 'http:' ? this.ctx.http.httpAgent : this.ctx.http.httpsAgent);
}

/** A User-Agent product token: "My App" becomes "My-App". */
export function userAgentProduct(applicationName: string): string {
  return applicationName.trim().replace(/[^A-Za-z0-9!#$%&'*+.^_`|~-]+/g, '-') || 'Provisio';
}
