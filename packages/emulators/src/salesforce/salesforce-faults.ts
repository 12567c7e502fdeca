// Fault injection for the REST API: added latency, bursts of failures
// (503 SERVER_UNAVAILABLE by default, optionally with Retry-After), the daily
// API limit running out, sessions expiring all at once, responses lost after
// the call was carried out, and usernames whose writes the org refuses.
import { type RestErrorItem, SalesforceRestError, restErrors } from './errors.js';

export interface InjectedFailure {
  status: number;
  errorCode: string;
  message: string;
  /** Sent as `Retry-After: <seconds>` (Salesforce sends none by itself). */
  retryAfterSec?: number;
}

/**
 * How the org refuses writes of one username, as a validation rule or missing
 * permissions would: the REST error array `[{message, errorCode, fields: []}]`
 * with this status on the single-record endpoints, and a failed SaveResult
 * (`{success: false, errors: [{statusCode, message, fields}]}`) inside an
 * sObject Collections answer.
 */
export interface UsernameRefusal {
  status: 400 | 403;
  message: string;
  /** Default: FIELD_CUSTOM_VALIDATION_EXCEPTION for 400 (a validation rule), INSUFFICIENT_ACCESS for 403. */
  errorCode?: string;
}

export interface FaultSnapshot {
  latencyMs: number;
  pendingFailures: number;
  /** When the injected outage ends (ISO time); null when there is none. */
  unavailableUntil: string | null;
  /** Calls still allowed before REQUEST_LIMIT_EXCEEDED; null = no injected limit. */
  callsBeforeLimitExceeded: number | null;
  /** REST calls still to be carried out with their response dropped. */
  pendingDrops: number;
  /** Usernames (lower case) whose writes are refused. */
  refusedUsernames: string[];
}

/** The body of POST /__emulator/faults. Every key is optional. */
export interface FaultCommand {
  reset?: boolean;
  latencyMs?: number;
  serviceUnavailable?: number;
  /** Every REST call answers 503 SERVER_UNAVAILABLE for this many milliseconds. */
  serviceUnavailableForMs?: number;
  failNext?: { count: number; status: number; errorCode: string; message?: string; retryAfterSec?: number };
  requestLimitExceededAfter?: number;
  expireTokens?: boolean;
  dropNextResponses?: number;
  refuseUsername?: { username: string; status: 400 | 403; message: string; errorCode?: string };
}

const SERVER_UNAVAILABLE: InjectedFailure = {
  status: 503,
  errorCode: 'SERVER_UNAVAILABLE',
  message: 'Server temporarily unavailable. Please try again later.',
};

const MAX_QUEUED_FAILURES = 100_000;

const DEFAULT_REFUSAL_CODE: Record<UsernameRefusal['status'], string> = {
  400: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  403: 'INSUFFICIENT_ACCESS',
};

export class SalesforceFaults {
  private latency = 0;
  private failures: InjectedFailure[] = [];
  private unavailableUntil = 0;
  private callsBeforeLimit: number | null = null;
  private drops = 0;
  private readonly refusals = new Map<string, Required<UsernameRefusal>>();

  constructor(private readonly expireSessions: () => number) {}

  /** Milliseconds added before every REST and token call. */
  setLatency(ms: number): this {
    this.latency = Math.max(0, Math.floor(ms));
    return this;
  }

  /** The next `count` REST calls answer 503 SERVER_UNAVAILABLE. */
  serviceUnavailable(count: number): this {
    return this.failNext(count, SERVER_UNAVAILABLE);
  }

  /** Every REST call answers 503 SERVER_UNAVAILABLE for the next `ms` milliseconds, then the org heals by itself. */
  serviceUnavailableFor(ms: number): this {
    this.unavailableUntil = Date.now() + Math.max(0, ms);
    return this;
  }

  /** The next `count` REST calls answer with this status and error code. */
  failNext(count: number, failure: InjectedFailure): this {
    const n = Math.min(Math.max(0, Math.floor(count)), MAX_QUEUED_FAILURES - this.failures.length);
    for (let i = 0; i < n; i++) this.failures.push({ ...failure });
    return this;
  }

  /** After `calls` more REST calls, every call answers 403 REQUEST_LIMIT_EXCEEDED until reset. */
  requestLimitExceededAfter(calls: number): this {
    this.callsBeforeLimit = Math.max(0, Math.floor(calls));
    return this;
  }

  /**
   * The next `count` REST calls are carried out (records written, limits counted),
   * then the connection is destroyed before any byte of the answer: the client
   * cannot know whether its call took effect.
   */
  dropNextResponses(count = 1): this {
    this.drops = Math.min(Math.max(0, Math.floor(count)), MAX_QUEUED_FAILURES);
    return this;
  }

  /** Creates and updates of the User with this Username (any case) fail as `refusal` says, until reset. */
  refuseUsername(username: string, refusal: UsernameRefusal): this {
    this.refusals.set(username.toLowerCase(), {
      status: refusal.status,
      message: refusal.message,
      errorCode: refusal.errorCode ?? DEFAULT_REFUSAL_CODE[refusal.status],
    });
    return this;
  }

  /** Every issued access token becomes invalid now (next call: 401 INVALID_SESSION_ID). */
  expireAllTokens(): number {
    return this.expireSessions();
  }

  reset(): this {
    this.latency = 0;
    this.failures = [];
    this.unavailableUntil = 0;
    this.callsBeforeLimit = null;
    this.drops = 0;
    this.refusals.clear();
    return this;
  }

  snapshot(): FaultSnapshot {
    return {
      latencyMs: this.latency,
      pendingFailures: this.failures.length,
      unavailableUntil: this.unavailableUntil > Date.now() ? new Date(this.unavailableUntil).toISOString() : null,
      callsBeforeLimitExceeded: this.callsBeforeLimit,
      pendingDrops: this.drops,
      refusedUsernames: [...this.refusals.keys()],
    };
  }

  apply(command: FaultCommand): FaultSnapshot {
    if (command.reset) this.reset();
    if (typeof command.latencyMs === 'number') this.setLatency(command.latencyMs);
    if (typeof command.serviceUnavailable === 'number') this.serviceUnavailable(command.serviceUnavailable);
    if (typeof command.serviceUnavailableForMs === 'number') this.serviceUnavailableFor(command.serviceUnavailableForMs);
    if (command.failNext) {
      const { count, status, errorCode, message, retryAfterSec } = command.failNext;
      this.failNext(count, { status, errorCode, message: message ?? errorCode, ...(retryAfterSec === undefined ? {} : { retryAfterSec }) });
    }
    if (typeof command.requestLimitExceededAfter === 'number') this.requestLimitExceededAfter(command.requestLimitExceededAfter);
    if (command.expireTokens) this.expireAllTokens();
    if (typeof command.dropNextResponses === 'number') this.dropNextResponses(command.dropNextResponses);
    if (command.refuseUsername) {
      const { username, ...refusal } = command.refuseUsername;
      this.refuseUsername(username, refusal);
    }
    return this.snapshot();
  }

  /** @internal used by the router */
  latencyMs(): number {
    return this.latency;
  }

  /** @internal throws the fault this REST call must answer with, if any. */
  throwIfFaulted(): void {
    if (this.callsBeforeLimit !== null) {
      if (this.callsBeforeLimit === 0) throw restErrors.requestLimitExceeded();
      this.callsBeforeLimit--;
    }
    const failure = Date.now() < this.unavailableUntil ? SERVER_UNAVAILABLE : this.failures.shift();
    if (failure) {
      const item: RestErrorItem = { errorCode: failure.errorCode, message: failure.message };
      const headers: Record<string, string> =
        failure.retryAfterSec === undefined ? {} : { 'Retry-After': String(Math.max(0, Math.floor(failure.retryAfterSec))) };
      throw new SalesforceRestError(failure.status, [item], headers);
    }
  }

  /** @internal true when this REST call's answer must be dropped (consumes one). */
  takeDrop(): boolean {
    if (this.drops <= 0) return false;
    this.drops--;
    return true;
  }

  /** @internal the refusal for a write of this Username, if one is set. */
  refusalFor(username: unknown): Required<UsernameRefusal> | undefined {
    return typeof username === 'string' ? this.refusals.get(username.toLowerCase()) : undefined;
  }
}
