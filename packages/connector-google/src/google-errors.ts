import {
  ConflictError,
  PermanentError,
  TransientError,
  httpStatusKind,
  parseRetryAfter,
  provisioningError,
  type ProvisioningError,
} from '@provisio/core';

/** A failed answer from Google, whether from a googleapis call, the token endpoint or one batch part. */
export interface GoogleFailure {
  status?: number;
  /** The parsed JSON body: `{ error: { code, message, errors: [{ reason }] } }` or OAuth's `{ error, error_description }`. */
  body?: unknown;
  headers?: { get(name: string): string | null };
  /** Network-level code (ECONNREFUSED, TimeoutError) when there was no answer. */
  networkCode?: string;
}

/** Who is asking: used to write messages an administrator can act on. */
export interface ErrorContext {
  serviceAccountEmail: string;
  adminEmail: string;
  scopes: readonly string[];
}

const RATE_LIMIT_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded', 'dailyLimitExceeded', 'backendError']);

interface ApiErrorBody {
  message: string;
  reason?: string;
}

function apiError(body: unknown): ApiErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { message, errors } = error as { message?: unknown; errors?: unknown };
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  const reason = typeof first === 'object' && first !== null ? (first as { reason?: unknown }).reason : undefined;
  return { message: typeof message === 'string' ? message : 'no message', reason: typeof reason === 'string' ? reason : undefined };
}

/** OAuth token endpoint errors are `{ error: "invalid_grant", error_description }`. */
function oauthError(body: unknown): { error: string; description: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
  if (typeof error !== 'string') return undefined;
  return { error, description: typeof description === 'string' ? description : '' };
}

export function delegationHint(ctx: ErrorContext): string {
  return (
    `In the Google Admin console (Security > Access and data control > API controls > Domain-wide delegation), ` +
    `authorize the client ID of ${ctx.serviceAccountEmail} for the scopes ${ctx.scopes.join(',')}, ` +
    `and make sure ${ctx.adminEmail} is a super administrator of the domain`
  );
}

/** Is this a 401 "Invalid Credentials" from the API (a revoked or expired access token)? */
export function isInvalidCredentials(failure: GoogleFailure): boolean {
  return failure.status === 401 && apiError(failure.body) !== undefined;
}

/** Maps Google's answer (or its absence) to the pipeline's transient / permanent / conflict. */
export function classifyGoogleFailure(failure: GoogleFailure, operation: string, ctx: ErrorContext): ProvisioningError {
  const { status } = failure;
  const remoteCode = status ?? failure.networkCode;
  if (status === undefined) {
    return new TransientError(`${operation}: Google did not answer (${failure.networkCode ?? 'network error'})`, { remoteCode });
  }
  const oauth = oauthError(failure.body);
  if (oauth) return classifyTokenError(status, oauth, operation, ctx);

  const api = apiError(failure.body);
  const reason = api?.reason;
  const described = `${operation}: Google answered ${status}${reason ? ` ${reason}` : ''}: ${api?.message ?? 'no error body'}`;
  const wait = parseRetryAfter(failure.headers?.get('retry-after'), Date.now());
  const kind = httpStatusKind(status);
  // Core's builder keeps the wait only when Google named one.
  const transient = (message: string) => provisioningError('transient', message, { remoteCode, retryAfterMs: wait });

  if (kind === 'conflict' || reason === 'duplicate') return new ConflictError(described, { remoteCode });
  if (kind === 'transient' || (reason !== undefined && RATE_LIMIT_REASONS.has(reason))) return transient(described);
  if (status === 401) return transient(`${described} (the access token was refused even after fetching a new one)`);
  if (status === 403 && reason === 'insufficientPermissions') {
    return new PermanentError(`${described}. The access token lacks a needed scope: ${delegationHint(ctx)}`, { remoteCode });
  }
  if (status === 403) return new PermanentError(`${described}. ${delegationHint(ctx)}`, { remoteCode });
  return new PermanentError(described, { remoteCode });
}

function classifyTokenError(
  status: number,
  oauth: { error: string; description: string },
  operation: string,
  ctx: ErrorContext,
): ProvisioningError {
  const described = `${operation}: Google's token endpoint answered ${status} ${oauth.error}${oauth.description ? `: ${oauth.description}` : ''}`;
  const remoteCode = oauth.error;
  if (httpStatusKind(status) === 'transient') return new TransientError(described, { remoteCode });
  switch (oauth.error) {
    case 'unauthorized_client':
      return new PermanentError(`${described}. Domain-wide delegation is missing or incomplete. ${delegationHint(ctx)}`, { remoteCode });
    case 'invalid_grant':
      return new PermanentError(
        `${described}. Check that the private key belongs to ${ctx.serviceAccountEmail} and is not deleted, ` +
          `that ${ctx.adminEmail} exists in the domain, and that the server clock is correct`,
        { remoteCode },
      );
    case 'invalid_scope':
      return new PermanentError(`${described}. Check the configured scopes: ${ctx.scopes.join(' ')}`, { remoteCode });
    default:
      return new PermanentError(described, { remoteCode });
  }
}

interface GaxiosLike {
  status?: unknown;
  code?: unknown;
  response?: { status?: unknown; data?: unknown; headers?: unknown };
}

function hasGet(value: unknown): value is { get(name: string): string | null } {
  return typeof value === 'object' && value !== null && typeof (value as { get?: unknown }).get === 'function';
}

/** Reads a thrown GaxiosError (or anything else) into a GoogleFailure, keeping no request data. */
export function failureOf(error: unknown): GoogleFailure {
  if (typeof error !== 'object' || error === null) return { networkCode: 'unknown error' };
  const { response, status, code } = error as GaxiosLike;
  const httpStatus = typeof response?.status === 'number' ? response.status : typeof status === 'number' ? status : undefined;
  if (httpStatus === undefined) {
    const networkCode = typeof code === 'string' ? code : error instanceof Error ? error.name : 'network error';
    return { networkCode };
  }
  return { status: httpStatus, body: response?.data, ...(hasGet(response?.headers) ? { headers: response.headers } : {}) };
}
