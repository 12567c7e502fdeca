/** Small helpers every scenario uses: wall time, percentiles, peak RSS, a printed table. */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem, type as osType } from 'node:os';

export interface Figure {
  metric: string;
  value: number;
  unit: string;
}

/** What one scenario hands back: printed as a table, written as JSON, rendered into docs/benchmarks.md. */
export interface ScenarioResult {
  /** Section heading in docs/benchmarks.md. */
  title: string;
  /** One paragraph: what is measured and how. */
  about: string;
  figures: Figure[];
  /** Setup details worth stating beside the figures (counts run, limits applied). */
  notes?: string[];
  /** The figures arranged for reading (e.g. one row per operation); the docs show these first and the full list folded. */
  tables?: Table[];
}

export interface Table {
  head: string[];
  rows: (string | number)[][];
}

/** Peak RSS of this process in MB (maxRSS is in kilobytes). */
export function peakRssMb(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/** Peak RSS (VmHWM) of another process in MB, from /proc; undefined where /proc is missing. */
export function peakRssOfPidMb(pid: number): number | undefined {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+)\s+kB/m);
    return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Current resident memory split into anonymous (heap, stacks) and file-backed pages
 * (the node binary and other mapped files, which the kernel can drop), in MB; from /proc.
 */
export function rssBreakdownMb(pid: number | 'self' = 'self'): { anonMb: number; fileMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm'))?.[1] ?? Number.NaN);
    const anon = kb('RssAnon');
    const file = kb('RssFile') + kb('RssShmem');
    return Number.isNaN(anon) || Number.isNaN(file)
      ? undefined
      : { anonMb: Math.round(anon / 102.4) / 10, fileMb: Math.round(file / 102.4) / 10 };
  } catch {
    return undefined;
  }
}

export async function timed<T>(run: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await run();
  return { result, seconds: (performance.now() - started) / 1000 };
}

/** Nearest-rank percentile of unsorted samples; 0 when there are none. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The item of median `rate` among `items` (the lower middle of an even count): a round of a scenario run by rounds. */
export function medianBy<T>(items: readonly T[], rate: (item: T) => number): T {
  const median = [...items].sort((a, b) => rate(a) - rate(b))[Math.floor((items.length - 1) / 2)];
  if (median === undefined) throw new Error('no runs to take the median of');
  return median;
}

/** Small ratios (calls per user with batching) need their decimals. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = value !== 0 && Math.abs(value) < 1 ? 4 : Math.abs(value) < 100 ? 2 : 1;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function printTable(result: ScenarioResult): void {
  const width = Math.max(...result.figures.map((f) => f.metric.length));
  console.log(`\n${result.title}`);
  console.log('-'.repeat(result.title.length));
  for (const f of result.figures) console.log(`${f.metric.padEnd(width)}  ${formatValue(f.value).padStart(12)} ${f.unit}`);
  for (const note of result.notes ?? []) console.log(`  * ${note}`);
}

export interface MachineDetails {
  cpu: string;
  cores: number;
  ramGb: number;
  node: string;
  os: string;
  /** 1-minute load average when the scenario started: other work on the machine shows here. */
  loadAverage: number;
  /** BENCH_MACHINE_NOTE, e.g. "shared VM, other builds running". */
  note?: string;
}

export function machine(): MachineDetails {
  const note = process.env['BENCH_MACHINE_NOTE'];
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    ramGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${osRelease() ?? osType()} (kernel ${release()}, ${process.arch})`,
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
    ...(note ? { note } : {}),
  };
}

function osRelease(): string | undefined {
  try {
    return readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]+)"?/m)?.[1];
  } catch {
    return undefined;
  }
}
