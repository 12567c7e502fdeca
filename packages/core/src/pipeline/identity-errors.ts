/** Why an identity write was refused; SCIM inbound maps these to 404 / 409 / 412 / 400, and `busy` (other processes kept changing it) to 503. */
export type IdentityErrorKind = 'notFound' | 'uniqueness' | 'preconditionFailed' | 'invalidValue' | 'provisioningFailed' | 'busy';

export class IdentityError extends Error {
  override readonly name = 'IdentityError';
  constructor(
    readonly kind: IdentityErrorKind,
    message: string,
  ) {
    super(message);
  }
}
