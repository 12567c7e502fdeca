// Keys, emulator and connector wiring shared by the tests that drive the real connector against
// the Google emulator. Keys are generated in memory; nothing is written to disk.
import forge from 'node-forge';
import { createConnectorHttp, silentLogger, systemClock, type ConnectorContext, type UserPayload } from '@provisio/core';
import {
  generateGoogleServiceAccountKey,
  startGoogleEmulator,
  type GoogleEmulator,
  type GoogleEmulatorOptions,
  type GoogleServiceAccountKeyPair,
} from '@provisio/emulators';
import { googleConnector, type GoogleConfigInput, type GoogleConnector } from '../src/index.js';

export const DOMAIN = 'mygoogledomain.com';
export const ADMIN = `om@${DOMAIN}`;
export const SA_EMAIL = 'd343s86gf@provisio-test.iam.gserviceaccount.com';
export const P12_EMAIL = 'p12-account@provisio-test.iam.gserviceaccount.com';

export type KeyPair = GoogleServiceAccountKeyPair;

/** A service account's RSA key pair, made by the emulators package as the emulator expects it. */
export function generateKeyPair(): KeyPair {
  return generateGoogleServiceAccountKey();
}

/** The JSON key file Google issues for a service account. */
export function jsonKeyFile(keys: KeyPair, clientEmail = SA_EMAIL): string {
  return JSON.stringify({
    type: 'service_account',
    project_id: 'provisio-test',
    private_key_id: 'abc123',
    private_key: keys.privateKeyPem,
    client_email: clientEmail,
    client_id: '123456789012345678901',
    token_uri: 'https://oauth2.googleapis.com/token',
  });
}

/** A .p12 like Google's (key + self-signed certificate, password notasecret), base64, plus the certificate. */
export function pkcs12Key(keys: KeyPair, password = 'notasecret'): { pkcs12Base64: string; certificatePem: string } {
  const privateKey = forge.pki.privateKeyFromPem(keys.privateKeyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ name: 'commonName', value: P12_EMAIL }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(privateKey, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(privateKey, cert, password, { algorithm: '3des' });
  return { pkcs12Base64: forge.util.encode64(forge.asn1.toDer(asn1).getBytes()), certificatePem: forge.pki.certificateToPem(cert) };
}

export function testContext(): ConnectorContext {
  return { instanceId: 'google-test', logger: silentLogger(), clock: systemClock, http: createConnectorHttp() };
}

export function startEmulator(keys: KeyPair, extra: GoogleEmulatorOptions = {}): Promise<GoogleEmulator> {
  return startGoogleEmulator({
    domains: [DOMAIN],
    admins: [ADMIN],
    serviceAccounts: [{ clientEmail: SA_EMAIL, publicKeyPem: keys.publicKeyPem }],
    orgUnits: ['/Sales'],
    ...extra,
  });
}

/** Config as an operator writes it, pointed at the emulator through tokenUrl and rootUrl. */
export function configFor(emulator: GoogleEmulator, keys: KeyPair, overrides: Partial<GoogleConfigInput> = {}): GoogleConfigInput {
  return {
    domain: DOMAIN,
    privateKey: { format: 'json', json: jsonKeyFile(keys) },
    adminEmail: ADMIN,
    applicationName: 'Domain',
    tokenUrl: emulator.tokenUrl,
    rootUrl: `${emulator.url}/`,
    ...overrides,
  };
}

export async function connectorFor(config: GoogleConfigInput): Promise<GoogleConnector> {
  return (await googleConnector.create(googleConnector.configSchema.parse(config), testContext())) as GoogleConnector;
}

export interface ConnectorTestBed {
  emulator: GoogleEmulator;
  keys: KeyPair;
  connector: GoogleConnector;
}

/** A new key, an emulator that trusts it, and a connector configured for both (config `overrides` applied). */
export async function startConnectorTestBed(overrides: Partial<GoogleConfigInput> = {}): Promise<ConnectorTestBed> {
  const keys = generateKeyPair();
  const emulator = await startEmulator(keys);
  const connector = await connectorFor(configFor(emulator, keys, overrides));
  return { emulator, keys, connector };
}

/**
 * A test bed started before the file's tests and closed after them (jest hooks registered here);
 * read its fields inside tests, once beforeAll has run.
 */
export function useConnectorTestBed(overrides: Partial<GoogleConfigInput> = {}): ConnectorTestBed {
  const bed = {} as ConnectorTestBed;
  beforeAll(async () => {
    Object.assign(bed, await startConnectorTestBed(overrides));
  });
  afterAll(async () => {
    await bed.connector?.close();
    await bed.emulator?.close();
  });
  return bed;
}

let counter = 0;
/** A user payload as core builds it from the default mapping. */
export function userPayload(local: string, attributes: Record<string, unknown> = {}, extra: Partial<UserPayload> = {}): UserPayload {
  counter++;
  return {
    localId: `local-${local}-${counter}`,
    user: { userName: local },
    attributes: { primaryEmail: `${local}@${DOMAIN}`, givenName: 'Ada', familyName: 'Lovelace', ...attributes },
    ...extra,
  };
}
