// Fault injection for the Directory API: latency, bursts of 5xx backendError, 429 rateLimitExceeded,
// and revocation of every issued token.
import { GoogleApiError, googleErrors } from './google-errors.js';
import type { GoogleTokenStore } from './google-token-store.js';

export interface GoogleFaultSnapshot {
  latencyMs: number;
  pendingBackendErrors: number;
  backendErrorStatus: 500 | 503;
  pendingRateLimits: number;
  retryAfterSec?: number;
}

export interface GoogleFaultCommand {
  latencyMs?: number;
  backendErrors?: number;
  backendErrorStatus?: 500 | 503;
  rateLimits?: number;
  retryAfterSec?: number;
  revokeTokens?: boolean;
  reset?: boolean;
}

export class GoogleFaults {
  private latency: number;
  private backendErrors = 0;
  private backendErrorStatus: 500 | 503 = 503;
  private rateLimits = 0;
  private retryAfterSec: number | undefined;

  constructor(
    private readonly baseLatencyMs: number,
    private readonly tokens: GoogleTokenStore,
  ) {
    this.latency = baseLatencyMs;
  }

  get latencyMs(): number {
    return this.latency;
  }

  /** Delay before every answer (token endpoint and API), in milliseconds. */
  setLatency(ms: number): void {
    this.latency = Math.max(0, ms);
  }

  /** The next `count` API calls answer 503 (or 500) `backendError`. */
  failNext(count: number, status: 500 | 503 = 503): void {
    this.backendErrors = Math.max(0, Math.floor(count));
    this.backendErrorStatus = status;
  }

  /** The next `count` API calls answer 429 `rateLimitExceeded`, with Retry-After when given. */
  rateLimitNext(count: number, retryAfterSec?: number): void {
    this.rateLimits = Math.max(0, Math.floor(count));
    this.retryAfterSec = retryAfterSec;
  }

  /** Every issued access token stops working (401 Invalid Credentials) until a new one is fetched. */
  revokeTokens(): void {
    this.tokens.revokeAll();
  }

  reset(): void {
    this.latency = this.baseLatencyMs;
    this.backendErrors = 0;
    this.rateLimits = 0;
    this.retryAfterSec = undefined;
  }

  apply(command: GoogleFaultCommand): void {
    if (command.reset) this.reset();
    if (command.latencyMs !== undefined) this.setLatency(command.latencyMs);
    if (command.backendErrors !== undefined) this.failNext(command.backendErrors, command.backendErrorStatus);
    if (command.rateLimits !== undefined) this.rateLimitNext(command.rateLimits, command.retryAfterSec);
    if (command.revokeTokens) this.revokeTokens();
  }

  /** Consumes one pending injected failure, if any. */
  takeApiFault(): GoogleApiError | undefined {
    if (this.backendErrors > 0) {
      this.backendErrors--;
      return googleErrors.backendError(this.backendErrorStatus);
    }
    if (this.rateLimits > 0) {
      this.rateLimits--;
      return googleErrors.rateLimitExceeded(this.retryAfterSec);
    }
    return undefined;
  }

  snapshot(): GoogleFaultSnapshot {
    return {
      latencyMs: this.latency,
      pendingBackendErrors: this.backendErrors,
      backendErrorStatus: this.backendErrorStatus,
      pendingRateLimits: this.rateLimits,
      ...(this.retryAfterSec === undefined ? {} : { retryAfterSec: this.retryAfterSec }),
    };
  }
}
