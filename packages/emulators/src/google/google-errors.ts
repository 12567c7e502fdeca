// Google's JSON error envelope, with the messages and reasons the real Directory API uses,
// so clients (gaxios' GaxiosError, our connector's error classifier) see exactly what production sends.

export interface GoogleErrorItem {
  message: string;
  domain: string;
  reason: string;
  location?: string;
  locationType?: string;
}

export interface GoogleErrorBody {
  error: { code: number; message: string; errors: GoogleErrorItem[]; status: string };
}

const STATUS_BY_CODE: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export class GoogleApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason: string,
    readonly domain = 'global',
    readonly extra: Partial<Pick<GoogleErrorItem, 'location' | 'locationType'>> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GoogleApiError';
  }

  toBody(): GoogleErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        errors: [{ message: this.message, domain: this.domain, reason: this.reason, ...this.extra }],
        status: STATUS_BY_CODE[this.code] ?? 'UNKNOWN',
      },
    };
  }
}

export type ResourceKeyName = 'userKey' | 'groupKey' | 'memberKey' | 'customerKey' | 'domainName' | 'alias';

export const googleErrors = {
  notFound: (key: ResourceKeyName) => new GoogleApiError(404, `Resource Not Found: ${key}`, 'notFound'),
  entityExists: () => new GoogleApiError(409, 'Entity already exists.', 'duplicate'),
  memberExists: () => new GoogleApiError(409, 'Member already exists.', 'duplicate'),
  invalid: (message: string) => new GoogleApiError(400, message, 'invalid'),
  required: (message: string) => new GoogleApiError(400, message, 'required'),
  badRequest: (message = 'Bad Request') => new GoogleApiError(400, message, 'badRequest'),
  invalidJson: (detail: string) => new GoogleApiError(400, `Invalid JSON payload received. ${detail}`, 'invalid'),
  invalidRange: (value: string, min: number, max: number) =>
    new GoogleApiError(400, `Invalid value '${value}'. Values must be within the range: [${min}, ${max}]`, 'invalid'),
  loginRequired: () =>
    new GoogleApiError(
      401,
      'Login Required.',
      'required',
      'global',
      { location: 'Authorization', locationType: 'header' },
      { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' },
    ),
  invalidCredentials: () =>
    new GoogleApiError(
      401,
      'Invalid Credentials',
      'authError',
      'global',
      { location: 'Authorization', locationType: 'header' },
      { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
    ),
  insufficientScopes: () => new GoogleApiError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions'),
  notAuthorized: () => new GoogleApiError(403, 'Not Authorized to access this resource/api', 'forbidden'),
  userRateLimitExceeded: (projectNumber: string) =>
    new GoogleApiError(
      403,
      `Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com' for consumer 'project_number:${projectNumber}'.`,
      'userRateLimitExceeded',
      'usageLimits',
    ),
  rateLimitExceeded: (retryAfterSec?: number) =>
    new GoogleApiError(
      429,
      'Resource has been exhausted (e.g. check quota).',
      'rateLimitExceeded',
      'usageLimits',
      {},
      retryAfterSec === undefined ? {} : { 'retry-after': String(retryAfterSec) },
    ),
  backendError: (code: 500 | 503 = 503) =>
    code === 503
      ? new GoogleApiError(503, 'The service is currently unavailable.', 'backendError')
      : new GoogleApiError(500, 'Internal error encountered.', 'backendError'),
};
