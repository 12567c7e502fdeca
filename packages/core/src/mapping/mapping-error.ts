export interface MappingIssue {
  /** Where in the manifest, e.g. `mapping.Alias`. */
  field: string;
  message: string;
}

/** Every problem of a mapping at once, so a manifest can be fixed in one pass. */
export class MappingError extends Error {
  override readonly name = 'MappingError';

  constructor(readonly issues: readonly MappingIssue[]) {
    super(issues.map((issue) => `${issue.field}: ${issue.message}`).join('\n'));
  }
}
