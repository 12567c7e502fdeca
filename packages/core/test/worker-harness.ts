// Workers started by hand on a pipeline fixture's store and targets, for tests of takeover and leases.
import { silentLogger, systemClock, type Clock, type OutboundConnector } from '../src/index.js';
import { Worker, type Store } from '../src/engine.js';
import { pipelineFixture, type PipelineFixture } from './recording-connector.js';

/** A promise the test settles by hand: a remote call whose answer never comes (until we say so). */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A remote call held in flight: the call awaits `hold()`, which marks it `reached` and waits for the test's `release()`. */
export function heldCall() {
  const reached = deferred<void>();
  const released = deferred<void>();
  return {
    reached: reached.promise,
    release: () => released.resolve(),
    hold: async () => {
      reached.resolve();
      await released.promise;
    },
  };
}

/** Polls `condition` every 5 ms until it holds; throws after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The connector of the fixture's first target, whose methods a test may replace. */
export function connectorOf(f: PipelineFixture): OutboundConnector {
  return f.runtime.targets[0].instance.connector;
}

/**
 * Fixtures (start them with `runWorker: false`) and the workers a test starts on them. After each
 * test the workers still running stop first, then the fixtures. Call once at the top of the file.
 */
export function workerHarness(options: { leaseMs?: number } = {}) {
  const fixtures: PipelineFixture[] = [];
  const workers: Worker[] = [];
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop();
    for (const fixture of fixtures.splice(0)) await fixture.stop();
  });
  return {
    pipelineFixture: async (...args: Parameters<typeof pipelineFixture>): Promise<PipelineFixture> => {
      const fixture = await pipelineFixture(...args);
      fixtures.push(fixture);
      return fixture;
    },
    /** A worker on the fixture's targets and `store` (the runtime itself runs none). */
    startWorker: async (f: PipelineFixture, store: Store = f.store, clock: Clock = systemClock): Promise<Worker> => {
      const { runtime } = f;
      const worker = new Worker(
        {
          store,
          targets: runtime.targets,
          executor: runtime.executor,
          events: runtime.events,
          clock,
          logger: silentLogger(),
          scrub: (t) => t,
        },
        { idlePollMs: 20, stopTimeoutMs: 20, leaseMs: options.leaseMs },
      );
      workers.push(worker);
      await worker.start();
      return worker;
    },
    /** "Kills" a worker: it stops at once and hands back what it was running, whose outcome it never saw. */
    kill: async (worker: Worker): Promise<void> => {
      workers.splice(workers.indexOf(worker), 1);
      await worker.stop();
    },
  };
}
