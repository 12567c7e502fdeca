// Shared setup for the Salesforce emulator specs: one connected app, one
// integration login, and a valid User payload.
import jsforce from 'jsforce';
import { type SalesforceEmulator, type SalesforceEmulatorOptions, startSalesforceEmulator } from '../../src/salesforce/index.js';

export const API_VERSION = '59.0';
export const CLIENT_ID = '3MVG9fixture.consumer.key';
export const CLIENT_SECRET = 'fixture-consumer-secret-1234';
export const ADMIN_USERNAME = 'integration@provisio.example';
export const ADMIN_PASSWORD = 'Passw0rdFixture';
export const SECURITY_TOKEN = 'tokenABC123';

export function startFixture(extra: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  return startSalesforceEmulator({
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, executionUsername: ADMIN_USERNAME }],
    credentials: [{ username: ADMIN_USERNAME, password: ADMIN_PASSWORD, securityToken: SECURITY_TOKEN }],
    ...extra,
  });
}

export function newConnection(emulator: SalesforceEmulator): jsforce.Connection {
  return new jsforce.Connection({
    loginUrl: emulator.url,
    version: API_VERSION,
    oauth2: { loginUrl: emulator.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
  });
}

export async function loggedIn(emulator: SalesforceEmulator): Promise<jsforce.Connection> {
  const conn = newConnection(emulator);
  await conn.login(ADMIN_USERNAME, ADMIN_PASSWORD + SECURITY_TOKEN);
  return conn;
}

/** POSTs `body` to the emulator's fault control path. */
export function controlFaults(emulator: SalesforceEmulator, body: unknown): Promise<Response> {
  return fetch(`${emulator.url}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export interface RestFixture {
  readonly emulator: SalesforceEmulator;
  /** The integration user's access token. */
  token: string;
  /** A call of the REST API (`path` below /services/data/vXX.X/) with the token, the body sent as JSON. */
  rest(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
}

/** For the describe block's tests: an emulator started with `extra` before them and closed after them. */
export function useFixture(extra: SalesforceEmulatorOptions = {}): { readonly emulator: SalesforceEmulator } {
  const started = {} as { emulator: SalesforceEmulator };
  beforeAll(async () => {
    started.emulator = await startFixture(extra);
  });
  afterAll(() => started.emulator.close());
  return started;
}

/** For the file's tests: an emulator and a logged-in token, faults reset after each test, closed after all. */
export function useRestFixture(): RestFixture {
  const started = useFixture();
  const fixture: RestFixture = {
    get emulator() {
      return started.emulator;
    },
    token: '',
    rest: (path, init = {}) =>
      fetch(`${fixture.emulator.instanceUrl}/services/data/v${API_VERSION}/${path}`, {
        method: init.method ?? 'GET',
        headers: { Authorization: `Bearer ${fixture.token}`, 'Content-Type': 'application/json', ...init.headers },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      }),
  };
  beforeAll(async () => {
    fixture.token = (await loggedIn(fixture.emulator)).accessToken!;
  });
  afterEach(() => fixture.emulator.faults.reset());
  return fixture;
}

let serial = 0;

/** A User payload Salesforce accepts; override any field. */
export function userPayload(emulator: SalesforceEmulator, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  serial++;
  return {
    Username: `person${serial}.${Date.now()}@provisio.example`,
    LastName: `Person${serial}`,
    FirstName: 'Test',
    Email: `person${serial}@provisio.example`,
    Alias: `p${serial}`.slice(0, 8),
    TimeZoneSidKey: 'America/Los_Angeles',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    ProfileId: emulator.state.profileId('Standard User'),
    ...overrides,
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<Error & { errorCode?: string; data?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { errorCode?: string; data?: unknown };
  }
  throw new Error('expected the call to be rejected');
}
