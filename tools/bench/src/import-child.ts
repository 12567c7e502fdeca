// The importing side of the import bench, in its own process so its peak RSS is its own: a
// SQLite store holding the local users (written beforehand by a `seed` child straight into the
// store: the bench measures import, not SCIM intake, and not the seeding's memory), the real
// connector, ImportService, then a reconcile (TargetReconciler) of the same target. Spec over IPC (it holds credentials); between the two it says `imported` and
// waits for `reconcile`, so the parent counts each one's API calls apart.
import { silentLogger, systemClock, type ProvisioPlugin } from '@provisio/core';
import {
  applyHeapPolicy,
  ConnectorInstances,
  IGNORE_OPERATOR_EVENTS,
  ImportService,
  JobEvents,
  ProvisioningTarget,
  TargetReconciler,
  validateManifest,
  type ConnectorTypeLookup,
  type UserRecord,
} from '@provisio/core/engine';
import { SqliteStore } from '@provisio/store-sqlite';
import { peakRssMb, rssBreakdownMb } from './measure.ts';

export interface ImportChildSpec {
  /** seed: write the local users into `dbPath` and stop; run: import, then reconcile, against `dbPath`. */
  phase: 'seed' | 'run';
  /** The SQLite file holding the local users (seeded by an earlier `seed` child, copied per target). */
  dbPath: string;
  plugin: string;
  instance: Record<string, unknown>;
  /** Local users user<i>@<domain>, i < localUsers. */
  localUsers: number;
  domain: string;
}

export interface ImportChildResult {
  seconds: number;
  read: number;
  counts: Record<string, number>;
  peakRssMb: number;
  peakRssBeforeImportMb: number;
  reconcile: { seconds: number; read: number; counts: Record<string, number>; peakRssMb: number };
  /** At the end: anonymous memory (heap, buffers) and file-backed pages (the node binary and other mapped files). */
  rssAtEnd?: { anonMb: number; fileMb: number };
  heapUsedAtEndMb: number;
  /** The server's heap policy this run had (PROVISIO_HEAP). */
  heap: string;
  /** Sampled every 50 ms over the whole run: where the peak RSS goes (V8 heap reserved and used, buffers outside it). */
  memoryPeaksMb: Record<string, MemoryPeaks>;
}

interface MemoryPeaks {
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rssAnon: number;
  rssFile: number;
}

/** Keeps the largest of each memory figure, per phase (`phase(name)` starts the next one) until stopped. */
function sampleMemory(): { phase(name: string): void; stop(): Record<string, MemoryPeaks> } {
  const phases: Record<string, MemoryPeaks> = {};
  const fresh = (): MemoryPeaks => ({ heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0, rssAnon: 0, rssFile: 0 });
  let peaks = (phases['index'] = fresh());
  const mb = (bytes: number) => Math.round(bytes / 104857.6) / 10;
  const take = () => {
    const usage = process.memoryUsage();
    peaks.heapTotal = Math.max(peaks.heapTotal, mb(usage.heapTotal));
    peaks.heapUsed = Math.max(peaks.heapUsed, mb(usage.heapUsed));
    peaks.external = Math.max(peaks.external, mb(usage.external));
    peaks.arrayBuffers = Math.max(peaks.arrayBuffers, mb(usage.arrayBuffers));
    const split = rssBreakdownMb();
    peaks.rssAnon = Math.max(peaks.rssAnon, split?.anonMb ?? 0);
    peaks.rssFile = Math.max(peaks.rssFile, split?.fileMb ?? 0);
  };
  const timer = setInterval(take, 50);
  return {
    phase: (name) => {
      take();
      if (!phases[name]) peaks = phases[name] = fresh();
    },
    stop: () => {
      clearInterval(timer);
      take();
      return phases;
    },
  };
}

/** Resolves when the parent sends `reconcile`. */
const reconcileCue = () => new Promise<void>((resolve) => process.once('message', () => resolve()));

process.once('disconnect', () => process.exit(1));
process.once('message', (message) => {
  run(message as ImportChildSpec).then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ error: (error as Error).stack ?? String(error) }, () => process.exit(1)),
  );
});

async function run(spec: ImportChildSpec): Promise<ImportChildResult | { seeded: number }> {
  if (spec.phase === 'seed') return { seeded: await seed(spec) };
  // As `provisio serve` runs it: the process that imports is the server.
  const heap = applyHeapPolicy();
  const plugin = ((await import(spec.plugin)) as { default: ProvisioPlugin }).default;
  const types: ConnectorTypeLookup = {
    get: (type) => plugin.connectors.find((c) => c.type === type),
    list: () => plugin.connectors.map((c) => ({ type: c.type, displayName: c.displayName, plugin: plugin.name })),
  };
  const validation = validateManifest({ connectors: [spec.instance] }, types);
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  const store = SqliteStore.open({ path: spec.dbPath, synchronous: 'normal' });
  try {
    const before = peakRssMb();
    const sampler = sampleMemory();
    const settings = validation.manifest.connectors[0];
    const instance = await ConnectorInstances.openOne(settings, types, { logger: silentLogger(), clock: systemClock });
    try {
      const started = performance.now();
      const report = await new ImportService({ store, clock: systemClock }).run(new ProvisioningTarget(instance), {
        actor: 'bench',
        apply: true,
        onProgress: (progress) => sampler.phase(progress.phase),
      });
      sampler.phase('reconcile');
      const seconds = (performance.now() - started) / 1000;
      const peakAfterImport = peakRssMb();
      const cue = reconcileCue();
      process.send?.({ imported: true });
      await cue;
      const reconcileStarted = performance.now();
      const reconciled = await new TargetReconciler({
        store,
        clock: systemClock,
        events: new JobEvents(),
        publish: IGNORE_OPERATOR_EVENTS,
      }).run(new ProvisioningTarget(instance), { actor: 'bench' });
      return {
        seconds,
        read: report.read,
        counts: report.counts,
        peakRssMb: peakAfterImport,
        peakRssBeforeImportMb: before,
        reconcile: {
          seconds: (performance.now() - reconcileStarted) / 1000,
          read: reconciled.read,
          counts: reconciled.counts,
          peakRssMb: peakRssMb(),
        },
        rssAtEnd: rssBreakdownMb(),
        heapUsedAtEndMb: Math.round(process.memoryUsage().heapUsed / 1048576),
        heap,
        memoryPeaksMb: sampler.stop(),
      };
    } finally {
      await instance.connector.close();
    }
  } finally {
    await store.close();
  }
}

/** The local users user<i>@<domain>, written straight into the store at `dbPath` (in a process of their own). */
async function seed(spec: ImportChildSpec): Promise<number> {
  const store = SqliteStore.open({ path: spec.dbPath, synchronous: 'normal' });
  try {
    const at = new Date().toISOString();
    for (let start = 0; start < spec.localUsers; start += 1000) {
      const putUsers: UserRecord[] = [];
      for (let i = start; i < Math.min(spec.localUsers, start + 1000); i += 1) {
        const email = `user${i}@${spec.domain}`;
        const resource = {
          userName: email,
          active: true,
          name: { givenName: `Given${i}`, familyName: `Family${i}` },
          emails: [{ value: email, primary: true }],
        };
        putUsers.push({
          id: `u${String(i).padStart(7, '0')}`,
          userName: email,
          active: true,
          resource,
          version: 1,
          createdAt: at,
          updatedAt: at,
        });
      }
      await store.commit({ putUsers });
    }
    return spec.localUsers;
  } finally {
    await store.close();
  }
}
