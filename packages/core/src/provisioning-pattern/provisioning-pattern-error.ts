/** A pattern the manifest cannot use, or a user it cannot build an id for. */
export class ProvisioningPatternError extends Error {
  override readonly name = 'ProvisioningPatternError';
}
