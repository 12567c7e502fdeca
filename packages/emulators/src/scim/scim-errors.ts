// One error type for every failure the emulator reports; each dialect renders it its own way.
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

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  get detail(): string {
    return this.message;
  }
}

export const badRequest = (scimType: ScimType, detail: string): ScimError => new ScimError(400, scimType, detail);
export const notFound = (detail: string): ScimError => new ScimError(404, undefined, detail);
export const conflict = (detail: string): ScimError => new ScimError(409, 'uniqueness', detail);

export const ERROR_SCHEMA_V2 = 'urn:ietf:params:scim:api:messages:2.0:Error';
