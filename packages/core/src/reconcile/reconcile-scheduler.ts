import type { Clock } from '../clock.js';
import type { Logger } from '../logging/logger.js';
import { durationMs } from '../manifest/duration.js';
import type { ProvisioningTarget } from '../pipeline/provisioning-target.js';
import type { Store } from '../store/store-ports.js';

export interface ReconcileSchedulerDeps {
  store: Store;
  clock: Clock;
  targets: readonly ProvisioningTarget[];
  /** One scheduled reconcile of `target` (both passes); aborted when the process stops. */
  run: (target: ProvisioningTarget, signal: AbortSignal) => Promise<void>;
  logger: Logger;
}

export interface ReconcileSchedulerOptions {
  /** How often due runs are looked for (default 30 s). */
  tickMs?: number;
}

/** The store key of an instance's scheduled reconcile. */
export const reconcileScheduleKey = (instanceId: string): string => `reconcile:${instanceId}`;

/**
 * Runs `reconcile.every` schedules. Every process with a worker ticks; a due run is taken in the
 * store (one conditional statement), so with several processes on PostgreSQL each run happens
 * once. A run never taken before is due at once; a run that dies with its process waits for its
 * next time (a reconcile repairs what it finds, so the next run catches up).
 */
export class ReconcileScheduler {
  private readonly tickMs: number;
  private stopping?: AbortController;
  private loop?: Promise<void>;

  constructor(
    private readonly deps: ReconcileSchedulerDeps,
    options: ReconcileSchedulerOptions = {},
  ) {
    this.tickMs = options.tickMs ?? 30_000;
  }

  /** The instances that reconcile on a schedule, with their period in ms. */
  scheduled(): { target: ProvisioningTarget; everyMs: number }[] {
    return this.deps.targets.flatMap((target) => {
      const every = target.instance.settings.reconcile.every;
      return every && target.instance.connector.listUsers ? [{ target, everyMs: durationMs(every) }] : [];
    });
  }

  start(): void {
    if (this.loop || this.scheduled().length === 0) return;
    const stopping = new AbortController();
    this.stopping = stopping;
    this.loop = this.run(stopping.signal);
  }

  /** Takes and runs every due reconcile once; the ids of those this call ran. */
  async runDue(signal: AbortSignal = new AbortController().signal): Promise<string[]> {
    const ran: string[] = [];
    for (const { target, everyMs } of this.scheduled()) {
      if (signal.aborted) break;
      const now = this.deps.clock.now();
      if (!(await this.deps.store.schedules.take(reconcileScheduleKey(target.id), now, now + everyMs))) continue;
      this.deps.logger.info({ connector: target.id }, `scheduled reconcile of ${target.id} started`);
      try {
        await this.deps.run(target, signal);
        ran.push(target.id);
      } catch (error) {
        // Reported in its reconcile report too; the next period tries again.
        this.deps.logger.warn({ connector: target.id, err: error }, `scheduled reconcile of ${target.id} failed`);
      }
    }
    return ran;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.runDue(signal);
      } catch (error) {
        // The store is down or busy: the next tick tries again.
        this.deps.logger.warn({ err: error }, 'looking for due scheduled reconciles failed');
      }
      try {
        await this.deps.clock.sleep(this.tickMs, signal);
      } catch {
        return;
      }
    }
  }

  /** Stops the loop; a run under way is aborted (its report says so). */
  async stop(): Promise<void> {
    this.stopping?.abort();
    await this.loop;
    this.loop = undefined;
    this.stopping = undefined;
  }
}
