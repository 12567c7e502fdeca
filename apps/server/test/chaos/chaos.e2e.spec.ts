import { formatTable, noFindings, runChaos, type ChaosRunOptions, type ReportRow } from '@provisio/chaos';
import { DATABASE_URL, requirePostgres } from './postgres-required.js';

/**
 * Issue 22: exactly once, in order, under chaos. SCIM creates, then PATCHes of title, then
 * DELETEs, every one acknowledged 2xx, while server processes are SIGKILLed at random and
 * restarted; after a bounded drain each target (SCIM 2.0 and Salesforce emulators) must hold
 * exactly the last acknowledged state of every user, with no job stranded and no second create.
 * PostgreSQL: one API process (killed once) and three workers. SQLite allows one process: the
 * `--role all` process is the one killed. Each with and without 503/429 + Retry-After faults.
 * The bigger run (5,000 / 1,000 / 500) is `npm run bench -- chaos`.
 */
const PLAN = { creates: 1000, updates: 300, deletes: 150, inFlight: 12 };
// A run's own bounds (load, then drain) end it before jest's timeout does, so no run outlives its test.
const LOAD_TIMEOUT_MS = 240000;
const DRAIN_TIMEOUT_MS = 120000;
const RUN_TIMEOUT_MS = LOAD_TIMEOUT_MS + DRAIN_TIMEOUT_MS + 90000;
const rows: ReportRow[] = [];

async function chaosRun(options: Omit<ChaosRunOptions, 'plan' | 'killEverySeconds' | 'log'>): Promise<void> {
  const result = await runChaos({
    ...options,
    plan: PLAN,
    killEverySeconds: [2, 4],
    loadTimeoutMs: LOAD_TIMEOUT_MS,
    drainTimeoutMs: DRAIN_TIMEOUT_MS,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  rows.push(...result.rows);
  console.info(`${formatTable(result.rows)}\n${result.details}${result.clean ? '' : `\n${result.serverOutput.slice(-4000)}`}`);
  expect(result.rows.every((r) => r.drainedSeconds !== undefined)).toBe(true);
  expect(result.rows[0].kills).toBeGreaterThan(0);
  expect(result.history.count('create')).toBe(PLAN.creates);
  for (const row of result.rows) expect(row.findings).toEqual(noFindings(row.findings.target));
}

describe('chaos: processes killed at random must not lose, reorder or strand work', () => {
  afterAll(() => {
    if (rows.length > 0) console.info(`chaos summary\n${formatTable(rows)}`);
  });

  describe('PostgreSQL, one api and three worker processes', () => {
    beforeAll(() => requirePostgres());
    const store = { type: 'postgres' as const, url: DATABASE_URL, workers: 3 };

    it('no faults', () => chaosRun({ name: 'pg', store }), RUN_TIMEOUT_MS);
    it('503 / 429 + Retry-After from the targets', () => chaosRun({ name: 'pg-faults', store, faultEverySeconds: [1, 3] }), RUN_TIMEOUT_MS);
  });

  describe('SQLite, one process that does everything', () => {
    const store = { type: 'sqlite' as const };

    it('no faults', () => chaosRun({ name: 'sqlite', store }), RUN_TIMEOUT_MS);
    it(
      '503 / 429 + Retry-After from the targets',
      () => chaosRun({ name: 'sqlite-faults', store, faultEverySeconds: [1, 3] }),
      RUN_TIMEOUT_MS,
    );
  });
});
