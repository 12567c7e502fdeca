// Options of the Google Workspace emulator and their defaults.
import { newCustomerId } from './google-ids.js';
import { DIRECTORY_SCOPES } from './google-scopes.js';

export interface GoogleServiceAccountOptions {
  /** The service account's email, the JWT `iss`. */
  clientEmail: string;
  /** SPKI public key PEM or X.509 certificate PEM (what Google publishes for a key). Several for rotation. */
  publicKeyPem: string | string[];
  /** Scopes authorized for domain-wide delegation in the Admin console. Default: every Directory scope. */
  scopes?: string[];
}

export interface GoogleEmulatorOptions {
  port?: number;
  host?: string;
  /** Immutable customer id (e.g. "C01abc234"); `my_customer` always resolves to it. */
  customerId?: string;
  /** The customer's domains; the first is the primary domain. Default ['example.com']. */
  domains?: string[];
  /** Super administrators, created as users at start. Default [`admin@<primary domain>`]. */
  admins?: string[];
  serviceAccounts?: GoogleServiceAccountOptions[];
  /** Org units that exist besides "/". */
  orgUnits?: string[];
  latencyMs?: number;
  /** Directory API queries per minute per impersonated user (Google's default is 2,400). */
  userRateLimitPerMinute?: number;
  /** Lifetime of issued access tokens; Google answers 3599. */
  tokenTtlSec?: number;
  /** Appears in quota error messages, like a Cloud project number. */
  projectNumber?: string;
  /** Clock in epoch milliseconds, injectable so tests can move time. */
  now?: () => number;
}

export interface ResolvedGoogleOptions {
  port: number;
  host: string;
  customerId: string;
  domains: string[];
  admins: string[];
  serviceAccounts: Array<{ clientEmail: string; publicKeyPems: string[]; scopes: string[] }>;
  orgUnits: string[];
  latencyMs: number;
  userRateLimitPerMinute: number;
  tokenTtlSec: number;
  projectNumber: string;
  now: () => number;
}

export function resolveGoogleOptions(options: GoogleEmulatorOptions = {}): ResolvedGoogleOptions {
  const domains = (options.domains ?? ['example.com']).map((d) => d.toLowerCase());
  if (domains.length === 0) throw new Error('Google emulator needs at least one domain');
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    customerId: options.customerId ?? newCustomerId(),
    domains,
    admins: (options.admins ?? [`admin@${domains[0]}`]).map((a) => a.toLowerCase()),
    serviceAccounts: (options.serviceAccounts ?? []).map((sa) => ({
      clientEmail: sa.clientEmail,
      publicKeyPems: Array.isArray(sa.publicKeyPem) ? sa.publicKeyPem : [sa.publicKeyPem],
      scopes: sa.scopes ?? [...DIRECTORY_SCOPES],
    })),
    orgUnits: ['/', ...(options.orgUnits ?? [])],
    latencyMs: options.latencyMs ?? 0,
    userRateLimitPerMinute: options.userRateLimitPerMinute ?? 2400,
    tokenTtlSec: options.tokenTtlSec ?? 3599,
    projectNumber: options.projectNumber ?? '100000000001',
    now: options.now ?? Date.now,
  };
}
