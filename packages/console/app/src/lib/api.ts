// The response shapes, as one namespace: `Admin.Job` is the admin API's job.
import type * as Admin from './types.js';

/** An admin API error with the server's own message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The Authorization header value for a bearer token or a username and password. */
export function authorizationFor(credentials: { token: string } | { username: string; password: string }): string {
  if ('token' in credentials) return `Bearer ${credentials.token.trim()}`;
  const bytes = new TextEncoder().encode(`${credentials.username}:${credentials.password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== null && e[1] !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** The tenant a console page belongs to: `acme.com` for /t/acme.com/console/, undefined for the default tenant's /console/. */
export function tenantOfPath(pathname: string): string | undefined {
  const match = /^\/t\/([^/]+)\/console(?:\/|$)/.exec(pathname);
  return match ? decodeURIComponent(match[1]) : undefined;
}

/** The admin API this console page talks to: its tenant's (beneath /t/<domain>) or the default tenant's. */
export function adminBaseFor(pathname: string): string {
  const tenant = tenantOfPath(pathname);
  return tenant === undefined ? '/admin/v1' : `/t/${encodeURIComponent(tenant)}/admin/v1`;
}

/** Where the console of a tenant is served (`isDefault`: the default tenant's, at /console/). */
export const consolePathOf = (domain: string, isDefault: boolean) =>
  isDefault ? '/console/' : `/t/${encodeURIComponent(domain)}/console/`;

/** The admin API, as the signed-in operator. Same origin as the console. */
export class AdminApi {
  constructor(
    private readonly authorization: string,
    private readonly base = '/admin/v1',
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
  ) {}

  private async call<T>(method: string, path: string, body?: unknown, alsoOk: readonly number[] = []): Promise<T> {
    const response = await this.fetchImpl(`${this.base}${path}`, {
      method,
      headers: {
        authorization: this.authorization,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a proxy's error page): report the status below.
    }
    if (!response.ok && !alsoOk.includes(response.status)) {
      const message =
        (parsed as { error?: { message?: string } } | undefined)?.error?.message ?? `${response.status} ${response.statusText}`;
      throw new ApiError(response.status, message);
    }
    return parsed as T;
  }

  session = () => this.call<Admin.Session>('GET', '/session');
  /** Every tenant: the super admin only, and only on the default tenant's API (see tenantDirectory). */
  tenants = () => this.call<Admin.TenantList>('GET', '/tenants');
  connectors = () => this.call<{ connectors: Admin.ConnectorSummary[] }>('GET', '/connectors');
  connector = (id: string) => this.call<Admin.ConnectorDetail>('GET', `/connectors/${encodeURIComponent(id)}`);
  /** 503 is a failed check, not an error. */
  check = (id: string) => this.call<Admin.HealthReport>('GET', `/connectors/${encodeURIComponent(id)}/check`, undefined, [503]);
  preview = (id: string, user: string) =>
    this.call<Admin.Preview>('GET', `/connectors/${encodeURIComponent(id)}/preview${query({ user })}`);
  provision = (id: string, user: string) =>
    this.call<Admin.ProvisionResult>('POST', `/connectors/${encodeURIComponent(id)}/provision`, { user });
  guard = (id: string) => this.call<Admin.GuardReport>('GET', `/connectors/${encodeURIComponent(id)}/guard`);
  resolveGuard = (id: string, decision: 'release' | 'discard') =>
    this.call<Admin.GuardResolution>('POST', `/connectors/${encodeURIComponent(id)}/guard/${decision}`);
  releaseQuarantine = (id: string) =>
    this.call<Admin.QuarantineRelease>('POST', `/connectors/${encodeURIComponent(id)}/quarantine/release`);
  imports = (id: string) => this.call<{ reports: Admin.TargetReport[] }>('GET', `/connectors/${encodeURIComponent(id)}/imports`);
  runImport = (id: string, apply: boolean) =>
    this.call<Admin.TargetReport>('POST', `/connectors/${encodeURIComponent(id)}/import`, { apply });
  retryFailed = (id: string) => this.call<{ retried: number }>('POST', `/connectors/${encodeURIComponent(id)}/retry-failed`);
  jobs = (filter: { status?: string; connector?: string; user?: string; limit?: number }) =>
    this.call<{ jobs: Admin.Job[]; next: string | null }>('GET', `/jobs${query(filter)}`);
  retryJob = (id: string) => this.call<Admin.Job>('POST', `/jobs/${encodeURIComponent(id)}/retry`);
  throughput = (minutes = 60) => this.call<Admin.Throughput>('GET', `/throughput${query({ minutes })}`);
  users = (q: string) => this.call<{ totalResults: number; users: Admin.UserSummary[] }>('GET', `/users${query({ q, limit: 50 })}`);
  user = (id: string) => this.call<Admin.UserDetail>('GET', `/users/${encodeURIComponent(id)}`);
  groups = (q: string) => this.call<{ totalResults: number; groups: Admin.GroupSummary[] }>('GET', `/groups${query({ q, limit: 50 })}`);
  group = (id: string) => this.call<Admin.GroupDetail>('GET', `/groups/${encodeURIComponent(id)}`);
  audit = (filter: { entity?: string; before?: number; limit?: number }) =>
    this.call<{ entries: Admin.AuditEntry[]; next: number | null }>('GET', `/audit${query(filter)}`);
}
