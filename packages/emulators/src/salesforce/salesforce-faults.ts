// Fault injection for the REST API in the emulators' common vocabulary (../faults), rendered as
// Salesforce answers: the REST error array with an `errorCode` (503 SERVER_UNAVAILABLE by default),
// Retry-After when asked for (Salesforce sends none by itself), refused usernames as a validation
// rule or missing permissions would refuse them. Salesforce's own extra: the daily API limit running out.
import { FaultSchedule, type FaultScheduleSnapshot, type InjectedFailure } from '../faults/fault-schedule.js';
import { type RestErrorItem, SalesforceRestError, restErrors } from './errors.js';

export interface SalesforceFaultSnapshot extends FaultScheduleSnapshot {
  /** Calls still allowed before REQUEST_LIMIT_EXCEEDED; null = no injected limit. */
  callsBeforeLimitExceeded: number | null;
}

/** The errorCode Salesforce answers with for a status when the fault names none. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'INVALID_FIELD',
  401: 'INVALID_SESSION_ID',
  403: 'REQUEST_LIMIT_EXCEEDED',
  404: 'NOT_FOUND',
  429: 'REQUEST_LIMIT_EXCEEDED',
  500: 'UNKNOWN_EXCEPTION',
  503: 'SERVER_UNAVAILABLE',
};

const MESSAGE_BY_CODE: Record<string, string> = {
  SERVER_UNAVAILABLE: 'Server temporarily unavailable. Please try again later.',
  INVALID_SESSION_ID: 'Session expired or invalid',
  REQUEST_LIMIT_EXCEEDED: 'TotalRequests Limit exceeded.',
  UNKNOWN_EXCEPTION: 'An unexpected error occurred. Please include this ErrorId if you contact support.',
};

/** A refused write: FIELD_CUSTOM_VALIDATION_EXCEPTION for 400 (a validation rule), INSUFFICIENT_ACCESS for 403. */
const REFUSAL_CODE = { 400: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 403: 'INSUFFICIENT_ACCESS' } as const;

export interface UsernameRefusal {
  status: 400 | 403;
  message: string;
  errorCode: string;
}

export class SalesforceFaults extends FaultSchedule {
  private callsBeforeLimit: number | null = null;

  constructor(expireSessions: () => void, baseLatencyMs = 0) {
    super({ expireTokens: expireSessions, baseLatencyMs });
  }

  /** After `calls` more REST calls, every call answers 403 REQUEST_LIMIT_EXCEEDED until reset. */
  requestLimitExceededAfter(calls: number): void {
    this.callsBeforeLimit = Math.max(0, Math.floor(calls));
  }

  override reset(): void {
    super.reset();
    this.callsBeforeLimit = null;
  }

  override snapshot(): SalesforceFaultSnapshot {
    return { ...super.snapshot(), callsBeforeLimitExceeded: this.callsBeforeLimit };
  }

  /** @internal throws the fault this REST call must answer with, if any. */
  throwIfFaulted(): void {
    if (this.callsBeforeLimit !== null) {
      if (this.callsBeforeLimit === 0) throw restErrors.requestLimitExceeded();
      this.callsBeforeLimit--;
    }
    const failure = this.takeFailure();
    if (failure) throw restError(failure);
  }

  /** @internal the refusal for a write of this Username, if one is set. */
  refusalFor(username: unknown): UsernameRefusal | undefined {
    const refusal = this.refusalOf(username);
    if (!refusal) return undefined;
    return {
      status: refusal.status,
      message: refusal.message ?? `The org refuses writes of ${String(username)}`,
      errorCode: refusal.code ?? REFUSAL_CODE[refusal.status],
    };
  }
}

function restError(failure: InjectedFailure): SalesforceRestError {
  const errorCode = failure.code ?? CODE_BY_STATUS[failure.status] ?? 'UNKNOWN_EXCEPTION';
  const item: RestErrorItem = { errorCode, message: failure.message ?? MESSAGE_BY_CODE[errorCode] ?? errorCode };
  const headers: Record<string, string> = failure.retryAfterSec === undefined ? {} : { 'Retry-After': String(failure.retryAfterSec) };
  return new SalesforceRestError(failure.status, [item], headers);
}
