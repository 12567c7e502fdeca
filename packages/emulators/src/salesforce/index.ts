// Public API of the Salesforce emulator.
export { startSalesforceEmulator, type SalesforceEmulator } from './emulator.js';
export type {
  SalesforceEmulatorOptions,
  ConnectedAppOptions,
  LoginCredentialOptions,
  SeedUser,
  SeedPermissionSet,
  SeedGroup,
  SeedRefreshToken,
} from './options.js';
export { SalesforceFaults, type SalesforceFaultSnapshot, type UsernameRefusal } from './salesforce-faults.js';
export { SalesforceStateView } from './state-view.js';
export type { PasswordSetEvent, RestCallRecord } from './org-state.js';
export type { FieldValue, SObjectRecord } from './records.js';
export { JWT_BEARER_GRANT } from './oauth-token.js';
