// The environment variables examples/demo/provisio.demo.yaml reads (`${env:...}`).
import type { DemoCredentials } from './demo-credentials.ts';
import type { DemoEmulators } from './demo-emulators.ts';

export interface DemoPaths {
  database: string;
  memoryJournal: string;
}

export function demoEnvironment(credentials: DemoCredentials, emulators: DemoEmulators, paths: DemoPaths): Record<string, string> {
  const profileId = emulators.salesforce.state.profileId('Standard User');
  if (!profileId) throw new Error('the Salesforce emulator has no "Standard User" profile');
  return {
    PROVISIO_SCIM_TOKEN: credentials.scimToken,
    PROVISIO_ADMIN_TOKEN: credentials.adminToken,
    PROVISIO_DEMO_DB: paths.database,
    PROVISIO_DEMO_MEMORY_JOURNAL: paths.memoryJournal,
    PROVISIO_DEMO_SCIM_URL: emulators.scim.url,
    PROVISIO_DEMO_SCIM_APP_TOKEN: credentials.scimAppToken,
    PROVISIO_DEMO_SALESFORCE_URL: emulators.salesforce.url,
    PROVISIO_DEMO_SALESFORCE_CLIENT_SECRET: credentials.salesforceClientSecret,
    PROVISIO_DEMO_SALESFORCE_PASSWORD: credentials.salesforcePassword,
    PROVISIO_DEMO_SALESFORCE_SECURITY_TOKEN: credentials.salesforceSecurityToken,
    PROVISIO_DEMO_SALESFORCE_PROFILE_ID: profileId,
    PROVISIO_DEMO_GOOGLE_URL: emulators.google.url,
    PROVISIO_DEMO_GOOGLE_PRIVATE_KEY: credentials.googlePrivateKeyPem,
  };
}
