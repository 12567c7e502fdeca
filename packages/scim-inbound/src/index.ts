// Public API of @provisio/scim-inbound.
export { scimRouter, ScimRouters } from './scim-router.js';
export type { ScimRouterOptions, ScimRouterShape, ScimAliasPath, Principal, Authentication, AuthenticationRefusal } from './scim-router.js';
export type { Authenticate } from './scim-endpoint.js';
export type { Dialect } from './http-adapter.js';
export { ScimError } from './scim-error.js';
export type { ScimType } from './scim-error.js';
export { scimInboundModule, SCIM_AUTHENTICATOR, SCIM_PATH_PREFIX, SCIM_ROUTERS } from './scim-inbound-module.js';
