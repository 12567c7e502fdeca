import { createPrivateKey } from 'node:crypto';
import forge from 'node-forge';
import { PermanentError } from '@provisio/core';
import type { GooglePrivateKey } from './google-config.js';

export interface ServiceAccountCredentials {
  clientEmail: string;
  /** PKCS#8 or PKCS#1 PEM, held in memory only. */
  privateKeyPem: string;
}

/**
 * Turns the configured key into what google-auth-library's JWT client takes. PKCS#12 is
 * converted in memory (the library no longer reads .p12 files); nothing touches the disk.
 * Error messages name the problem, never the key material.
 */
export function loadServiceAccountKey(key: GooglePrivateKey, serviceAccountEmail: string | undefined): ServiceAccountCredentials {
  const privateKeyPem =
    key.format === 'json' ? pemFromJsonKey(key.json) : key.format === 'pem' ? key.pem : pemFromPkcs12(key.pkcs12Base64, key.password);
  assertUsableRsaKey(privateKeyPem);
  const clientEmail = serviceAccountEmail ?? (key.format === 'json' ? clientEmailFromJsonKey(key.json) : undefined);
  if (!clientEmail) throw new PermanentError('serviceAccountEmail is required: the key does not name its service account');
  return { clientEmail, privateKeyPem };
}

interface JsonKeyFile {
  type?: unknown;
  client_email?: unknown;
  private_key?: unknown;
}

function parseJsonKey(json: string): JsonKeyFile {
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed === 'object' && parsed !== null) return parsed as JsonKeyFile;
  } catch {
    // The parser's message may quote the key text: say only what is wrong.
  }
  throw new PermanentError('privateKey.json is not a service account JSON key (not a JSON object)');
}

function pemFromJsonKey(json: string): string {
  const file = parseJsonKey(json);
  if (file.type !== undefined && file.type !== 'service_account') {
    throw new PermanentError(`privateKey.json is a "${String(file.type)}" credential; a service_account key is needed`);
  }
  if (typeof file.private_key !== 'string' || file.private_key === '') throw new PermanentError('privateKey.json has no private_key');
  return file.private_key;
}

function clientEmailFromJsonKey(json: string): string | undefined {
  const email = parseJsonKey(json).client_email;
  return typeof email === 'string' && email !== '' ? email : undefined;
}

/** The service account a JSON key names, for messages; undefined when it cannot be read. */
export function clientEmailOf(key: GooglePrivateKey): string | undefined {
  if (key.format !== 'json') return undefined;
  try {
    return clientEmailFromJsonKey(key.json);
  } catch {
    return undefined;
  }
}

function pemFromPkcs12(base64: string, password: string): string {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const der = forge.util.decode64(base64.replace(/\s+/g, ''));
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), password);
  } catch {
    throw new PermanentError('privateKey.pkcs12Base64 could not be read: not a base64 PKCS#12 file, or privateKey.password is wrong');
  }
  const bag = [forge.pki.oids.pkcs8ShroudedKeyBag, forge.pki.oids.keyBag]
    .flatMap((type) => p12.getBags({ bagType: type })[type] ?? [])
    .find((candidate) => candidate.key !== undefined);
  if (!bag?.key) throw new PermanentError('privateKey.pkcs12Base64 holds no private key');
  return forge.pki.privateKeyToPem(bag.key);
}

function assertUsableRsaKey(pem: string): void {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType === 'rsa') return;
  } catch {
    // fall through: the reason from OpenSSL adds nothing an operator can act on
  }
  throw new PermanentError('the service account private key is not a readable RSA private key');
}
