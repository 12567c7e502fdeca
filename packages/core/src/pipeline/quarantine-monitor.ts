import type { Clock } from '../clock.js';
import type { Logger } from '../logging/logger.js';
import type { QuarantineSettings } from '../manifest/quarantine-schema.js';
import type { PublishOperatorEvent } from '../notifications/operator-events.js';
import type { QuarantineRecord } from '../store/quarantine-states.js';
import type { Store } from '../store/store-ports.js';
import { CallWindow } from './call-window.js';
import type { ProvisioningTarget } from './provisioning-target.js';
import { targetFailureOf } from './target-failure.js';

/** Longest a probe may take; also how long its claim keeps other processes from probing the same instance. */
const PROBE_TIMEOUT_MS = 30_000;

/** What the worker asks of quarantine: one predicate for the claim, one report per call. */
export interface QuarantineGate {
  /** The instance is quarantined: claim none of its jobs (they stay pending, no attempt spent). */
  blocks(instanceId: string): boolean;
  /** A call's outcome (error undefined: it succeeded), counted in the instance's window. */
  recordCall(instanceId: string, error?: unknown): void;
  /**
   * Refused credentials at an instance quarantine watches: the job is retried rather
   * than failed at once, since the quarantine (not the job) deals with the cause.
   */
  holdsFailure(instanceId: string, error: unknown): boolean;
}

export interface QuarantineMonitorDeps {
  store: Store;
  targets: readonly ProvisioningTarget[];
  clock: Clock;
  logger: Logger;
  publish: PublishOperatorEvent;
  scrub: (text: string) => string;
  /** After leaving quarantine: wake the worker for the jobs that waited. */
  wake: () => void;
  /** How often states are re-read from the store and due probes run (default 1 s). */
  tickMs?: number;
}

/**
 * Quarantine of connector instances: counts each instance's calls in a window,
 * quarantines an instance when most of them fail for a target-wide reason, probes
 * it (`check()`) at a doubling interval, and ends it when a probe succeeds or an
 * operator releases it. The states live in the store; this keeps a copy for the
 * worker's claim and refreshes it every tick (another process may change them).
 */
export class QuarantineMonitor implements QuarantineGate {
  private readonly states = new Map<string, QuarantineRecord>();
  private readonly windows = new Map<string, CallWindow>();
  private readonly settings = new Map<string, QuarantineSettings>();
  private readonly byId: Map<string, ProvisioningTarget>;
  private readonly probing = new Set<string>();
  private readonly entering = new Set<string>();
  private timer?: ReturnType<typeof setInterval>;
  private ticking?: Promise<void>;

  constructor(private readonly deps: QuarantineMonitorDeps) {
    this.byId = new Map(deps.targets.map((t) => [t.id, t]));
    for (const target of deps.targets) {
      const settings = target.instance.settings.quarantine;
      if (settings === false) continue;
      this.settings.set(target.id, settings);
      this.windows.set(target.id, new CallWindow(settings.windowMs));
    }
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      if (!this.ticking) this.ticking = this.tick().finally(() => (this.ticking = undefined));
    }, this.deps.tickMs ?? 1000);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  blocks(instanceId: string): boolean {
    return this.states.has(instanceId);
  }

  holdsFailure(instanceId: string, error: unknown): boolean {
    // Refused credentials only: a 403 may be one account's (a policy), and is failed at once as before.
    return this.settings.has(instanceId) && targetFailureOf(error) === 'authentication refused';
  }

  recordCall(instanceId: string, error?: unknown): void {
    const settings = this.settings.get(instanceId);
    const window = this.windows.get(instanceId);
    if (!settings || !window || this.states.has(instanceId)) return;
    const failure = error === undefined ? undefined : targetFailureOf(error);
    const now = this.deps.clock.now();
    window.record(now, failure);
    if (!failure) return;
    const { calls, failed, failure: most } = window.summary(now);
    if (calls < settings.minCalls || failed / calls < settings.failureRate) return;
    const detail = this.deps.scrub(error instanceof Error ? error.message : String(error));
    const reason = `${most ?? failure}: ${failed} of ${calls} calls in ${Math.round(settings.windowMs / 1000)} s failed; last: ${detail}`;
    void this.enter(instanceId, reason, settings, now);
  }

  /** The quarantine states as the store has them now (admin API, console, CLI). */
  list(): Promise<QuarantineRecord[]> {
    return this.deps.store.quarantines.list();
  }

  /** Ends a quarantine by hand; the record it ended, or undefined when the instance was not quarantined. */
  async release(instanceId: string, operator: string): Promise<QuarantineRecord | undefined> {
    const record = await this.deps.store.quarantines.leave(instanceId);
    if (!record) return undefined;
    this.left(record, 'operator', operator);
    return record;
  }

  private async enter(instanceId: string, reason: string, settings: QuarantineSettings, now: number): Promise<void> {
    if (this.entering.has(instanceId)) return;
    this.entering.add(instanceId);
    const record: QuarantineRecord = { instanceId, since: now, reason, nextProbeAt: now + settings.probe.firstMs, probeCount: 0 };
    // Blocked at once: the worker claims nothing more while the store records it.
    this.states.set(instanceId, record);
    try {
      if (await this.deps.store.quarantines.enter(record)) {
        this.deps.logger.warn({ connector: instanceId, reason, nextProbeAt: iso(record.nextProbeAt) }, 'connector instance quarantined');
        this.deps.publish({
          kind: 'quarantine.entered',
          severity: 'error',
          connectorId: instanceId,
          message: `${instanceId} is quarantined (${reason}); its jobs wait, the next probe is at ${iso(record.nextProbeAt)}`,
          details: { reason, since: iso(record.since), nextProbeAt: iso(record.nextProbeAt) },
        });
      } else {
        const stored = await this.deps.store.quarantines.get(instanceId);
        if (stored) this.states.set(instanceId, stored);
      }
    } catch (error) {
      this.deps.logger.error({ err: error, connector: instanceId }, 'could not record the quarantine; its jobs wait meanwhile');
    } finally {
      this.entering.delete(instanceId);
    }
  }

  private async tick(): Promise<void> {
    try {
      await this.refresh();
      const now = this.deps.clock.now();
      await Promise.all([...this.states.values()].filter((r) => r.nextProbeAt <= now).map((r) => this.probe(r.instanceId)));
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not read quarantine states; retrying');
    }
  }

  /** The store is the truth: states another process entered or ended show up here. */
  private async refresh(): Promise<void> {
    const stored = await this.deps.store.quarantines.list();
    const ids = new Set(stored.map((r) => r.instanceId));
    for (const id of [...this.states.keys()]) {
      if (ids.has(id) || this.entering.has(id)) continue;
      this.states.delete(id);
      this.windows.get(id)?.clear();
      this.deps.wake();
    }
    for (const record of stored) if (this.byId.has(record.instanceId)) this.states.set(record.instanceId, record);
  }

  private async probe(instanceId: string): Promise<void> {
    const target = this.byId.get(instanceId);
    const settings = this.settings.get(instanceId);
    if (!target || this.probing.has(instanceId)) return;
    this.probing.add(instanceId);
    try {
      const now = this.deps.clock.now();
      const taken = await this.deps.store.quarantines.takeProbe(instanceId, now, now + PROBE_TIMEOUT_MS * 2);
      if (!taken) return;
      const outcome = await checkWithTimeout(target);
      if (outcome.ok) {
        const record = await this.deps.store.quarantines.leave(instanceId);
        if (record) this.left({ ...record, probeCount: record.probeCount + 1 }, 'probe');
        return;
      }
      const first = settings?.probe.firstMs ?? 60_000;
      const max = settings?.probe.maxMs ?? 3_600_000;
      const next = this.deps.clock.now() + Math.min(max, first * 2 ** (taken.probeCount + 1));
      const error = this.deps.scrub(outcome.message);
      await this.deps.store.quarantines.probeFailed(instanceId, next, error);
      this.deps.logger.warn(
        { connector: instanceId, probe: taken.probeCount + 1, error, nextProbeAt: iso(next) },
        'quarantine probe failed',
      );
    } catch (error) {
      this.deps.logger.warn({ err: error, connector: instanceId }, 'quarantine probe could not run');
    } finally {
      this.probing.delete(instanceId);
    }
  }

  private left(record: QuarantineRecord, by: 'probe' | 'operator', operator?: string): void {
    this.states.delete(record.instanceId);
    this.windows.get(record.instanceId)?.clear();
    const how = by === 'probe' ? `a probe succeeded after ${record.probeCount} probe(s)` : `released by ${operator ?? 'an operator'}`;
    this.deps.logger.info({ connector: record.instanceId, by, probes: record.probeCount }, 'connector instance left quarantine');
    this.deps.publish({
      kind: 'quarantine.left',
      severity: 'info',
      connectorId: record.instanceId,
      message: `${record.instanceId} left quarantine (${how}); its waiting jobs run now`,
      details: { by, since: iso(record.since), probes: record.probeCount, ...(operator ? { operator } : {}) },
    });
    this.deps.wake();
  }
}

async function checkWithTimeout(target: ProvisioningTarget): Promise<{ ok: boolean; message: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<{ ok: boolean; message: string }>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, message: `check() did not answer within ${PROBE_TIMEOUT_MS / 1000} s` }),
      PROBE_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([
      target.instance.connector.check().then(
        (report) => ({ ok: report.ok, message: report.message }),
        (error: unknown) => ({ ok: false, message: error instanceof Error ? error.message : String(error) }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
