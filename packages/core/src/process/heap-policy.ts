import { setFlagsFromString } from 'node:v8';

export type HeapPolicy = 'lean' | 'throughput';

const POLICIES: readonly HeapPolicy[] = ['lean', 'throughput'];

/**
 * How V8 sizes this process's heap: `lean` (the default of `provisio serve`, which calls this first) or V8's own
 * `throughput`, chosen by PROVISIO_HEAP.
 *
 * V8's default is sized from the machine (a 4 GB limit on a host of 16 GB or more) and lets
 * garbage grow to several times the live heap before it collects. Provisio spends its time
 * waiting on remote calls, not on the CPU: collecting early keeps the import and reconcile of
 * 100,000 Salesforce accounts at 260 MB peak RSS instead of 544 MB, for 11 to 14 % fewer
 * accounts per second on that CPU-bound work (docs/benchmarks.md). Set at start, before the heap has grown.
 */
export function applyHeapPolicy(env: NodeJS.ProcessEnv = process.env): HeapPolicy {
  const wanted = env['PROVISIO_HEAP'] ?? 'lean';
  if (!POLICIES.includes(wanted as HeapPolicy)) throw new Error(`PROVISIO_HEAP must be one of ${POLICIES.join(', ')}, not "${wanted}"`);
  if (wanted === 'lean') setFlagsFromString('--optimize-for-size');
  return wanted as HeapPolicy;
}
