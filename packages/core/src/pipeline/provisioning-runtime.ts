import type { Clock } from '../clock.js';
import type { ExpressionFunctions } from '../extension/expression-function.js';
import type { ConnectorInstances } from '../connector/connector-instances.js';
import type { Logger } from '../logging/logger.js';
import type { PasswordSealer } from '../security/passwords.js';
import type { Store } from '../store/store-ports.js';
import { IdentityService } from './identity-service.js';
import { JobEvents } from './job-events.js';
import { JobExecutor } from './job-executor.js';
import { ProvisioningTarget } from './provisioning-target.js';
import { Worker, type WorkerOptions } from './worker.js';

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
  /** The plugins' expression functions the mappings may call (default: none). */
  functions?: ExpressionFunctions;
  /** security.pendingPasswordTtl in ms (default 7 days). */
  pendingPasswordTtlMs?: number;
}

/** The provisioning pipeline of one server process: identity service, targets and (optionally) a worker. */
export class ProvisioningRuntime {
  readonly events = new JobEvents();
  readonly targets: readonly ProvisioningTarget[];
  readonly identities: IdentityService;
  readonly executor: JobExecutor;
  readonly worker?: Worker;

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
    if (options.runWorker !== false) {
      this.worker = new Worker(
        {
          store,
          targets: this.targets,
          executor: this.executor,
          events: this.events,
          clock,
          logger: options.logger.child({ component: 'worker' }),
          scrub: options.scrub ?? ((t) => t),
        },
        options.worker,
      );
    }
  }

  target(id: string): ProvisioningTarget | undefined {
    return this.targets.find((t) => t.id === id);
  }

  async start(): Promise<void> {
    await this.worker?.start();
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
  }
}
