// Fault injection state: what the next requests should suffer. Read by the HTTP layer and the service.
import type { ScimType } from './scim-errors.js';

export interface UserNameFailure {
  status: number;
  scimType?: ScimType;
  detail: string;
}

export interface StatusBurst {
  remaining: number;
  status: number;
  retryAfterSec?: number;
}

/** Every request answers `status` until `until` (epoch ms): the service is down for a while. */
export interface Outage {
  until: number;
  status: number;
  retryAfterSec?: number;
}

export class ScimFaults {
  latencyMs = 0;
  burst: StatusBurst | undefined;
  outage: Outage | undefined;
  dropResponses = 0;
  /** HTTP status returned for PATCH while rejection is on (the service still advertises what `patchSupported` says). */
  rejectPatchStatus: number | undefined;
  patchSupported: boolean;
  bulkSupported: boolean;
  readonly failingUserNames = new Map<string, UserNameFailure>();
  tokenGeneration = 0;

  constructor(private readonly defaults: { patchSupported: boolean; bulkSupported: boolean; latencyMs: number }) {
    this.patchSupported = defaults.patchSupported;
    this.bulkSupported = defaults.bulkSupported;
    this.latencyMs = defaults.latencyMs;
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  /** The next `count` requests answer `status` (503 by default) without touching state. */
  failNext(count: number, status = 503, retryAfterSec?: number): void {
    this.burst = { remaining: Math.max(0, count), status, retryAfterSec };
  }

  /** Every request answers `status` (503 by default) for the next `ms` milliseconds, then the service heals by itself. */
  failFor(ms: number, status = 503, retryAfterSec?: number): void {
    this.outage = { until: Date.now() + Math.max(0, ms), status, retryAfterSec };
  }

  /** The next `count` requests answer 429 Too Many Requests with Retry-After. */
  rateLimitNext(count: number, retryAfterSec = 1): void {
    this.failNext(count, 429, retryAfterSec);
  }

  /** Every OAuth access token issued so far becomes invalid (clients must fetch a new one). */
  expireTokens(): void {
    this.tokenGeneration += 1;
  }

  /** PATCH answers `status` while ServiceProviderConfig keeps advertising PATCH (a service that lies). */
  rejectPatch(status = 501): void {
    this.rejectPatchStatus = status;
  }

  clearPatchRejection(): void {
    this.rejectPatchStatus = undefined;
  }

  setPatchSupported(supported: boolean): void {
    this.patchSupported = supported;
  }

  setBulkSupported(supported: boolean): void {
    this.bulkSupported = supported;
  }

  /** Writes of this userName fail permanently (e.g. 400 invalidValue or 403) until cleared. */
  failUserName(userName: string, failure: Partial<UserNameFailure> = {}): void {
    this.failingUserNames.set(userName.toLowerCase(), {
      status: failure.status ?? 400,
      scimType: failure.scimType ?? (failure.status === undefined || failure.status === 400 ? 'invalidValue' : undefined),
      detail: failure.detail ?? `The service refuses userName "${userName}"`,
    });
  }

  clearUserNameFailures(): void {
    this.failingUserNames.clear();
  }

  /** The next `count` requests are processed, then their socket is destroyed before any response byte. */
  dropNextResponses(count = 1): void {
    this.dropResponses = Math.max(0, count);
  }

  takeBurst(): StatusBurst | undefined {
    if (this.outage && Date.now() < this.outage.until)
      return { remaining: Infinity, status: this.outage.status, retryAfterSec: this.outage.retryAfterSec };
    if (!this.burst || this.burst.remaining <= 0) return undefined;
    this.burst.remaining -= 1;
    return this.burst;
  }

  takeDrop(): boolean {
    if (this.dropResponses <= 0) return false;
    this.dropResponses -= 1;
    return true;
  }

  reset(): void {
    this.latencyMs = this.defaults.latencyMs;
    this.burst = undefined;
    this.outage = undefined;
    this.dropResponses = 0;
    this.rejectPatchStatus = undefined;
    this.patchSupported = this.defaults.patchSupported;
    this.bulkSupported = this.defaults.bulkSupported;
    this.failingUserNames.clear();
  }
}
