// Public API of the generic SCIM 1.1 / 2.0 service emulator.
export { startScimEmulator, type ScimEmulator } from './scim-emulator.js';
export type { ScimEmulatorOptions, ScimBulkOptions } from './scim-options.js';
export type { ScimAuthOptions, ScimAuthType } from './scim-auth.js';
export { ScimFaults, type ScimFaultSnapshot, type UserNameRefusal } from './scim-faults.js';
export type { ScimEmulatorState } from './scim-state.js';
export type { LoggedRequest, ReceivedRequest } from './scim-request-log.js';
export type { ScimUserExtension, ScimExtensionAttribute } from './scim-schema-registry.js';
export { ACME_USER_EXTENSION } from './sample-extensions.js';
export type { JsonObject, JsonValue } from './scim-json.js';
