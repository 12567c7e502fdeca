import { classifyError, type ProvisioningError } from '../errors.js';

/** A failure that speaks for the whole target, not for one job: retrying the job alone cannot fix it. */
export type TargetFailure = 'authentication refused' | 'permission denied' | 'target unreachable';

/** OAuth token endpoint errors (RFC 6749 §5.2) that refuse the client itself, and Salesforce's refused session. */
const OAUTH_REFUSALS = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client', 'access_denied', 'INVALID_SESSION_ID']);
/** Socket-level codes: no answer from the target at all. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'UND_ERR_CONNECT_TIMEOUT',
  'TimeoutError',
]);

/**
 * Reads a connector's classified error (its `remoteCode`: HTTP status, OAuth error
 * or socket code) for what it says about the target. A validation error, a conflict
 * or a 5xx of one call is the job's business, not the target's (undefined).
 */
export function targetFailureOf(error: unknown): TargetFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as Partial<ProvisioningError>).remoteCode;
  const kind = classifyError(error);
  if (kind === 'conflict' || code === undefined) return undefined;
  if (code === 401 || (typeof code === 'string' && OAUTH_REFUSALS.has(code))) return 'authentication refused';
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return 'target unreachable';
  if (code === 403 && kind === 'permanent') return 'permission denied';
  return undefined;
}
