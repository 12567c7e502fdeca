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

export interface GoogleApiErrorOptions {
  domain?: string;
  /** The `errors[0].message`, when Google words it differently from the top-level message. */
  itemMessage?: string;
  location?: string;
  locationType?: string;
  headers?: Record<string, string>;
}

export class GoogleApiError extends Error {
  readonly headers: Record<string, string>;

  constructor(
    readonly code: number,
    message: string,
    readonly reason: string,
    private readonly options: GoogleApiErrorOptions = {},
  ) {
    super(message);
    this.name = 'GoogleApiError';
    this.headers = options.headers ?? {};
  }

  toBody(): GoogleErrorBody {
    const { domain = 'global', itemMessage = this.message, location, locationType } = this.options;
    const item: GoogleErrorItem = { message: itemMessage, domain, reason: this.reason };
    if (location) item.location = location;
    if (locationType) item.locationType = locationType;
    return { error: { code: this.code, message: this.message, errors: [item], status: STATUS_BY_CODE[this.code] ?? 'UNKNOWN' } };
  }
}

const CREDENTIAL_HINT =
  'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
const AUTH_HEADER = { location: 'Authorization', locationType: 'header' };

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
    new GoogleApiError(401, `Request is missing required authentication credential. ${CREDENTIAL_HINT}`, 'required', {
      itemMessage: 'Login Required.',
      ...AUTH_HEADER,
      headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' },
    }),
  invalidCredentials: () =>
    new GoogleApiError(401, `Request had invalid authentication credentials. ${CREDENTIAL_HINT}`, 'authError', {
      itemMessage: 'Invalid Credentials',
      ...AUTH_HEADER,
      headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
    }),
  insufficientScopes: (requiredScopes: readonly string[]) =>
    new GoogleApiError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions', {
      itemMessage: 'Insufficient Permission',
      headers: {
        'www-authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${requiredScopes.join(' ')}"`,
      },
    }),
  notAuthorized: () => new GoogleApiError(403, 'Not Authorized to access this resource/api', 'forbidden'),
  forbidden: (message: string) => new GoogleApiError(403, message, 'forbidden'),
  userRateLimitExceeded: (projectNumber: string) =>
    new GoogleApiError(
      403,
      `Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com' for consumer 'project_number:${projectNumber}'.`,
      'userRateLimitExceeded',
      { domain: 'usageLimits' },
    ),
  rateLimitExceeded: (retryAfterSec?: number) =>
    new GoogleApiError(429, 'Resource has been exhausted (e.g. check quota).', 'rateLimitExceeded', {
      domain: 'usageLimits',
      headers: retryAfterSec === undefined ? {} : { 'retry-after': String(retryAfterSec) },
    }),
  backendError: (code: 500 | 503 = 503, retryAfterSec?: number) => {
    const headers: Record<string, string> = retryAfterSec === undefined ? {} : { 'retry-after': String(retryAfterSec) };
    return code === 503
      ? new GoogleApiError(503, 'The service is currently unavailable.', 'backendError', { headers })
      : new GoogleApiError(500, 'Internal error encountered.', 'backendError', { headers });
  },
};
