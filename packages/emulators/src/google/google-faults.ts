// Fault injection for the Directory API: latency, bursts of 5xx backendError, 429 rateLimitExceeded
// (both optionally with Retry-After), revocation of every issued token, responses lost after the call
// was carried out, and users whose writes Google refuses.
import { GoogleApiError, googleErrors } from './google-errors.js';
import type { GoogleTokenStore } from './google-token-store.js';

export interface GoogleFaultSnapshot {
  latencyMs: number;
  pendingBackendErrors: number;
  /** When the injected outage ends (ISO time), if there is one. */
  backendErrorsUntil?: string;
  backendErrorStatus: 500 | 503;
  pendingRateLimits: number;
  retryAfterSec?: number;
  backendRetryAfterSec?: number;
  /** API requests still to be carried out with their response dropped. */
  pendingDrops: number;
  /** Addresses (lower case) whose user writes are refused. */
  refusedUsers: string[];
  /** The service accounts' keys are revoked: the token endpoint refuses every assertion. */
  keysRevoked: boolean;
}

/**
 * How Google refuses writes of one user (a policy, a missing privilege): its JSON error envelope
 * with this status, reason `invalid` for 400 and `forbidden` for 403, and this message.
 */
export interface UserRefusal {
  status: 400 | 403;
  message: string;
}

export interface GoogleFaultCommand {
  latencyMs?: number;
  backendErrors?: number;
  /** Every API call answers `backendErrorStatus` for this many milliseconds. */
  backendErrorsForMs?: number;
  backendErrorStatus?: 500 | 503;
  /** Retry-After of the injected backend errors. */
  backendRetryAfterSec?: number;
  rateLimits?: number;
  retryAfterSec?: number;
  revokeTokens?: boolean;
  /** true: revoke every service account key (and the tokens issued); false: restore them. */
  keysRevoked?: boolean;
  dropNextResponses?: number;
  refuseUser?: { email: string } & UserRefusal;
  reset?: boolean;
}

export class GoogleFaults {
  private latency: number;
  private backendErrors = 0;
  private backendErrorsUntil = 0;
  private backendErrorStatus: 500 | 503 = 503;
  private rateLimits = 0;
  private retryAfterSec: number | undefined;
  private backendRetryAfterSec: number | undefined;
  private drops = 0;
  private readonly refusals = new Map<string, UserRefusal>();
  private revokedKeys = false;

  constructor(
    private readonly baseLatencyMs: number,
    private readonly tokens: GoogleTokenStore,
    private readonly now: () => number = Date.now,
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

  /** The next `count` API calls answer 503 (or 500) `backendError`, with Retry-After when given. */
  failNext(count: number, status: 500 | 503 = 503, retryAfterSec?: number): void {
    this.backendErrors = Math.max(0, Math.floor(count));
    this.backendErrorStatus = status;
    this.backendRetryAfterSec = retryAfterSec;
  }

  /** Every API call answers 503 (or 500) `backendError` for the next `ms` milliseconds, then Google heals by itself. */
  failFor(ms: number, status: 500 | 503 = 503, retryAfterSec?: number): void {
    this.backendErrorsUntil = this.now() + Math.max(0, ms);
    this.backendErrorStatus = status;
    this.backendRetryAfterSec = retryAfterSec;
  }

  /** The next `count` API calls answer 429 `rateLimitExceeded`, with Retry-After when given. */
  rateLimitNext(count: number, retryAfterSec?: number): void {
    this.rateLimits = Math.max(0, Math.floor(count));
    this.retryAfterSec = retryAfterSec;
  }

  /**
   * The next `count` API requests (a Directory call or a whole batch) are carried out, then the
   * connection is destroyed before any byte of the answer: the client cannot know what happened.
   */
  dropNextResponses(count = 1): void {
    this.drops = Math.max(0, Math.floor(count));
  }

  /** users.insert, users.update, users.patch and users.delete of this address answer `refusal`, until reset. */
  refuseUser(email: string, refusal: UserRefusal): void {
    this.refusals.set(email.toLowerCase(), { status: refusal.status, message: refusal.message });
  }

  /** Every issued access token stops working (401 Invalid Credentials) until a new one is fetched. */
  revokeTokens(): void {
    this.tokens.revokeAll();
  }

  /**
   * The service accounts' keys are deleted in the Admin console: the token endpoint answers
   * `invalid_grant` (Invalid JWT Signature) to every assertion, and the tokens already issued
   * stop working too, so every call fails until `restoreServiceAccountKeys`.
   */
  revokeServiceAccountKeys(): void {
    this.revokedKeys = true;
    this.tokens.revokeAll();
  }

  /** The keys work again (a new key was uploaded): the next token request succeeds. */
  restoreServiceAccountKeys(): void {
    this.revokedKeys = false;
  }

  get keysRevoked(): boolean {
    return this.revokedKeys;
  }

  reset(): void {
    this.revokedKeys = false;
    this.latency = this.baseLatencyMs;
    this.backendErrors = 0;
    this.backendErrorsUntil = 0;
    this.rateLimits = 0;
    this.retryAfterSec = undefined;
    this.backendRetryAfterSec = undefined;
    this.drops = 0;
    this.refusals.clear();
  }

  apply(command: GoogleFaultCommand): void {
    if (command.reset) this.reset();
    if (command.latencyMs !== undefined) this.setLatency(command.latencyMs);
    if (command.backendErrors !== undefined) this.failNext(command.backendErrors, command.backendErrorStatus, command.backendRetryAfterSec);
    if (command.backendErrorsForMs !== undefined)
      this.failFor(command.backendErrorsForMs, command.backendErrorStatus, command.backendRetryAfterSec);
    if (command.rateLimits !== undefined) this.rateLimitNext(command.rateLimits, command.retryAfterSec);
    if (command.revokeTokens) this.revokeTokens();
    if (command.keysRevoked === true) this.revokeServiceAccountKeys();
    if (command.keysRevoked === false) this.restoreServiceAccountKeys();
    if (command.dropNextResponses !== undefined) this.dropNextResponses(command.dropNextResponses);
    if (command.refuseUser) this.refuseUser(command.refuseUser.email, command.refuseUser);
  }

  /** Consumes one pending injected failure, if any. */
  takeApiFault(): GoogleApiError | undefined {
    if (this.now() < this.backendErrorsUntil) return googleErrors.backendError(this.backendErrorStatus, this.backendRetryAfterSec);
    if (this.backendErrors > 0) {
      this.backendErrors--;
      return googleErrors.backendError(this.backendErrorStatus, this.backendRetryAfterSec);
    }
    if (this.rateLimits > 0) {
      this.rateLimits--;
      return googleErrors.rateLimitExceeded(this.retryAfterSec);
    }
    return undefined;
  }

  /** Consumes one pending drop: true when this request's answer must be lost. */
  takeDrop(): boolean {
    if (this.drops <= 0) return false;
    this.drops--;
    return true;
  }

  /** The refusal of writes of the user with this address, if one is set. */
  userRefusal(email: string | undefined): GoogleApiError | undefined {
    const refusal = email === undefined ? undefined : this.refusals.get(email.toLowerCase());
    if (!refusal) return undefined;
    return refusal.status === 400 ? googleErrors.invalid(refusal.message) : googleErrors.forbidden(refusal.message);
  }

  snapshot(): GoogleFaultSnapshot {
    return {
      latencyMs: this.latency,
      pendingBackendErrors: this.backendErrors,
      ...(this.backendErrorsUntil > this.now() ? { backendErrorsUntil: new Date(this.backendErrorsUntil).toISOString() } : {}),
      backendErrorStatus: this.backendErrorStatus,
      pendingRateLimits: this.rateLimits,
      ...(this.retryAfterSec === undefined ? {} : { retryAfterSec: this.retryAfterSec }),
      ...(this.backendRetryAfterSec === undefined ? {} : { backendRetryAfterSec: this.backendRetryAfterSec }),
      pendingDrops: this.drops,
      refusedUsers: [...this.refusals.keys()],
      keysRevoked: this.revokedKeys,
    };
  }
}
