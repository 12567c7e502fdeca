// One fault vocabulary for every emulator: the same verbs from code and, as JSON, from
// POST /__emulator/faults. Each emulator renders an injected failure in its own service's
// error shape; what fails, when and how often is decided here, once.

/** A failure to answer with: the HTTP status, and optionally Retry-After, the service's error code and message. */
export interface InjectedFailure {
  status: number;
  retryAfterSec?: number;
  /** The service's own error code: Salesforce `errorCode`, Google `reason`, SCIM `scimType`. Each emulator has a default per status. */
  code?: string;
  message?: string;
}

/** What a failure carries beside its status. */
export type FailureDetails = Omit<InjectedFailure, 'status'>;

/** How the service refuses writes of one named account (a validation rule, a policy, missing rights). */
export interface AccountRefusal {
  status: 400 | 403;
  message?: string;
  code?: string;
}

/** The verbs every emulator's `faults` understands. */
export interface FaultVerbs {
  /** Milliseconds added before every answer. */
  setLatency(ms: number): void;
  /** The next `count` calls answer `status` (503 by default) without touching state. Bursts queue up in order. */
  failNext(count: number, status?: number, details?: FailureDetails): void;
  /** Every call answers `status` (503 by default) for the next `ms` milliseconds, then the service heals by itself. */
  failFor(ms: number, status?: number, details?: FailureDetails): void;
  /** The next `count` calls answer 429 with Retry-After (seconds) when given. */
  rateLimitNext(count: number, retryAfterSec?: number): void;
  /** The next `count` calls are carried out, then the connection is destroyed before any byte of the answer. */
  dropNextResponses(count?: number): void;
  /** Writes of the account with this name (any case) are refused as `refusal` says, until reset. */
  refuseAccount(name: string, refusal: AccountRefusal): void;
  /** Lifts every refusal set by refuseAccount. */
  clearRefusals(): void;
  /** Every access token issued so far stops working; clients must fetch a new one. */
  expireTokens(): void;
  /** Back to no faults and the emulator's configured latency. */
  reset(): void;
}

export interface FaultScheduleSnapshot {
  latencyMs: number;
  /** Calls still to answer with an injected failure (bursts of failNext / rateLimitNext). */
  pendingFailures: number;
  /** When the injected outage (failFor) ends, ISO time; null when there is none. */
  failingUntil: string | null;
  /** Calls still to be carried out with their answer dropped. */
  pendingDrops: number;
  /** Names (lower case) of the accounts whose writes are refused. */
  refusedAccounts: string[];
}

interface Burst {
  remaining: number;
  failure: InjectedFailure;
}

/** Bounds what a test (or a typo in a curl) can queue. */
const MAX_QUEUED = 100_000;

export interface FaultScheduleOptions {
  /** The latency the emulator was started with; `reset()` returns to it. */
  baseLatencyMs?: number;
  /** Invalidates the emulator's issued tokens. */
  expireTokens: () => void;
  now?: () => number;
}

export class FaultSchedule implements FaultVerbs {
  private latency: number;
  private bursts: Burst[] = [];
  private outage: { until: number; failure: InjectedFailure } | undefined;
  private drops = 0;
  private readonly refusals = new Map<string, AccountRefusal>();
  private readonly now: () => number;

  constructor(private readonly options: FaultScheduleOptions) {
    this.latency = Math.max(0, options.baseLatencyMs ?? 0);
    this.now = options.now ?? Date.now;
  }

  get latencyMs(): number {
    return this.latency;
  }

  setLatency(ms: number): void {
    this.latency = Math.max(0, Math.floor(ms));
  }

  failNext(count: number, status = 503, details: FailureDetails = {}): void {
    const queued = this.bursts.reduce((sum, burst) => sum + burst.remaining, 0);
    const remaining = Math.min(Math.max(0, Math.floor(count)), MAX_QUEUED - queued);
    if (remaining > 0) this.bursts.push({ remaining, failure: failureOf(status, details) });
  }

  failFor(ms: number, status = 503, details: FailureDetails = {}): void {
    this.outage = { until: this.now() + Math.max(0, ms), failure: failureOf(status, details) };
  }

  rateLimitNext(count: number, retryAfterSec?: number): void {
    this.failNext(count, 429, retryAfterSec === undefined ? {} : { retryAfterSec });
  }

  dropNextResponses(count = 1): void {
    this.drops = Math.min(Math.max(0, Math.floor(count)), MAX_QUEUED);
  }

  refuseAccount(name: string, refusal: AccountRefusal): void {
    this.refusals.set(name.toLowerCase(), { ...refusal });
  }

  clearRefusals(): void {
    this.refusals.clear();
  }

  expireTokens(): void {
    this.options.expireTokens();
  }

  reset(): void {
    this.latency = Math.max(0, this.options.baseLatencyMs ?? 0);
    this.bursts = [];
    this.outage = undefined;
    this.drops = 0;
    this.refusals.clear();
  }

  /** Consumes the failure this call must answer with, if any: an outage first, then the oldest burst. */
  takeFailure(): InjectedFailure | undefined {
    if (this.outage) {
      if (this.now() < this.outage.until) return this.outage.failure;
      this.outage = undefined;
    }
    const burst = this.bursts[0];
    if (!burst) return undefined;
    burst.remaining -= 1;
    if (burst.remaining <= 0) this.bursts.shift();
    return burst.failure;
  }

  /** Consumes one pending drop: true when this call's answer must be lost. */
  takeDrop(): boolean {
    if (this.drops <= 0) return false;
    this.drops -= 1;
    return true;
  }

  /** The refusal of writes of the account with this name, if one is set. */
  refusalOf(name: unknown): AccountRefusal | undefined {
    return typeof name === 'string' ? this.refusals.get(name.toLowerCase()) : undefined;
  }

  snapshot(): FaultScheduleSnapshot {
    const outageActive = this.outage !== undefined && this.outage.until > this.now();
    return {
      latencyMs: this.latency,
      pendingFailures: this.bursts.reduce((sum, burst) => sum + burst.remaining, 0),
      failingUntil: outageActive && this.outage ? new Date(this.outage.until).toISOString() : null,
      pendingDrops: this.drops,
      refusedAccounts: [...this.refusals.keys()],
    };
  }
}

function failureOf(status: number, details: FailureDetails): InjectedFailure {
  return {
    status,
    ...(details.retryAfterSec === undefined ? {} : { retryAfterSec: Math.max(0, Math.floor(details.retryAfterSec)) }),
    ...(details.code === undefined ? {} : { code: details.code }),
    ...(details.message === undefined ? {} : { message: details.message }),
  };
}
