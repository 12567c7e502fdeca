// Public API of @provisio/scim-inbound.
export { scimRouter } from './scim-router.js';
export type { ScimRouterOptions, Principal, Authentication, AuthenticationRefusal } from './scim-router.js';
export { ScimError } from './scim-error.js';
export type { ScimType } from './scim-error.js';
export { scimInboundModule, SCIM_AUTHENTICATOR, SCIM_PATH_PREFIX } from './scim-inbound-module.js';
