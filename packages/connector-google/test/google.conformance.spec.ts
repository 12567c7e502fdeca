// The connector-testkit suite against the Google emulator, every hook wired, once with the JSON key
// Google issues today and once with a PKCS#12 key (as WSO2 configured it). Deprovisioning suspends.
import { describeConnectorConformance, type ConformanceOptions, type InspectedUser } from '@provisio/connector-testkit';
import type { MappedAttributes } from '@provisio/core';
import type { GoogleEmulator } from '@provisio/emulators';
import type { GoogleConfigInput, GoogleConnector } from '../src/index.js';
import { DOMAIN, P12_EMAIL, configFor, connectorFor, generateKeyPair, jsonKeyFile, pkcs12Key, startEmulator } from './google-fixtures.js';

interface GoogleConformanceFixture {
  connector: GoogleConnector;
  secrets: readonly string[];
  emulator: GoogleEmulator;
  /** Closes the emulator once (makeUnreachable closes it before teardown does). */
  close(): Promise<void>;
  teardown(): Promise<void>;
}

type JsonObject = Record<string, unknown>;
const READ_PAGE = 5;
let seeds = 0;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A Directory user resource in the connector's flat remote field names (see USER_FIELDS). */
function flatUser(user: JsonObject): InspectedUser {
  const name = isObject(user['name']) ? user['name'] : {};
  const organizations = Array.isArray(user['organizations']) ? user['organizations'].filter(isObject) : [];
  const organization = organizations.find((o) => o['primary'] === true) ?? organizations[0] ?? {};
  const phones = Array.isArray(user['phones']) ? user['phones'].filter(isObject) : [];
  const externalIds = Array.isArray(user['externalIds']) ? user['externalIds'].filter(isObject) : [];
  const fields: Record<string, unknown> = {
    primaryEmail: user['primaryEmail'],
    givenName: name['givenName'],
    familyName: name['familyName'],
    orgUnitPath: user['orgUnitPath'],
    title: organization['title'],
    department: organization['department'],
    organization: organization['name'],
    costCenter: organization['costCenter'],
    phone: phones.find((p) => p['type'] === 'work')?.['value'],
    mobile: phones.find((p) => p['type'] === 'mobile')?.['value'],
    externalId: externalIds.find((e) => e['type'] === 'organization')?.['value'],
    recoveryEmail: user['recoveryEmail'],
    recoveryPhone: user['recoveryPhone'],
    includeInGlobalAddressList: user['includeInGlobalAddressList'],
    aliases: user['aliases'],
  };
  const attributes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as MappedAttributes;
  return { active: user['suspended'] !== true, attributes };
}

function googleConformance(
  name: string,
  setupKey: () => Promise<{ emulator: GoogleEmulator; config: GoogleConfigInput; secrets: string[] }>,
): ConformanceOptions<GoogleConformanceFixture> {
  return {
    name,
    setup: async () => {
      const { emulator, config, secrets } = await setupKey();
      // Small pages, so that the read cases page with a dozen users.
      const connector = await connectorFor({ ...config, deleteMode: 'suspend', pageSize: READ_PAGE });
      // Fetch the access token now, so that "the next request" of a fault hook is the API call itself.
      await connector.session.authorize();
      let closed = false;
      const close = async () => {
        if (closed) return;
        closed = true;
        await emulator.close();
      };
      return { connector, secrets, emulator, close, teardown: close };
    },
    sampleUser: (n) => {
      const email = `conformance${n}.${process.pid}@${DOMAIN}`;
      return {
        localId: `conformance-${n}`,
        user: { userName: email },
        attributes: { primaryEmail: email, givenName: 'Ada', familyName: `Lovelace${n}` },
      };
    },
    changeUser: () => ({ title: 'Principal engineer', familyName: 'Byron' }),
    // The default group mapping: the group's name is its displayName, the address derived from it.
    sampleGroup: (n, displayName) => ({ localId: `conformance-group-${n}`, group: { displayName }, attributes: { name: displayName } }),
    capabilities: { groups: true, passwords: true, deleteMode: 'deactivate' },
    faults: {
      dropNextResponse: (f) => f.emulator.faults.dropNextResponses(1),
      failNext: (f, status, { retryAfterSec }) => f.emulator.faults.failNext(1, status, { retryAfterSec }),
      rejectUser: (f, payload, { status, detail }) =>
        f.emulator.faults.refuseAccount(String(payload.attributes['primaryEmail']), { status, message: detail }),
      makeUnreachable: (f) => f.close(),
    },
    read: {
      pageSize: READ_PAGE,
      seedUsers: (f, count) =>
        f.emulator.state.addUsers(Array.from({ length: count }, () => ({ primaryEmail: `seed${++seeds}.${process.pid}@${DOMAIN}` }))),
      removeUser: (f, remoteId) => void f.emulator.state.removeUser(remoteId),
      existingUserIds: (f) => f.emulator.state.users().map((u) => String(u['id'])),
      groups: true,
    },
    inspect: {
      user: async (f, remoteId) => {
        const user = f.emulator.state.user(remoteId);
        return user ? flatUser(user) : null;
      },
      group: async (f, remoteId) => {
        const group = f.emulator.state.groups().find((g) => g['id'] === remoteId);
        if (!group) return null;
        return { name: String(group['name']), memberRemoteIds: f.emulator.state.members(remoteId).map((m) => String(m['id'])) };
      },
    },
  };
}

const keys = generateKeyPair();
const p12 = pkcs12Key(keys);

describeConnectorConformance(
  googleConformance('google (JSON key, suspend) against the Google emulator', async () => {
    const emulator = await startEmulator(keys);
    return { emulator, config: configFor(emulator, keys), secrets: [jsonKeyFile(keys), keys.privateKeyPem] };
  }),
);

describeConnectorConformance(
  googleConformance('google (PKCS#12 key, suspend) against the Google emulator', async () => {
    // Registered by certificate, as Google publishes the keys it generates as .p12.
    const emulator = await startEmulator(keys, { serviceAccounts: [{ clientEmail: P12_EMAIL, publicKeyPem: p12.certificatePem }] });
    const config = configFor(emulator, keys, {
      serviceAccountEmail: P12_EMAIL,
      privateKey: { format: 'pkcs12', pkcs12Base64: p12.pkcs12Base64 },
    });
    return { emulator, config, secrets: [p12.pkcs12Base64, keys.privateKeyPem] };
  }),
);
