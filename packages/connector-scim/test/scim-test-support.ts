// Shared test wiring: a SCIM emulator, a connector of either type against it, and views of the emulator's state.
import {
  createConnectorHttp,
  silentLogger,
  systemClock,
  type ConnectorContext,
  type MappedAttributes,
  type UserPayload,
} from '@provisio/core';
import { startScimEmulator, type JsonObject, type ScimAuthOptions, type ScimEmulator, type ScimEmulatorOptions } from '@provisio/emulators';
import { scim11Connector, scim2Connector, type ScimConnector } from '../src/index.js';

export type ScimType = 'scim2' | 'scim11';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export interface ScimFixture {
  emulator: ScimEmulator;
  connector: ScimConnector;
  secrets: string[];
  teardown(): Promise<void>;
}

export function testContext(): ConnectorContext {
  return { instanceId: 'scim-test', logger: silentLogger(), clock: systemClock, http: createConnectorHttp() };
}

/** A scheme whose connector auth config reads like the emulator's auth options. */
function sameOnBothSides(server: ScimAuthOptions, secret: string): ReturnType<typeof authPair> {
  return { server, client: () => ({ ...server }), secrets: [secret] };
}

/** Emulator auth and the matching connector auth config, with the secrets involved. */
export function authPair(type: ScimAuthOptions['type']): {
  server: ScimAuthOptions;
  client: (tokenUrl: string) => Record<string, unknown>;
  secrets: string[];
} {
  switch (type) {
    case 'basic':
      return sameOnBothSides({ type, username: 'Admin', password: 'basic-secret-1' }, 'basic-secret-1');
    case 'bearer':
      return sameOnBothSides({ type, token: 'bearer-secret-2' }, 'bearer-secret-2');
    case 'apiKey':
      return {
        server: { type, headerName: 'X-Provisio-Key', token: 'apikey-secret-3' },
        client: () => ({ type, headerName: 'X-Provisio-Key', key: 'apikey-secret-3' }),
        secrets: ['apikey-secret-3'],
      };
    case 'oauth2':
      return {
        server: { type, clientId: 'provisio', clientSecret: 'oauth-secret-4', tokenTtlSec: 3600 },
        client: (tokenUrl) => ({ type, tokenUrl, clientId: 'provisio', clientSecret: 'oauth-secret-4' }),
        secrets: ['oauth-secret-4'],
      };
    case 'none':
      return { server: { type }, client: () => ({ type }), secrets: [] };
  }
}

export interface FixtureOptions {
  type: ScimType;
  auth?: ScimAuthOptions['type'];
  emulator?: Omit<ScimEmulatorOptions, 'auth'>;
  config?: Record<string, unknown>;
  /** oauth2: lifetime of the tokens the emulator issues (0: dead on arrival). */
  tokenTtlSec?: number;
}

export async function scimFixture(options: FixtureOptions): Promise<ScimFixture> {
  const auth = authPair(options.auth ?? 'none');
  const server = options.tokenTtlSec === undefined ? auth.server : { ...auth.server, tokenTtlSec: options.tokenTtlSec };
  const emulator = await startScimEmulator({ ...options.emulator, auth: server });
  const definition = options.type === 'scim2' ? scim2Connector : scim11Connector;
  const base = options.type === 'scim2' ? emulator.baseUrl2 : emulator.baseUrl11;
  const config = definition.configSchema.parse({ baseUrl: base, auth: auth.client(emulator.tokenUrl), ...options.config });
  const ctx = testContext();
  const connector = (await definition.create(config, ctx)) as ScimConnector;
  let closed = false;
  return {
    emulator,
    connector,
    secrets: [...auth.secrets, ...(typeof options.config?.['defaultPassword'] === 'string' ? [options.config['defaultPassword']] : [])],
    teardown: async () => {
      ctx.http.httpAgent.destroy();
      ctx.http.httpsAgent.destroy();
      if (!closed) await emulator.close();
      closed = true;
    },
  };
}

export function sampleUser(n: number): UserPayload {
  const userName = `user${n}@example.com`;
  return {
    localId: `local-${n}`,
    user: { userName, name: { givenName: 'Ada', familyName: `Lovelace${n}` }, emails: [{ value: userName, primary: true }] },
    attributes: {
      userName,
      givenName: 'Ada',
      familyName: `Lovelace${n}`,
      displayName: `Ada Lovelace ${n}`,
      email: userName,
      title: 'Engineer',
      active: true,
    },
    accountName: userName,
  };
}

/** A User as the emulator holds it, in the connector's flat field names. */
export function flattenUser(user: JsonObject): { active: boolean; attributes: MappedAttributes } {
  const name = (user['name'] ?? {}) as JsonObject;
  const enterprise = (user[ENTERPRISE] ?? {}) as JsonObject;
  const first = (key: string) => (Array.isArray(user[key]) ? ((user[key] as JsonObject[])[0]?.['value'] ?? undefined) : undefined);
  const attributes: MappedAttributes = {
    userName: user['userName'],
    externalId: user['externalId'],
    displayName: user['displayName'],
    title: user['title'],
    active: user['active'],
    givenName: name['givenName'],
    familyName: name['familyName'],
    email: first('emails'),
    phoneNumber: first('phoneNumbers'),
    department: enterprise['department'],
    employeeNumber: enterprise['employeeNumber'],
    manager: (enterprise['manager'] as JsonObject | undefined)?.['value'],
  };
  for (const key of Object.keys(attributes)) if (attributes[key] === undefined) delete attributes[key];
  return { active: user['active'] !== false, attributes };
}

export function userById(emulator: ScimEmulator, id: string): JsonObject | undefined {
  return emulator.state.users().find((u) => u['id'] === id);
}

export function groupById(emulator: ScimEmulator, id: string): JsonObject | undefined {
  return emulator.state.groups().find((g) => g['id'] === id);
}
