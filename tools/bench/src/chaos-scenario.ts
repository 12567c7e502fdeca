import { findingCounts, formatTable, REPORT_HEADERS, runChaos, type ChaosRunOptions, type ReportRow } from '@provisio/chaos';
import type { Figure, ScenarioResult, Table } from './measure.ts';

const DATABASE_URL = process.env['PROVISIO_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The runs BENCH_CHAOS_RUNS may name; issue 22's own setup is `pg`, and `pg-faults` the same with 503/429 bursts (both by default). */
const RUNS: Record<string, Pick<ChaosRunOptions, 'store' | 'faultEverySeconds'>> = {
  pg: { store: { type: 'postgres', url: DATABASE_URL, workers: 3 } },
  'pg-faults': { store: { type: 'postgres', url: DATABASE_URL, workers: 3 }, faultEverySeconds: [1, 3] },
  sqlite: { store: { type: 'sqlite' } },
  'sqlite-faults': { store: { type: 'sqlite' }, faultEverySeconds: [1, 3] },
};

/**
 * Issue 22 at its reporter's size: one `--role api` and three `--role worker` processes on one
 * PostgreSQL (leaseSeconds 10), the SCIM 2.0 emulator (20 ms a call) and the Salesforce emulator as
 * targets; 5,000 SCIM creates, then 1,000 PATCHes of title, then 500 DELETEs, 12 in flight, while a
 * random worker is SIGKILLed and restarted every 3–8 s (the api once); then at most 5 minutes to
 * drain. Not a speed figure: the run fails unless every count is zero.
 */
export async function chaosScenario(): Promise<ScenarioResult> {
  const plan = {
    creates: Number(process.env['BENCH_CHAOS_CREATES'] ?? 5000),
    updates: Number(process.env['BENCH_CHAOS_UPDATES'] ?? 1000),
    deletes: Number(process.env['BENCH_CHAOS_DELETES'] ?? 500),
    inFlight: Number(process.env['BENCH_CHAOS_IN_FLIGHT'] ?? 12),
  };
  const names = (process.env['BENCH_CHAOS_RUNS'] ?? 'pg,pg-faults').split(',').filter(Boolean);
  const unknown = names.filter((n) => !RUNS[n]);
  if (unknown.length > 0)
    throw new Error(`BENCH_CHAOS_RUNS: unknown run "${unknown.join('", "')}"; known: ${Object.keys(RUNS).join(', ')}`);
  const rows: ReportRow[] = [];
  const figures: Figure[] = [];
  const failures: string[] = [];
  for (const name of names) {
    const result = await runChaos({
      name,
      ...RUNS[name],
      plan,
      killEverySeconds: [3, 8],
      leaseSeconds: 10,
      drainTimeoutMs: 300000,
      explainExamples: Number(process.env['BENCH_CHAOS_EXAMPLES'] ?? 3),
      log: (line) => console.log(line),
    });
    rows.push(...result.rows);
    console.log(`${formatTable(result.rows)}\n${result.details}`);
    if (!result.clean) failures.push(`${name}:\n${result.details}`);
    figures.push({ metric: `${name}: kills`, value: result.rows[0].kills, unit: 'SIGKILLs' });
    figures.push({ metric: `${name}: writes resent after a kill`, value: result.history.resentCount(), unit: 'requests' });
    figures.push({ metric: `${name}: drain after the load`, value: result.rows[0].drainedSeconds ?? Number.NaN, unit: 's' });
  }
  // The table is the finding; a run with anything but zeros fails, and keeps the previous JSON.
  if (failures.length > 0) throw new Error(`chaos found lost, reordered or stranded work:\n${formatTable(rows)}\n${failures.join('\n')}`);
  const table: Table = {
    head: REPORT_HEADERS,
    rows: rows.map((r) => [
      r.run,
      r.kills,
      Math.round((r.drainedSeconds ?? Number.NaN) * 10) / 10,
      r.findings.target,
      ...findingCounts(r.findings),
    ]),
  };
  return {
    title: 'Chaos: exactly once, in order, with workers killed at random',
    about:
      `Issue 22's setup: \`provisio serve --role api\` and three \`--role worker\` processes on one PostgreSQL (\`worker.leaseSeconds: 10\`), targets the SCIM 2.0 emulator (20 ms a call) and the Salesforce emulator. ` +
      `${plan.creates.toLocaleString('en-US')} SCIM creates, then ${plan.updates.toLocaleString('en-US')} PATCHes of \`title\`, then ${plan.deletes.toLocaleString('en-US')} DELETEs, ${plan.inFlight} in flight, each acknowledged 2xx (a request a dying process did not answer is sent again), ` +
      'while a random worker is SIGKILLed and restarted every 3–8 s and the api process once; then at most 5 minutes to drain. ' +
      'Every target is compared with the acknowledged history (its last write per user) and its request log (second creates), and the jobs with the admin API. Every count must be 0.',
    figures,
    tables: [table],
    notes: [
      `BENCH_CHAOS_RUNS=${names.join(',')} BENCH_CHAOS_CREATES=${plan.creates} BENCH_CHAOS_UPDATES=${plan.updates} BENCH_CHAOS_DELETES=${plan.deletes} BENCH_CHAOS_IN_FLIGHT=${plan.inFlight}; PostgreSQL at ${new URL(DATABASE_URL).host}`,
    ],
  };
}
