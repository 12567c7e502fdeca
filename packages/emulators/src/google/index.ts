// Public API of the Google Workspace (Admin SDK Directory) emulator.
export { startGoogleEmulator, TOKEN_PATHS, type GoogleEmulator } from './google-emulator.js';
export type { GoogleEmulatorOptions, GoogleServiceAccountOptions } from './google-options.js';
export { GoogleEmulatorState, type GoogleStateSnapshot } from './google-inspection.js';
export { GoogleFaults, type GoogleFaultSnapshot } from './google-faults.js';
export type { ApiCallRecord, PasswordChangeEvent } from './google-state.js';
export { googleTokenRedirect, GOOGLE_TOKEN_ORIGINS, type GoogleRedirectInterceptor } from './google-client-redirect.js';
export { SCOPES as GOOGLE_DIRECTORY_SCOPES } from './google-scopes.js';
export { MAX_BATCH_PARTS } from './google-batch.js';
export type { GoogleErrorBody, GoogleErrorItem } from './google-errors.js';
export {
  generateGoogleServiceAccountKey,
  googleServiceAccountKeyFile,
  type GoogleServiceAccountKeyPair,
  type GoogleServiceAccountKeyFile,
} from './google-service-account-key.js';
