import type { HealthReport } from '@provisio/core';
import type { Store } from '@provisio/core/engine';

/** How old a connector's last check() may be before /readyz asks again. */
const CHECK_MAX_AGE_MS = 60_000;
/** How long /readyz waits for a connector check it started; slower ones answer on a later call. */
const CHECK_WAIT_MS = 2000;
/** How long the store's write probe may take before the store counts as not ready. */
const STORE_PROBE_TIMEOUT_MS = 5000;

export interface ComponentState {
  ok: boolean;
  [detail: string]: unknown;
}

export interface ReadinessReport {
  status: 'ready' | 'not ready' | 'starting' | 'stopping';
  components: {
    store: ComponentState;
    worker: ComponentState;
    /** One entry per enabled connector instance: its last check(); `ok: null` until one answered. */
    connectors: Record<string, Omit<ComponentState, 'ok'> & { ok: boolean | null }>;
  };
}

export interface ReadinessDeps {
  store: Store;
  storeLabel: string;
  phase: () => 'starting' | 'running' | 'stopping';
  /** Whether this process runs a worker (not with --role api), and whether it is running. */
  worker: () => { expected: boolean; running: boolean };
  connectors: () => { id: string; check: () => Promise<HealthReport> }[];
  lastChecks: ReadonlyMap<string, HealthReport & { at: number }>;
  /** Secrets out of connector messages and store errors. */
  scrub: (text: string) => string;
}

/**
 * GET /readyz: each component's state. Ready (200) means the store takes writes now
 * (a real write probe) and the server is running; connectors and the worker are
 * reported but do not make it unready (a target being down is not ours to fix by
 * taking this process out of a load balancer).
 */
export class Readiness {
  private readonly checking = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: ReadinessDeps) {}

  async report(): Promise<ReadinessReport> {
    const [store, connectors] = await Promise.all([this.storeState(), this.connectorStates()]);
    const { expected, running } = this.deps.worker();
    const worker: ComponentState = expected
      ? { ok: running, running }
      : { ok: true, running: false, detail: 'this process runs no worker (--role api); others run the jobs' };
    const phase = this.deps.phase();
    const status = phase === 'running' ? (store.ok ? 'ready' : 'not ready') : phase;
    return { status, components: { store, worker, connectors } };
  }

  private async storeState(): Promise<ComponentState> {
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        this.deps.store.probeWrite(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the write probe took longer than ${STORE_PROBE_TIMEOUT_MS} ms`)),
            STORE_PROBE_TIMEOUT_MS,
          );
        }),
      ]);
      return { ok: true, store: this.deps.storeLabel, writable: true, probeMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { ok: false, store: this.deps.storeLabel, writable: false, error: this.deps.scrub((error as Error).message ?? String(error)) };
    } finally {
      clearTimeout(timer);
    }
  }

  private async connectorStates(): Promise<ReadinessReport['components']['connectors']> {
    const connectors = this.deps.connectors();
    const now = Date.now();
    const stale = connectors.filter((c) => now - (this.deps.lastChecks.get(c.id)?.at ?? 0) > CHECK_MAX_AGE_MS);
    // Wait (briefly) only for checks this call started: a hanging target must not slow every probe.
    const started = stale.filter((c) => !this.checking.has(c.id)).map((c) => this.startCheck(c));
    if (started.length > 0) await this.waitAtMost(CHECK_WAIT_MS, started);
    const states: ReadinessReport['components']['connectors'] = {};
    for (const { id } of connectors) {
      const last = this.deps.lastChecks.get(id);
      states[id] = last
        ? { ok: last.ok, message: this.deps.scrub(last.message), checkedAt: new Date(last.at).toISOString() }
        : { ok: null, message: 'not checked yet (a check is running)' };
    }
    return states;
  }

  /** One check at a time per connector; its result lands in lastChecks (the connector observer). */
  private startCheck(connector: { id: string; check: () => Promise<HealthReport> }): Promise<unknown> {
    const running = connector
      .check()
      .catch(() => undefined)
      .finally(() => this.checking.delete(connector.id));
    this.checking.set(connector.id, running);
    return running;
  }

  private async waitAtMost(ms: number, work: Promise<unknown>[]): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.allSettled(work), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }
}
