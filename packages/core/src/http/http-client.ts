import { request as httpRequest, type Agent as HttpAgent, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { systemClock, type Clock } from '../clock.js';
import { PermanentError, TransientError, type ProvisioningError, type ProvisioningErrorKind } from '../errors.js';
import { remoteCallAborted, remoteCallHeaders } from '../connector/remote-call.js';
import { SecretScrubber } from '../logging/secret-redaction.js';
import { httpStatusKind, provisioningError } from './http-errors.js';
import { parseRetryAfter } from './retry-after.js';

/** One request. `url` is absolute, or a path appended to the client's baseUrl. */
export interface HttpCall {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** Sent as is. */
  body?: string;
  /** Sent as JSON (Content-Type application/json unless `headers` set one). */
  json?: unknown;
  /** What we were doing, for messages: "create user". */
  action?: string;
  /** Values sent in this call that must never come back in a message (a password). */
  sensitive?: readonly (string | undefined)[];
  /** Statuses `request` returns instead of throwing (404 on a delete). */
  accept?: readonly number[];
  /** Send without the client's credentials (a token endpoint that takes them in the body). */
  anonymous?: boolean;
  /**
   * The caller's abort (the job's lease deadline): nothing is sent once it is aborted, not even a
   * request queued for a free connection, and a request under way is cut off (a TransientError).
   * A worker's deadline also names the job and attempt: the request carries them (remoteCallHeaders).
   */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON; undefined when empty or not JSON. */
  body: unknown;
}

/** Credentials for every request, renewed once when the target answers 401. */
export interface HttpAuth {
  headers(): Record<string, string> | Promise<Record<string, string>>;
  /**
   * The target refused `rejected` (401): renew the credentials. Return false when nothing
   * can change (static credentials); the 401 is then reported without a replay.
   */
  renew?(rejected: Record<string, string>): boolean | Promise<boolean>;
}

/** A non-2xx answer's kind; undefined leaves it to httpStatusKind. */
export type HttpStatusClassifier<TCall extends HttpCall = HttpCall> = (
  response: HttpResponse,
  call: TCall,
) => ProvisioningErrorKind | undefined;

export interface HttpClientOptions<TCall extends HttpCall = HttpCall> {
  baseUrl?: string;
  /** One request, connection to last byte. */
  timeoutMs?: number;
  auth?: HttpAuth;
  /** Appended to a 401's message: the config fields to check ("check auth.token"). */
  authHint?: string;
  /** Secret values scrubbed from every message (the config's secret fields). */
  secrets?: Iterable<string>;
  /** Trust a private CA, or (for tests only) no verification: the client then keeps its own agent. */
  tls?: { caPem?: string; rejectUnauthorized?: boolean };
  /** Statuses whose meaning differs at this target (a 409 on update that only means "changed meanwhile"). */
  classify?: HttpStatusClassifier<TCall>;
  /** The remote's own explanation in a failed answer; by default its JSON detail/message or the text. */
  describeFailure?: (response: HttpResponse) => string;
  clock?: Clock;
  maxResponseBytes?: number;
}

/** The keep-alive agents of one connector instance. */
export interface HttpAgents {
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** The connection itself failed: refused, reset, timed out, TLS rejected. */
class NetworkFailure extends Error {
  override readonly name = 'NetworkFailure';
  /** Reset before any answer on a kept-alive connection the server had closed meanwhile: the request never reached it. */
  staleConnection = false;
}

/** Methods a stale keep-alive connection may be retried for (RFC 9110 §9.2.2): sending twice changes nothing. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Origin and path only: a query may carry a filter with personal data or a key. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** The remote's explanation in the common shapes: SCIM `detail`, OAuth `error_description`, `message`, else the text. */
export function remoteDetail(response: Pick<HttpResponse, 'body' | 'text'>): string {
  const body = typeof response.body === 'object' && response.body !== null ? (response.body as Record<string, unknown>) : {};
  const nested =
    typeof body['error'] === 'object' && body['error'] !== null ? (body['error'] as Record<string, unknown>)['message'] : undefined;
  const candidates = [body['detail'], body['error_description'], nested, body['error'], body['message']];
  const found = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
  return (found ?? response.text.trim().slice(0, 300)) || '(no detail)';
}

/**
 * HTTP for connectors over node:http(s) (a custom CA needs an https.Agent, which fetch cannot take):
 * keep-alive agents, a timeout, credentials with one renewal on 401, network failures and 5xx/429
 * as TransientError with Retry-After, other statuses classified, and every message scrubbed of secrets.
 */
export class HttpClient<TCall extends HttpCall = HttpCall> {
  private readonly scrubber: SecretScrubber;
  private readonly httpsAgent: HttpsAgent;
  private readonly ownsAgent: boolean;
  private readonly clock: Clock;

  constructor(
    private readonly agents: HttpAgents,
    private readonly options: HttpClientOptions<TCall> = {},
  ) {
    this.scrubber = new SecretScrubber(options.secrets);
    this.clock = options.clock ?? systemClock;
    const tls = options.tls;
    this.ownsAgent = tls !== undefined && (tls.caPem !== undefined || tls.rejectUnauthorized === false);
    this.httpsAgent = this.ownsAgent
      ? new HttpsAgent({ keepAlive: true, ca: tls?.caPem, rejectUnauthorized: tls?.rejectUnauthorized ?? true })
      : agents.httpsAgent;
  }

  /** Text with every known secret (and the call's sensitive values) masked. */
  scrub(text: string, extra: readonly (string | undefined)[] = []): string {
    const known = this.scrubber.scrub(text);
    const sensitive = extra.filter((s): s is string => typeof s === 'string' && s !== '');
    return sensitive.length > 0 ? new SecretScrubber(sensitive).scrub(known) : known;
  }

  /** Any answer but a 401 that renewing the credentials did not cure (a PermanentError naming authHint). */
  async send(call: TCall): Promise<HttpResponse> {
    const auth = call.anonymous ? undefined : this.options.auth;
    const credentials = (await auth?.headers()) ?? {};
    let response = await this.exchange(call, credentials);
    if (response.status === 401 && auth?.renew && (await auth.renew(credentials))) {
      response = await this.exchange(call, await auth.headers());
    }
    if (response.status === 401 && auth) {
      const challenge = response.headers['www-authenticate'];
      const hint = this.options.authHint ? `; ${this.options.authHint}` : '';
      throw new PermanentError(
        `${this.where(call)} answered 401: authentication rejected${challenge ? ` (${this.scrub(String(challenge), call.sensitive)})` : ''}${hint}`,
        {
          remoteCode: 401,
        },
      );
    }
    return response;
  }

  /** Like send, but a non-2xx answer (except `call.accept`) is thrown as a classified error. */
  async request(call: TCall): Promise<HttpResponse> {
    const response = await this.send(call);
    if ((response.status >= 200 && response.status < 300) || call.accept?.includes(response.status)) return response;
    throw this.errorFor(call, response);
  }

  /** A failed answer as TransientError (with Retry-After), PermanentError or ConflictError. */
  errorFor(call: TCall, response: HttpResponse): ProvisioningError {
    const kind = this.options.classify?.(response, call) ?? httpStatusKind(response.status);
    const detail = this.scrub((this.options.describeFailure ?? remoteDetail)(response), call.sensitive);
    return provisioningError(kind, `${this.where(call)} answered ${response.status}: ${detail}`, {
      remoteCode: response.status,
      retryAfterMs: parseRetryAfter(response.headers['retry-after'], this.clock.now()),
    });
  }

  close(): void {
    if (this.ownsAgent) this.httpsAgent.destroy();
  }

  private where(call: HttpCall): string {
    return `${call.action ? `${call.action}: ` : ''}${call.method} ${displayUrl(this.urlOf(call))}`;
  }

  private urlOf(call: HttpCall): string {
    if (/^https?:\/\//i.test(call.url) || !this.options.baseUrl) return call.url;
    return `${this.options.baseUrl.replace(/\/+$/, '')}/${call.url.replace(/^\/+/, '')}`;
  }

  private async exchange(call: HttpCall, credentials: Record<string, string>): Promise<HttpResponse> {
    const body = call.json !== undefined ? JSON.stringify(call.json) : call.body;
    const headers: Record<string, string> = {
      ...(call.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
      // The job and attempt it is sent for, when the worker's deadline rides along (remoteCallHeaders).
      ...remoteCallHeaders(call.signal),
      ...call.headers,
      ...credentials,
    };
    try {
      const url = this.urlOf(call);
      const raw = await this.transfer(call.method, url, headers, body, call.signal).catch((error: unknown) => {
        // Node reuses idle connections the server may just have closed: an idempotent call goes again, once, on a fresh one.
        if (error instanceof NetworkFailure && error.staleConnection && IDEMPOTENT.has(call.method.toUpperCase()))
          return this.transfer(call.method, url, headers, body, call.signal);
        throw error;
      });
      return { ...raw, body: parseJson(raw.text) };
    } catch (error) {
      if (!(error instanceof NetworkFailure)) throw error;
      throw new TransientError(`${this.where(call)} failed: ${this.scrub(error.message, call.sensitive)}`, {
        cause: error,
        remoteCode: (error.cause as NodeJS.ErrnoException | undefined)?.code,
      });
    }
  }

  private transfer(
    method: string,
    target: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Omit<HttpResponse, 'body'>> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxBytes = this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    return new Promise((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(target);
      } catch {
        reject(new NetworkFailure(`invalid URL ${displayUrl(target)}`));
        return;
      }
      if (remoteCallAborted(signal)) {
        reject(new NetworkFailure(`not sent: ${abortText(signal)}`));
        return;
      }
      const secure = url.protocol === 'https:';
      const agent: HttpAgent = secure ? this.httpsAgent : this.agents.httpAgent;
      const sendHeaders = body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) };
      let answered = false;
      const fail = (error: Error) => {
        clearTimeout(timer);
        if (error instanceof NetworkFailure) return reject(error);
        const failure = new NetworkFailure(describeNetworkError(error), { cause: error });
        const code = (error as NodeJS.ErrnoException).code;
        failure.staleConnection = !answered && outgoing.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE');
        reject(failure);
      };
      const outgoing = (secure ? httpsRequest : httpRequest)(url, { method, headers: sendHeaders, agent }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) outgoing.destroy(new NetworkFailure(`response larger than ${maxBytes} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', fail);
      });
      const timer = setTimeout(() => outgoing.destroy(new NetworkFailure(`no complete response within ${timeoutMs} ms`)), timeoutMs);
      outgoing.on('error', fail);
      if (signal) {
        const onAbort = () => outgoing.destroy(new NetworkFailure(`aborted: ${abortText(signal)}`));
        signal.addEventListener('abort', onAbort, { once: true });
        outgoing.once('close', () => signal.removeEventListener('abort', onAbort));
        // The request may wait for a free keep-alive connection: it is written only once it has one,
        // right after this event, so a deadline that passed meanwhile still stops it unsent.
        outgoing.once('socket', () => {
          if (remoteCallAborted(signal)) outgoing.destroy(new NetworkFailure(`not sent: ${abortText(signal)}`));
        });
      }
      outgoing.end(body);
    });
  }
}

function abortText(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason.message : 'the call was aborted';
}

function describeNetworkError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code}: ${error.message}` : error.message || 'connection failed';
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
