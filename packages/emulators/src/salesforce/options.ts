// Options of startSalesforceEmulator, and their defaults.
import type { FieldValue } from './records.js';

export interface ConnectedAppOptions {
  clientId: string;
  clientSecret: string;
  /** Username of the "Run As" user for the client credentials flow; without it that flow is refused. */
  executionUsername?: string;
  /** PEM X.509 certificate (or public key) uploaded to the app, for the JWT bearer flow. */
  certificate?: string;
  /** Users approved for the JWT bearer flow; default: every active user. */
  jwtPreAuthorizedUsernames?: string[];
}

export interface LoginCredentialOptions {
  username: string;
  password: string;
  /** Appended to the password in the password grant (Salesforce's "security token"). */
  securityToken: string;
}

export interface SeedUser {
  /** Fields of the User record; Username and LastName are needed, the rest gets realistic defaults. */
  [field: string]: FieldValue | undefined;
  Username: string;
  LastName?: string;
  /** Profile name instead of ProfileId. Default 'Standard User'. */
  profileName?: string;
}

export interface SeedPermissionSet {
  Name: string;
  Label?: string;
  Description?: string;
}

export interface SeedGroup {
  /** Group label; DeveloperName defaults from it. */
  Name: string;
  DeveloperName?: string;
  /** 'Regular' (a public group, the default) or 'Queue'. */
  Type?: string;
  /** Usernames of seeded users who are members. */
  members?: string[];
}

export interface SeedRefreshToken {
  refreshToken: string;
  clientId: string;
  username: string;
}

export interface SalesforceEmulatorOptions {
  /** Port of the login listener (0 = any free port). */
  port?: number;
  host?: string;
  /** Serve the REST API on a second listener (a separate "instance" host) and point instance_url at it. */
  separateInstance?: boolean | { port?: number };
  /** API versions answered under /services/data/vXX.X; default 31.0 to 62.0. */
  apiVersions?: string[];
  /** Milliseconds added to every REST and token call (fault: latency). */
  latencyMs?: number;
  /** 15- or 18-char org id (00D...). */
  orgId?: string;
  /** Seeded users (also: the users named by credentials and executionUsername are created when missing). */
  users?: SeedUser[];
  /** Extra profiles beyond 'Standard User', 'System Administrator', 'Chatter Free User'. */
  profiles?: string[];
  permissionSets?: SeedPermissionSet[];
  /** Public groups (Group rows) and their members, created after the users. */
  groups?: SeedGroup[];
  /** Connected apps (client_id / client_secret pairs). */
  clients?: ConnectedAppOptions[];
  /** Users who may log in with the password grant. */
  credentials?: LoginCredentialOptions[];
  /** Refresh tokens the emulator honours (Salesforce only issues them from interactive flows). */
  refreshTokens?: SeedRefreshToken[];
  /** Usernames already used in some other Salesforce org (DUPLICATE_USERNAME). */
  usernamesTakenElsewhere?: string[];
  /** Session inactivity timeout; default 2 hours. */
  tokenTtlMs?: number;
  /** DailyApiRequests.Max; default 15000. */
  dailyApiLimit?: number;
  /** Password policy minimum length; default 8 (Salesforce's default; orgs may choose 5 to 50). */
  passwordMinLength?: number;
  /** One line per request (method, path without query string, status). Never carries secrets. */
  log?: (line: string) => void;
}

export const DEFAULT_API_VERSIONS: string[] = Array.from({ length: 32 }, (_, i) => `${31 + i}.0`);
export const DEFAULT_TOKEN_TTL_MS = 2 * 60 * 60 * 1000;
export const DEFAULT_DAILY_API_LIMIT = 15_000;
export const STANDARD_PROFILES = ['Standard User', 'System Administrator', 'Chatter Free User'];
