// The three emulated targets (SCIM service, Salesforce org, Google Workspace) the fault tests (and
// other e2e tests) provision to, each reached through its real connector, and what each of them holds.
import { generateKeyPairSync } from 'node:crypto';
import {
  startGoogleEmulator,
  startSalesforceEmulator,
  startScimEmulator,
  type GoogleEmulator,
  type SalesforceEmulator,
  type ScimAuthOptions,
  type ScimEmulator,
} from '@provisio/emulators';
import { startInProcessServer, type InProcessServer } from '../in-process-server.js';

export const DOMAIN = 'example.com';
export const SECRETS = {
  scimTargetToken: 'fault-scim-target-token-5d1c9e',
  sfClientSecret: 'fault-sf-client-secret-77ab30',
  sfPassword: 'fault-sf-password-0c4e21',
  sfSecurityToken: 'faultSfSecTok93',
};
export const SF_USER = 'integration@wso2.com';
export const GOOGLE_ADMIN = `admin@${DOMAIN}`;
export const SERVICE_ACCOUNT = 'provisio-faults@project.iam.gserviceaccount.com';

export interface EmulatedTargets {
  scim: ScimEmulator;
  salesforce: SalesforceEmulator;
  google: GoogleEmulator;
  /** Side files the manifest references (the Google key). */
  files: Record<string, string>;
  /** A scim2 connector's `config:` value (a flow mapping): the SCIM emulator's v2 URL and its default bearer token. */
  scimConfigYaml: string;
  /** Lines of a salesforce connector's `config:` (indent 6): the token endpoint and the credentials the org accepts. */
  salesforceSignInYaml: string;
  /** Lines of a google connector's `config:` (indent 6): the domain, the service account with its key file, the URLs. */
  googleSignInYaml: string;
  /** The `connectors:` entries for the three targets; `extra` is YAML added to each (indent 4). */
  connectorsYaml(extra?: string): string;
  /** userNames (lower case) each target holds, without the accounts the emulators seed. */
  holdings(): { scim: string[]; salesforce: string[]; google: string[] };
  close(): Promise<void>;
}

export async function startEmulatedTargets(
  options: {
    latencyMs?: number;
    scimBulk?: boolean;
    /** Default: the bearer token SECRETS.scimTargetToken. */ scimAuth?: ScimAuthOptions;
  } = {},
): Promise<EmulatedTargets> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const latencyMs = options.latencyMs ?? 0;
  const scim = await startScimEmulator({
    auth: options.scimAuth ?? { type: 'bearer', token: SECRETS.scimTargetToken },
    latencyMs,
    bulk: { supported: options.scimBulk ?? false },
  });
  const salesforce = await startSalesforceEmulator({
    latencyMs,
    clients: [{ clientId: 'sf-client', clientSecret: SECRETS.sfClientSecret }],
    credentials: [{ username: SF_USER, password: SECRETS.sfPassword, securityToken: SECRETS.sfSecurityToken }],
  });
  const google = await startGoogleEmulator({
    latencyMs,
    domains: [DOMAIN],
    admins: [GOOGLE_ADMIN],
    serviceAccounts: [{ clientEmail: SERVICE_ACCOUNT, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
    userRateLimitPerMinute: 1_000_000,
  });
  const profileId = salesforce.state.profileId('Standard User');
  const seededSalesforce = new Set(salesforce.state.users().map((u) => String(u['Username']).toLowerCase()));
  const scimConfigYaml = `{ baseUrl: "${scim.baseUrl2}", auth: { type: bearer, token: "${SECRETS.scimTargetToken}" } }`;
  const salesforceSignInYaml = `      tokenEndpoint: ${salesforce.url}/services/oauth2/token
      auth: { flow: password, clientId: sf-client, clientSecret: ${SECRETS.sfClientSecret}, username: ${SF_USER}, password: ${SECRETS.sfPassword}, securityToken: ${SECRETS.sfSecurityToken} }`;
  const googleSignInYaml = `      domain: ${DOMAIN}
      serviceAccountEmail: ${SERVICE_ACCOUNT}
      privateKey: { format: pem, pem: "\${file:google.pem}" }
      adminEmail: ${GOOGLE_ADMIN}
      tokenUrl: ${google.tokenUrl}
      rootUrl: ${google.url}/`;
  return {
    scim,
    salesforce,
    google,
    files: { 'google.pem': privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
    scimConfigYaml,
    salesforceSignInYaml,
    googleSignInYaml,
    connectorsYaml: (extra = '') => `  - id: scim-app
    type: scim2
    config: ${scimConfigYaml}
${extra}
  - id: salesforce
    type: salesforce
    config:
      apiVersion: v59.0
${salesforceSignInYaml}
    mapping:
      Username: http://wso2.org/claims/emailaddress
      Email: http://wso2.org/claims/emailaddress
      LastName: { from: http://wso2.org/claims/lastname, default: Unknown }
      Alias: { from: userName, transform: truncate(8) }
      EmailEncodingKey: { default: UTF-8 }
      LanguageLocaleKey: { default: en_US }
      LocaleSidKey: { default: en_US }
      TimeZoneSidKey: { default: America/Los_Angeles }
      ProfileId: { default: "${profileId}" }
${extra}
  - id: google
    type: google
    config:
${googleSignInYaml}
    mapping:
      primaryEmail: http://wso2.org/claims/emailaddress
      givenName: { from: http://wso2.org/claims/givenname, default: Test }
      familyName: { from: http://wso2.org/claims/lastname, default: Unknown }
${extra}
`,
    holdings: () => ({
      scim: scim.state.users().map((u) => String(u['userName']).toLowerCase()),
      salesforce: salesforce.state
        .users()
        .map((u) => String(u['Username']).toLowerCase())
        .filter((u) => !seededSalesforce.has(u)),
      google: google.state
        .users()
        .map((u) => String(u['primaryEmail']).toLowerCase())
        .filter((u) => u !== GOOGLE_ADMIN),
    }),
    close: async () => {
      await Promise.all([scim.close(), salesforce.close(), google.close()]);
    },
  };
}

export interface ServerOnTargets {
  targets: EmulatedTargets;
  server: InProcessServer;
  /** Stops the server, then the targets. */
  stop(): Promise<void>;
}

/** Fresh emulated targets and an in-process server on `manifest(targets)`, with the side files it references. */
export async function startServerOnTargets(
  targetOptions: Parameters<typeof startEmulatedTargets>[0],
  manifest: (targets: EmulatedTargets) => string,
  prefix: string,
): Promise<ServerOnTargets> {
  const targets = await startEmulatedTargets(targetOptions);
  try {
    const server = await startInProcessServer(manifest(targets), { files: targets.files, prefix });
    return {
      targets,
      server,
      stop: async () => {
        await server.stop();
        await targets.close();
      },
    };
  } catch (error) {
    await targets.close();
    throw error;
  }
}
