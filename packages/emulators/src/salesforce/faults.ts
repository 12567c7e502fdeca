// Fault injection for the REST API: added latency, bursts of failures
// (503 SERVER_UNAVAILABLE by default), the daily API limit running out, and
// sessions expiring all at once.
import { type RestErrorItem, SalesforceRestError, restErrors } from './errors.js';

export interface InjectedFailure {
  status: number;
  errorCode: string;
  message: string;
}

export interface FaultSnapshot {
  latencyMs: number;
  pendingFailures: number;
  /** Calls still allowed before REQUEST_LIMIT_EXCEEDED; null = no injected limit. */
  callsBeforeLimitExceeded: number | null;
}

/** The body of POST /__emulator/faults. Every key is optional. */
export interface FaultCommand {
  reset?: boolean;
  latencyMs?: number;
  serviceUnavailable?: number;
  failNext?: { count: number; status: number; errorCode: string; message?: string };
  requestLimitExceededAfter?: number;
  expireTokens?: boolean;
}

const SERVER_UNAVAILABLE: InjectedFailure = {
  status: 503,
  errorCode: 'SERVER_UNAVAILABLE',
  message: 'Server temporarily unavailable. Please try again later.',
};

const MAX_QUEUED_FAILURES = 100_000;

export class SalesforceFaults {
  private latency = 0;
  private failures: InjectedFailure[] = [];
  private callsBeforeLimit: number | null = null;

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

  /** Every issued access token becomes invalid now (next call: 401 INVALID_SESSION_ID). */
  expireAllTokens(): number {
    return this.expireSessions();
  }

  reset(): this {
    this.latency = 0;
    this.failures = [];
    this.callsBeforeLimit = null;
    return this;
  }

  snapshot(): FaultSnapshot {
    return { latencyMs: this.latency, pendingFailures: this.failures.length, callsBeforeLimitExceeded: this.callsBeforeLimit };
  }

  apply(command: FaultCommand): FaultSnapshot {
    if (command.reset) this.reset();
    if (typeof command.latencyMs === 'number') this.setLatency(command.latencyMs);
    if (typeof command.serviceUnavailable === 'number') this.serviceUnavailable(command.serviceUnavailable);
    if (command.failNext) {
      const { count, status, errorCode, message } = command.failNext;
      this.failNext(count, { status, errorCode, message: message ?? errorCode });
    }
    if (typeof command.requestLimitExceededAfter === 'number') this.requestLimitExceededAfter(command.requestLimitExceededAfter);
    if (command.expireTokens) this.expireAllTokens();
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
    const failure = this.failures.shift();
    if (failure) {
      const item: RestErrorItem = { errorCode: failure.errorCode, message: failure.message };
      throw new SalesforceRestError(failure.status, [item]);
    }
  }
}
