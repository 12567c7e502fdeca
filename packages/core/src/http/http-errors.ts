import { ConflictError, PermanentError, TransientError, type ProvisioningError, type ProvisioningErrorKind } from '../errors.js';

/**
 * The usual meaning of an HTTP status for provisioning: 408, 429 and 5xx (but 501, which
 * no retry changes) are worth retrying, 409 means the account exists, the rest needs a human.
 */
export function httpStatusKind(status: number): ProvisioningErrorKind {
  if (status === 408 || status === 429 || (status >= 500 && status !== 501)) return 'transient';
  if (status === 409) return 'conflict';
  return 'permanent';
}

export interface ProvisioningErrorDetails {
  remoteCode?: string | number;
  /** From Retry-After (parseRetryAfter); kept only on a transient error. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** The error class of `kind`, for connectors that classify first and build the message after. */
export function provisioningError(kind: ProvisioningErrorKind, message: string, details: ProvisioningErrorDetails = {}): ProvisioningError {
  const { retryAfterMs, ...options } = details;
  if (kind === 'transient') return new TransientError(message, retryAfterMs === undefined ? options : { ...options, retryAfterMs });
  if (kind === 'conflict') return new ConflictError(message, options);
  return new PermanentError(message, options);
}
