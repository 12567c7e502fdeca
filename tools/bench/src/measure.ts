/** Small helpers every scenario uses: wall time, throughput, peak RSS, a printed table. */
export interface Figure {
  metric: string;
  value: number;
  unit: string;
}

export function peakRssMb(): number {
  // maxRSS is in kilobytes on Linux.
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

export async function timed<T>(run: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await run();
  return { result, seconds: (performance.now() - started) / 1000 };
}

export function printTable(title: string, figures: readonly Figure[]): void {
  const width = Math.max(...figures.map((f) => f.metric.length));
  console.log(`\n${title}`);
  console.log('-'.repeat(title.length));
  for (const f of figures) {
    // Small ratios (calls per user with batching) need their decimals.
    const digits = f.value !== 0 && Math.abs(f.value) < 1 ? 4 : 1;
    console.log(`${f.metric.padEnd(width)}  ${f.value.toLocaleString('en-US', { maximumFractionDigits: digits }).padStart(12)} ${f.unit}`);
  }
}

export function machine(): Record<string, string | number> {
  return { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 0 };
}
