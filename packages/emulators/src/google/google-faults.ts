// Fault injection for the Directory API in the emulators' common vocabulary (../faults), rendered as
// Google answers: 503/500 `backendError`, 429 `rateLimitExceeded` (both with Retry-After when asked
// for), 401 Invalid Credentials, and Google's JSON envelope with the reason Google uses for each status.
// Google's own extra: the service accounts' keys revoked (the token endpoint refuses every assertion).
import { FaultSchedule, type FaultScheduleSnapshot, type InjectedFailure } from '../faults/fault-schedule.js';
import { GoogleApiError, googleErrors } from './google-errors.js';
import type { GoogleTokenStore } from './google-token-store.js';

export interface GoogleFaultSnapshot extends FaultScheduleSnapshot {
  /** The service accounts' keys are revoked: the token endpoint refuses every assertion. */
  keysRevoked: boolean;
}

export class GoogleFaults extends FaultSchedule {
  private revokedKeys = false;

  constructor(
    baseLatencyMs: number,
    private readonly tokens: GoogleTokenStore,
    now: () => number = Date.now,
  ) {
    super({ baseLatencyMs, expireTokens: () => tokens.revokeAll(), now });
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

  override reset(): void {
    super.reset();
    this.revokedKeys = false;
  }

  override snapshot(): GoogleFaultSnapshot {
    return { ...super.snapshot(), keysRevoked: this.revokedKeys };
  }

  /** Consumes the failure this API call must answer with, if any. */
  takeApiFault(): GoogleApiError | undefined {
    const failure = this.takeFailure();
    return failure === undefined ? undefined : apiError(failure);
  }

  /** The refusal of writes of the user with this address, if one is set: `invalid` for 400, `forbidden` for 403. */
  userRefusal(email: string | undefined): GoogleApiError | undefined {
    const refusal = this.refusalOf(email);
    if (!refusal) return undefined;
    const message = refusal.message ?? `Not allowed to write ${String(email)}`;
    return new GoogleApiError(refusal.status, message, refusal.code ?? (refusal.status === 400 ? 'invalid' : 'forbidden'));
  }
}

function apiError(failure: InjectedFailure): GoogleApiError {
  const { status, retryAfterSec, code, message } = failure;
  const headers: Record<string, string> = retryAfterSec === undefined ? {} : { 'retry-after': String(retryAfterSec) };
  if (code === undefined && message === undefined) {
    if (status === 429) return googleErrors.rateLimitExceeded(retryAfterSec);
    if (status === 500 || status === 503) return googleErrors.backendError(status, retryAfterSec);
    if (status === 401) return googleErrors.invalidCredentials();
  }
  const reason = code ?? REASON_BY_STATUS[status] ?? 'backendError';
  return new GoogleApiError(status, message ?? reason, reason, { headers, ...(status === 429 ? { domain: 'usageLimits' } : {}) });
}

const REASON_BY_STATUS: Record<number, string> = {
  400: 'invalid',
  401: 'authError',
  403: 'forbidden',
  404: 'notFound',
  409: 'duplicate',
  429: 'rateLimitExceeded',
};
