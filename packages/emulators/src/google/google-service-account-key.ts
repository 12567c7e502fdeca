// Service-account keys for the emulator: an RSA key pair (the emulator keeps the public half, the client
// signs with the private half) and the JSON key file Google's console would download for it.
import { generateKeyPairSync, randomBytes } from 'node:crypto';

export interface GoogleServiceAccountKeyPair {
  /** PKCS#8 PEM: what a client signs its JWT assertions with. */
  privateKeyPem: string;
  /** SPKI PEM: what the emulator's `serviceAccounts[].publicKeyPem` takes. */
  publicKeyPem: string;
}

export function generateGoogleServiceAccountKey(): GoogleServiceAccountKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export interface GoogleServiceAccountKeyFile {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
}

/**
 * The key file for `clientEmail` in Google's format. `token_uri` names the emulator, but
 * google-auth-library's JWT client ignores it: clients still need `googleTokenRedirect`.
 */
export function googleServiceAccountKeyFile(clientEmail: string, privateKeyPem: string, tokenUrl: string): GoogleServiceAccountKeyFile {
  const projectId = /@([^.]+)\.iam\.gserviceaccount\.com$/.exec(clientEmail)?.[1] ?? 'emulator-project';
  return {
    type: 'service_account',
    project_id: projectId,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKeyPem,
    client_email: clientEmail,
    client_id: String(100_000_000_000_000_000_000n + BigInt(`0x${randomBytes(8).toString('hex')}`)),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUrl,
  };
}
