import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Figure } from './measure.ts';
import type { PipelineRun } from './pipeline-harness.ts';

export interface PipelineChildSpec {
  /** Package whose default export is the connector plugin. */
  plugin: string;
  /** The connector instance, as in a manifest. */
  instance: Record<string, unknown>;
  users: number;
  /** Users are bench<i>@<domain>. */
  domain: string;
  /** Entitlement value every user carries (Salesforce maps it to ProfileId). */
  entitlement?: string;
  timeoutMs: number;
}

export type ChildRun = PipelineRun & {
  peakRssMb: number;
  /** CPU time of the pipeline process (accept and drain). */
  cpuSeconds: number;
  /** CPU time of this process meanwhile: the emulator, which shares the machine's cores. */
  emulatorCpuSeconds: number;
};

/** User counts of a bulk-load scenario: the default configuration at BENCH_USERS, the unbatched comparison at BENCH_UNBATCHED_USERS (0 skips it). */
function bulkCounts(): { users: number; unbatchedUsers: number; latencyMs: number } {
  const count = (name: string, fallback: number) => {
    const raw = process.env[name];
    const value = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0, got "${raw}"`);
    return value;
  };
  return {
    users: count('BENCH_USERS', 100_000),
    unbatchedUsers: count('BENCH_UNBATCHED_USERS', 10_000),
    latencyMs: count('BENCH_LATENCY_MS', 50),
  };
}

/** Every bulk-load scenario's connector instance runs this many operations at once. */
const BULK_CONCURRENCY = 8;

/** One run of a bulk-load scenario: the target's batching on (the default) or off, for `count` users. */
export interface BulkMode {
  label: string;
  batched: boolean;
  count: number;
}

/** The runs of a bulk-load scenario: batched at BENCH_USERS, then one request per user at BENCH_UNBATCHED_USERS (skipped at 0). */
export function bulkModes(batchedLabel: string, unbatchedLabel: string): { modes: BulkMode[]; latencyMs: number } {
  const { users, unbatchedUsers, latencyMs } = bulkCounts();
  const modes = [
    { label: batchedLabel, batched: true, count: users },
    { label: unbatchedLabel, batched: false, count: unbatchedUsers },
  ].filter((m) => m.count > 0);
  return { modes, latencyMs };
}

/** A run's row of the scenario table: mode, users, provisioned, users/s, then the target's `columns`, then peak RSS. */
export function bulkRow(mode: BulkMode, run: ChildRun, columns: number[]): (string | number)[] {
  return [mode.label, mode.count, run.succeeded, mode.count / run.drainSeconds, ...columns, run.peakRssMb];
}

/** A run's figures: counts and throughput, the target's own figures, then memory and CPU of both processes. */
export function bulkFigures(mode: BulkMode, run: ChildRun, throughputUnit: string, targetFigures: Figure[]): Figure[] {
  const l = mode.label;
  return [
    { metric: `${l}: users`, value: mode.count, unit: '' },
    { metric: `${l}: provisioned`, value: run.succeeded, unit: `users (${run.failed} failed)` },
    { metric: `${l}: throughput`, value: mode.count / run.drainSeconds, unit: throughputUnit },
    ...targetFigures,
    { metric: `${l}: peak RSS (pipeline process)`, value: run.peakRssMb, unit: 'MB' },
    ...rssFigures(`${l}: RSS after the drain`, run.rssAfterDrain),
    { metric: `${l}: CPU time, pipeline process`, value: run.cpuSeconds, unit: 's' },
    { metric: `${l}: CPU time, emulator (parent process)`, value: run.emulatorCpuSeconds, unit: 's' },
  ];
}

/** The scenario's paragraph: where the users go (`into`, ending in a full stop), what is counted, and how the processes split. */
export function bulkAbout(into: string, counted: string): string {
  return (
    `Users accepted into the SQLite store first, then drained by the worker into ${into} ` +
    `${counted} ` +
    `The pipeline (store, worker, connector, concurrency ${BULK_CONCURRENCY}) runs in its own process; the emulator in the parent.`
  );
}

/**
 * Runs `mode` in the pipeline process: the mode's users into `spec`'s instance, at the bulk concurrency and
 * batching as the mode says. The first failure, if any, is logged under `name`.
 */
export async function runBulkMode(name: string, mode: BulkMode, spec: Omit<PipelineChildSpec, 'users'>): Promise<ChildRun> {
  const instance = { ...spec.instance, concurrency: BULK_CONCURRENCY, batch: { enabled: mode.batched } };
  const run = await runPipelineInChild({ ...spec, instance, users: mode.count });
  if (run.firstError) console.error(`${name} (${mode.label}) first failure: ${run.firstError}`);
  return run;
}

/** "Counts run: 100,000 users with …; 10,000 users with …." */
export function countsRun(modes: BulkMode[]): string {
  return `Counts run: ${modes.map((m) => `${m.count.toLocaleString('en-US')} users with ${m.label}`).join('; ')}.`;
}

/** Runs the pipeline (store + worker + connector) in a child process against an emulator this process serves. */
function runPipelineInChild(spec: PipelineChildSpec): Promise<ChildRun> {
  const cpuBefore = process.cpuUsage();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./pipeline-child.ts', import.meta.url))], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let answer: { result?: Omit<ChildRun, 'emulatorCpuSeconds'>; error?: string } | undefined;
    child.on('message', (message) => (answer = message as typeof answer));
    child.on('error', reject);
    child.on('exit', (code) => {
      const cpu = process.cpuUsage(cpuBefore);
      if (answer?.result) resolve({ ...answer.result, emulatorCpuSeconds: (cpu.user + cpu.system) / 1e6 });
      else reject(new Error(`pipeline process exited with ${code}${answer?.error ? `: ${answer.error}` : ''}`));
    });
    child.send(spec);
  });
}

/** Resident memory split in two figures: anonymous (heap, SQLite's page cache) and file-backed (the node binary and other mapped files). */
export function rssFigures(label: string, rss: { anonMb: number; fileMb: number } | undefined): Figure[] {
  if (!rss) return [];
  return [
    { metric: `${label}: anonymous`, value: rss.anonMb, unit: 'MB (heap, stacks)' },
    { metric: `${label}: file-backed`, value: rss.fileMb, unit: 'MB (the node binary and other mapped files: reclaimable)' },
  ];
}
