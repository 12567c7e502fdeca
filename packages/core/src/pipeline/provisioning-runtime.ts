import type { Clock } from '../clock.js';
import type { ExpressionFunctions } from '../extension/expression-function.js';
import type { ConnectorInstance, ConnectorInstances } from '../connector/connector-instances.js';
import { ImportService } from '../import/import-service.js';
import { ReconcileScheduler } from '../reconcile/reconcile-scheduler.js';
import { TargetReconciler } from '../reconcile/target-reconciler.js';
import type { Logger } from '../logging/logger.js';
import type { PasswordSealer } from '../security/passwords.js';
import type { Store } from '../store/store-ports.js';
import type { TargetReportRecord } from '../store/records.js';
import { IdentityService } from './identity-service.js';
import { JobEvents } from './job-events.js';
import { JobExecutor } from './job-executor.js';
import { ProvisioningTarget } from './provisioning-target.js';
import type { RetentionConfig } from '../manifest/manifest-schema.js';
import { RetentionPruner, type RetentionPrunerOptions } from './retention-pruner.js';
import type { RateGates } from './rate-gate.js';
import { Worker, type WorkerOptions } from './worker.js';
import { QuarantineMonitor } from './quarantine-monitor.js';
import { announceGuardTrips } from './guard-announcer.js';
import { FailedJobBatcher } from '../notifications/failed-job-batcher.js';
import { IGNORE_OPERATOR_EVENTS } from '../notifications/operator-events.js';
import type { NotificationDispatcher } from '../notifications/notification-dispatcher.js';

export interface RuntimeOptions {
  store: Store;
  instances: ConnectorInstances;
  sealer: PasswordSealer;
  clock: Clock;
  logger: Logger;
  scrub?: (text: string) => string;
  /** false: accept writes and plan jobs, but let other processes run them (`--role api`). */
  runWorker?: boolean;
  worker?: WorkerOptions;
  /** The manifest's retention: pruned beside the worker (a process without a worker does not prune). Absent: nothing pruned. */
  retention?: RetentionConfig;
  pruner?: RetentionPrunerOptions;
  /** The plugins' expression functions the mappings may call (default: none). */
  functions?: ExpressionFunctions;
  /** Where operator events go (quarantine, failed jobs); default: nowhere. Stopped with the runtime. */
  notifications?: NotificationDispatcher;
  /** The process's rate gates, shared by the runtimes of every tenant (see RateGates); absent: the worker's own. */
  rateGates?: RateGates;
  /** Failed jobs of an instance are published at most once per this interval (default 5 min). */
  failedJobsIntervalMs?: number;
  /** How often quarantine states are re-read and due probes run (default 1 s). */
  quarantineTickMs?: number;
  /** Opens a disabled instance of the manifest for a one-off run (import before enabling); undefined: no such instance. */
  openDisabled?: (id: string) => Promise<ConnectorInstance | undefined>;
  /** security.pendingPasswordTtl in ms (default 7 days). */
  pendingPasswordTtlMs?: number;
  /** How often due `reconcile.every` runs are looked for (default 30 s). */
  reconcileTickMs?: number;
}

/** The provisioning pipeline of one server process: identity service, targets and (optionally) a worker. */
export class ProvisioningRuntime {
  readonly events = new JobEvents();
  readonly targets: readonly ProvisioningTarget[];
  readonly identities: IdentityService;
  readonly executor: JobExecutor;
  readonly imports: ImportService;
  /** Reconcile against what a target holds (connectors with a read side). */
  readonly reconciler: TargetReconciler;
  readonly worker?: Worker;
  readonly pruner?: RetentionPruner;
  /** Runs `reconcile.every` schedules (processes with a worker). */
  readonly scheduler?: ReconcileScheduler;
  readonly quarantine: QuarantineMonitor;
  private readonly failedJobs?: FailedJobBatcher;

  constructor(readonly options: RuntimeOptions) {
    this.targets = options.instances.list().map((instance) => new ProvisioningTarget(instance, options.functions));
    const { store, sealer, clock } = options;
    this.identities = new IdentityService({
      store,
      targets: this.targets,
      sealer,
      clock,
      events: this.events,
      pendingPasswordTtlMs: options.pendingPasswordTtlMs,
    });
    this.executor = new JobExecutor({ store, sealer, clock });
    const publish = options.notifications?.publish ?? IGNORE_OPERATOR_EVENTS;
    const scrub = options.scrub ?? ((t: string) => t);
    this.quarantine = new QuarantineMonitor({
      store,
      targets: this.targets,
      clock,
      logger: options.logger.child({ component: 'quarantine' }),
      publish,
      scrub,
      wake: () => this.events.jobsEnqueued(),
      tickMs: options.quarantineTickMs,
    });
    this.imports = new ImportService({ store, clock });
    this.reconciler = new TargetReconciler({ store, clock, events: this.events, publish });
    if (options.notifications) {
      const announce = announceGuardTrips({ store, targets: this.targets, publish });
      this.events.onGuardTriggered((event) => void announce(event).catch(() => undefined));
    }
    if (options.runWorker !== false) {
      if (options.notifications) this.failedJobs = new FailedJobBatcher(publish, options.failedJobsIntervalMs ?? 5 * 60_000);
      this.worker = new Worker(
        {
          store,
          targets: this.targets,
          executor: this.executor,
          events: this.events,
          clock,
          logger: options.logger.child({ component: 'worker' }),
          scrub,
          quarantine: this.quarantine,
          rateGates: options.rateGates,
        },
        options.worker,
      );
      this.scheduler = new ReconcileScheduler(
        {
          store,
          clock,
          targets: this.targets,
          logger: options.logger.child({ component: 'reconcile' }),
          run: async (target, signal) => void (await this.reconcile(target, { actor: 'schedule', signal })),
        },
        { tickMs: options.reconcileTickMs },
      );
      if (options.retention)
        this.pruner = new RetentionPruner(
          { store, clock, logger: options.logger.child({ component: 'retention' }) },
          options.retention,
          options.pruner,
        );
    }
  }

  target(id: string): ProvisioningTarget | undefined {
    return this.targets.find((t) => t.id === id);
  }

  /**
   * Runs `body` with an instance's target, enabled or not: an enabled one is the pipeline's own;
   * a disabled one (an import before enabling it) is opened for the call and closed after.
   * Undefined when the manifest has no such instance.
   */
  async withAnyTarget<T>(id: string, body: (target: ProvisioningTarget) => Promise<T>): Promise<{ result: T } | undefined> {
    const enabled = this.target(id);
    if (enabled) return { result: await body(enabled) };
    const instance = await this.options.openDisabled?.(id);
    if (!instance) return undefined;
    try {
      return { result: await body(new ProvisioningTarget(instance, this.options.functions)) };
    } finally {
      await instance.connector.close();
    }
  }

  /**
   * A full reconcile of an enabled instance: first the store's own view (failed, stale and
   * out-of-scope links), then, for a connector with a read side, what the target really holds.
   */
  async reconcile(
    target: ProvisioningTarget,
    options: { actor: string; signal?: AbortSignal; onScanned?: (scanned: number) => void; onRead?: (read: number) => void },
  ): Promise<{ scanned: number; planned: number; report?: TargetReportRecord }> {
    const result = await this.identities.reconcile(target.id, { actor: options.actor, onProgress: options.onScanned });
    if (!target.instance.connector.listUsers || options.signal?.aborted) return result;
    const report = await this.reconciler.run(target, { actor: options.actor, signal: options.signal, onProgress: options.onRead });
    return { ...result, report };
  }

  async start(): Promise<void> {
    if (this.worker) {
      this.failedJobs?.watch(this.events);
      await this.quarantine.start();
    }
    await this.worker?.start();
    this.pruner?.start();
    this.scheduler?.start();
  }

  async stop(): Promise<void> {
    await this.scheduler?.stop();
    await this.pruner?.stop();
    await this.worker?.stop();
    await this.quarantine.stop();
    this.failedJobs?.stop();
    const notifications = this.options.notifications;
    if (notifications) {
      // What is queued gets a moment to go out; a receiver that is down does not hold the stop up.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([notifications.whenIdle(), new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
      notifications.stop();
    }
  }
}
