// Shared setup: a Salesforce emulator with one connected app per auth flow, and
// the real connector built from a validated config, as the server would build it.
import { generateKeyPairSync } from 'node:crypto';
import { createConnectorHttp, silentLogger, systemClock, type ConnectorContext, type UserPayload } from '@provisio/core';
import { startSalesforceEmulator, type SalesforceEmulator, type SalesforceEmulatorOptions } from '@provisio/emulators';
import { salesforceConnector, type SalesforceConnector, type SalesforceConfigInput } from '../src/index.js';

export const CLIENT_ID = '3MVG9test.consumer.key';
export const CLIENT_SECRET = 'consumer-secret-7f3a9c2e';
export const CC_CLIENT_ID = '3MVG9cc.consumer.key';
export const CC_CLIENT_SECRET = 'cc-consumer-secret-51d0b8';
export const JWT_CLIENT_ID = '3MVG9jwt.consumer.key';
export const ADMIN_USERNAME = 'integration@provisio.example';
export const ADMIN_PASSWORD = 'Passw0rdIntegration';
export const SECURITY_TOKEN = 'secTokenXYZ987';
export const JWT_USERNAME = 'jwt.runner@provisio.example';
export const API_VERSION = 'v59.0';

export const jwtKeys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

export const SECRETS = [CLIENT_SECRET, CC_CLIENT_SECRET, ADMIN_PASSWORD, SECURITY_TOKEN, jwtKeys.privateKey];

export function startEmulator(extra: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  return startSalesforceEmulator({
    clients: [
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      { clientId: CC_CLIENT_ID, clientSecret: CC_CLIENT_SECRET, executionUsername: ADMIN_USERNAME },
      { clientId: JWT_CLIENT_ID, clientSecret: 'jwt-app-secret-unused', certificate: jwtKeys.publicKey },
    ],
    credentials: [{ username: ADMIN_USERNAME, password: ADMIN_PASSWORD, securityToken: SECURITY_TOKEN }],
    users: [{ Username: JWT_USERNAME, LastName: 'Runner' }],
    permissionSets: [
      { Name: 'Sales_Ops', Label: 'Sales Ops' },
      { Name: 'Marketing_Cloud', Label: 'Marketing' },
    ],
    ...extra,
  });
}

export const ctx: ConnectorContext = {
  instanceId: 'salesforce-test',
  logger: silentLogger(),
  clock: systemClock,
  http: createConnectorHttp(),
};

export function passwordAuth(): SalesforceConfigInput['auth'] {
  return {
    flow: 'password',
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    username: ADMIN_USERNAME,
    password: ADMIN_PASSWORD,
    securityToken: SECURITY_TOKEN,
  };
}

export async function connectorFor(
  emulator: SalesforceEmulator,
  overrides: Partial<SalesforceConfigInput> = {},
): Promise<SalesforceConnector> {
  const config = salesforceConnector.configSchema.parse({
    apiVersion: API_VERSION,
    tokenEndpoint: `${emulator.url}/services/oauth2/token`,
    auth: passwordAuth(),
    ...overrides,
  });
  return (await salesforceConnector.create(config, ctx)) as SalesforceConnector;
}

let serial = 0;

/** A user payload as core hands it over after the default mapping; override any remote field. */
export function userPayload(
  emulator: SalesforceEmulator,
  fields: Record<string, unknown> = {},
  extra: Partial<UserPayload> = {},
): UserPayload {
  serial++;
  const username = `person${serial}.${process.pid}@provisio.example`;
  return {
    localId: `local-${serial}`,
    user: { userName: username },
    attributes: {
      Username: username,
      Email: username,
      LastName: `Person${serial}`,
      FirstName: 'Test',
      Alias: `person${serial}`,
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      LocaleSidKey: 'en_US',
      TimeZoneSidKey: 'America/Los_Angeles',
      ProfileId: emulator.state.profileId('Standard User'),
      IsActive: true,
      ...fields,
    },
    ...extra,
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<Error & { kind?: string; remoteCode?: unknown; existingRemoteId?: string; retryAfterMs?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { kind?: string };
  }
  throw new Error('expected a rejection');
}

export function expectNoSecrets(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}
