/** The SCIM error types (RFC 7644 §3.12) a malformed filter or path maps to; inbound returns them as 400. */
export type ScimFilterErrorType = 'invalidFilter' | 'invalidPath';

export class ScimFilterError extends Error {
  override readonly name = 'ScimFilterError';

  constructor(
    readonly scimType: ScimFilterErrorType,
    /** 0-based character offset in the input where the problem was found. */
    readonly position: number,
    /** The problem alone, without the position suffix `message` carries. */
    readonly detail: string,
  ) {
    super(`${detail} (at position ${position})`);
  }
}

export function isScimFilterError(error: unknown): error is ScimFilterError {
  return error instanceof ScimFilterError;
}
