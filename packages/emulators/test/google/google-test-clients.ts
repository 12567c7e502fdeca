// Real googleapis clients pointed at the emulator: google-auth-library's JWT client with a gaxios
// transporter whose interceptor sends the hard-coded token URL to the emulator, and @googleapis/admin
// with rootUrl set to the emulator. Keys are generated in memory and never written to disk.
import { admin, type admin_directory_v1 } from '@googleapis/admin';
import { gaxios, JWT } from 'google-auth-library';
import {
  generateGoogleServiceAccountKey,
  googleTokenRedirect,
  startGoogleEmulator,
  type GoogleEmulator,
  type GoogleEmulatorOptions,
  type GoogleServiceAccountKeyPair,
} from '../../src/google/index.js';

export const SA_EMAIL = 'provisio@provisio-test.iam.gserviceaccount.com';
export const ADMIN = 'admin@example.com';
const AUTH = 'https://www.googleapis.com/auth/';
export const USER_SCOPE = `${AUTH}admin.directory.user`;
const GROUP_SCOPE = `${AUTH}admin.directory.group`;
const MEMBER_SCOPE = `${AUTH}admin.directory.group.member`;
const ALL_SCOPES = [USER_SCOPE, GROUP_SCOPE, MEMBER_SCOPE];

export interface JwtClientOptions {
  privateKeyPem: string;
  email?: string;
  subject?: string;
  scopes?: string[];
  forceRefreshOnFailure?: boolean;
}

/** The recipe the Google connector reuses: own Gaxios transporter + interceptor, nothing global. */
export function jwtClientFor(emulator: GoogleEmulator, options: JwtClientOptions): JWT {
  const transporter = new gaxios.Gaxios();
  transporter.interceptors.request.add(googleTokenRedirect(emulator.url));
  return new JWT({
    email: options.email ?? SA_EMAIL,
    key: options.privateKeyPem,
    scopes: options.scopes ?? ALL_SCOPES,
    ...('subject' in options ? { subject: options.subject } : { subject: ADMIN }),
    transporter,
    ...(options.forceRefreshOnFailure ? { forceRefreshOnFailure: true } : {}),
  });
}

export function directoryFor(emulator: GoogleEmulator, auth: JWT): admin_directory_v1.Admin {
  return admin({ version: 'directory_v1', auth, rootUrl: `${emulator.url}/` });
}

export interface GoogleTestBed {
  emulator: GoogleEmulator;
  keys: GoogleServiceAccountKeyPair;
  /** The JWT client of SA_EMAIL acting as ADMIN, with every Directory scope. */
  auth: JWT;
  directory: admin_directory_v1.Admin;
}

/** An emulator for example.com that trusts SA_EMAIL (its key made here) with ADMIN as administrator, and a client of it. */
export async function startGoogleTestBed(options: GoogleEmulatorOptions = {}): Promise<GoogleTestBed> {
  const keys = generateGoogleServiceAccountKey();
  const emulator = await startGoogleEmulator({
    domains: ['example.com'],
    admins: [ADMIN],
    serviceAccounts: [{ clientEmail: SA_EMAIL, publicKeyPem: keys.publicKeyPem }],
    ...options,
  });
  const auth = jwtClientFor(emulator, { privateKeyPem: keys.privateKeyPem });
  return { emulator, keys, auth, directory: directoryFor(emulator, auth) };
}

/** Google's error body: `{ error: { code, message, errors: [{ message, domain: 'global', reason }], status } }`. */
export function googleErrorBody(code: number, status: string, reason: string, message: string) {
  return { error: { code, message, errors: [{ message, domain: 'global', reason }], status } };
}

export interface CapturedGoogleError {
  status?: number;
  reason?: string;
  domain?: string;
  message: string;
  body: unknown;
  headers?: Headers;
}

interface ErrorLike {
  message: string;
  status?: number;
  response?: { status?: number; data?: unknown; headers?: Headers };
}

/** Runs a call expected to fail and returns what the client saw (GaxiosError fields and Google's body). */
export async function captureError(call: () => Promise<unknown>): Promise<CapturedGoogleError> {
  try {
    await call();
  } catch (caught) {
    const error = caught as ErrorLike;
    const body = error.response?.data;
    const item = (body as { error?: { errors?: Array<{ reason?: string; domain?: string }> } } | undefined)?.error?.errors?.[0];
    return {
      status: error.status ?? error.response?.status,
      reason: item?.reason,
      domain: item?.domain,
      message: error.message,
      body,
      headers: error.response?.headers,
    };
  }
  throw new Error('expected the call to fail');
}

export const validUser = (email: string, extra: Record<string, unknown> = {}) => ({
  primaryEmail: email,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  password: 'correct-horse-9',
  ...extra,
});
