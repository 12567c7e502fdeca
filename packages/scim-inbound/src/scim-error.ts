import { IdentityError, isScimFilterError, isStoreUnavailableError } from '@provisio/core/engine';

/** RFC 7644 §3.12 error types. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** An answer that is not a success: carries the HTTP status and, for 400s, the RFC's scimType. */
export class ScimError extends Error {
  override readonly name = 'ScimError';
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const badRequest = (scimType: ScimType, detail: string) => new ScimError(400, scimType, detail);
export const notFound = (detail: string) => new ScimError(404, undefined, detail);

/** Maps whatever a handler threw to a ScimError; unknown errors become a 500 without details (logged by the caller). */
export function toScimError(error: unknown): ScimError {
  if (error instanceof ScimError) return error;
  if (isScimFilterError(error)) return badRequest(error.scimType, error.message);
  if (error instanceof IdentityError) {
    switch (error.kind) {
      case 'notFound':
        return notFound(error.message);
      case 'uniqueness':
        return new ScimError(409, 'uniqueness', error.message);
      case 'preconditionFailed':
        return new ScimError(412, undefined, error.message);
      case 'invalidValue':
        return badRequest('invalidValue', error.message);
      case 'busy':
        return new ScimError(503, undefined, error.message, { 'Retry-After': '1' });
    }
  }
  // Disk full, read-only database: nothing was saved, and the client should come back later.
  if (isStoreUnavailableError(error))
    return new ScimError(
      503,
      undefined,
      'the change could not be stored: the server cannot reach or write its database (down, disk full or read-only); nothing was saved, try again later',
      { 'Retry-After': '30' },
    );
  return new ScimError(500, undefined, 'internal error');
}

export function v2ErrorBody(error: ScimError): Record<string, unknown> {
  return {
    schemas: [ERROR_SCHEMA],
    status: String(error.status),
    ...(error.scimType ? { scimType: error.scimType } : {}),
    detail: error.detail,
  };
}

/** SCIM 1.1 error body (draft-scim-api-01 §3.9). */
export function v1ErrorBody(error: ScimError): Record<string, unknown> {
  return { Errors: [{ description: error.detail, code: String(error.status) }] };
}
