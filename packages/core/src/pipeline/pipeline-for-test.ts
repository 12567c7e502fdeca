import { randomBytes } from 'node:crypto';
import type { ConnectorDefinition } from '../connector/define-connector.js';
import { silentLogger } from '../logging/logger.js';
import { systemClock } from '../clock.js';
import { ConnectorInstances } from '../connector/connector-instances.js';
import { validateManifest, type ConnectorTypeLookup } from '../manifest/manifest-validation.js';
import { PasswordSealer } from '../security/passwords.js';
import { InMemoryStore } from '../store/in-memory-store.js';
import type { Store } from '../store/store-ports.js';
import { ProvisioningRuntime } from './provisioning-runtime.js';

export interface PipelineForTestOptions {
  /** The connector types the instances use (a plugin's `connectors`). */
  connectors: readonly ConnectorDefinition[];
  /** Manifest `connectors:` entries, validated as `provisio validate` would. */
  instances: readonly Record<string, unknown>[];
  /** Default: a new in-memory store. */
  store?: Store;
  /** Start the worker at once (default); false leaves it to `runtime.start()`. */
  start?: boolean;
  /** The worker's poll when idle, ms (default 20). */
  idlePollMs?: number;
}

export interface PipelineForTest {
  store: Store;
  instances: ConnectorInstances;
  runtime: ProvisioningRuntime;
  /** Resolves once no job is pending or running; throws with the counts after `timeoutMs` (default 10 s). */
  settle(timeoutMs?: number): Promise<void>;
  /** Stops the worker and closes the instances (the store stays the caller's when it was given). */
  stop(): Promise<void>;
}

/**
 * The whole pipeline (identity service, worker, job executor, links) over real connector
 * instances, for a test or a benchmark of a connector: what `provisio serve` composes, without
 * HTTP, with a fresh password key, a silent logger and the system clock.
 */
export async function startPipelineForTest(options: PipelineForTestOptions): Promise<PipelineForTest> {
  const types: ConnectorTypeLookup = {
    get: (type) => options.connectors.find((c) => c.type === type),
    list: () => options.connectors.map((c) => ({ type: c.type, displayName: c.displayName, plugin: 'test' })),
  };
  const validation = validateManifest({ connectors: options.instances }, types);
  if (!validation.ok) throw new Error(`the test's connectors are not valid: ${JSON.stringify(validation.problems)}`);
  const store = options.store ?? new InMemoryStore();
  const instances = await ConnectorInstances.open(validation.manifest, types, { logger: silentLogger(), clock: systemClock });
  const runtime = new ProvisioningRuntime({
    store,
    instances,
    sealer: new PasswordSealer(randomBytes(32)),
    clock: systemClock,
    logger: silentLogger(),
    worker: { idlePollMs: options.idlePollMs ?? 20 },
  });
  if (options.start !== false) await runtime.start();
  return {
    store,
    instances,
    runtime,
    settle: async (timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = await store.jobCounts();
        if (counts.pending === 0 && counts.running === 0) return;
        if (Date.now() > deadline) throw new Error(`jobs did not settle within ${timeoutMs} ms: ${JSON.stringify(counts)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    stop: async () => {
      await runtime.stop();
      await instances.closeAll();
    },
  };
}
