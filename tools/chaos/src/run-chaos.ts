// One chaos run from start to verdict: targets, a deployment, the load under kills (and faults),
// the bounded drain, and the checker's findings per target.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresStore } from '@provisio/store-postgres';
import { AdminClient, waitForDrain } from './admin-client.js';
import { checkTarget, explain, isClean } from './checker.js';
import { Cluster } from './cluster.js';
import type { AcknowledgedHistory } from './history.js';
import { startFaultInjector, startKiller } from './killer.js';
import { driveLoad, type LoadPlan } from './load-driver.js';
import { seededRandom } from './random.js';
import type { ReportRow } from './report.js';
import { startChaosTargets } from './targets.js';

export interface ChaosRunOptions {
  /** The run's name in the table. */
  name: string;
  /** PostgreSQL: one `--role api` process and `workers` worker processes. SQLite: one `--role all` process. */
  store: { type: 'postgres'; url: string; workers: number } | { type: 'sqlite' };
  plan: LoadPlan;
  killEverySeconds: [number, number];
  /** Kill and restart the API process once (PostgreSQL only: on SQLite every kill is of the one process). */
  killFrontOnce?: boolean;
  /** Inject bursts of 503 / 429 with Retry-After into the targets every a–b seconds while the load runs. */
  faultEverySeconds?: [number, number];
  leaseSeconds?: number;
  /** Bound of the load phase (default 10 minutes): the run fails beyond it. */
  loadTimeoutMs?: number;
  /** Bound of the drain after the load (default 5 minutes): beyond it the row says "not drained". */
  drainTimeoutMs?: number;
  /** Latency of each SCIM target call (ms). */
  targetLatencyMs?: number;
  /** `batch.maxOperations` of the connector instances (default: each type's maximum). */
  batchMaxOperations?: number;
  seed?: number;
  /** Examples of each finding `details` describes (default 3). */
  explainExamples?: number;
  cliPath?: string;
  log?: (line: string) => void;
}

export interface ChaosRunResult {
  rows: ReportRow[];
  clean: boolean;
  history: AcknowledgedHistory;
  /** Examples of each finding with their writes and jobs; empty when clean. */
  details: string;
  /** What the processes wrote (warnings and errors), for a failing run. */
  serverOutput: string;
}

export async function runChaos(options: ChaosRunOptions): Promise<ChaosRunResult> {
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  log(`${options.name}: seed ${seed}`);
  const random = seededRandom(seed);
  const scimToken = randomBytes(16).toString('hex');
  const adminToken = randomBytes(16).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'provisio-chaos-'));
  const schema = `provisio_chaos_${randomBytes(4).toString('hex')}`;
  const targets = await startChaosTargets({ latencyMs: options.targetLatencyMs ?? 20, batchMaxOperations: options.batchMaxOperations });
  const pg = options.store.type === 'postgres' ? options.store : undefined;
  if (pg) await PostgresStore.ping(pg.url);
  const storeYaml = pg
    ? `store: { type: postgres, url: "${pg.url}", schema: ${schema}, pool: { max: 6 } }`
    : 'store: { type: sqlite, path: chaos.db }';
  const manifestPath = join(dir, 'provisio.config.yaml');
  writeFileSync(
    manifestPath,
    `server: { host: 127.0.0.1, port: 0, logLevel: warn }
${storeYaml}
worker: { leaseSeconds: ${options.leaseSeconds ?? 10}, idlePollMs: 100 }
security: { passwordKey: "${randomBytes(32).toString('base64')}" }
inbound:
  scim:
    auth: { bearer: [{ name: chaos, token: "${scimToken}" }] }
admin:
  auth: { bearer: [{ name: chaos-admin, token: "${adminToken}" }] }
${targets.connectorsYaml}`,
  );
  const cluster = new Cluster(
    { manifestPath, cwd: dir, cliPath: options.cliPath },
    pg ? { front: 'api', workers: pg.workers } : { front: 'all', workers: 0 },
  );
  try {
    await cluster.start();
    const killer = startKiller({
      cluster,
      random,
      everySeconds: options.killEverySeconds,
      killFrontOnce: options.killFrontOnce ?? pg !== undefined,
      log,
    });
    const faults = options.faultEverySeconds
      ? startFaultInjector(() => targets.injectFault(random), random, options.faultEverySeconds, log)
      : undefined;
    let history: AcknowledgedHistory;
    let kills = 0;
    try {
      history = await driveLoad({
        plan: options.plan,
        timeoutMs: options.loadTimeoutMs,
        url: () => cluster.waitForFront(),
        token: scimToken,
        random,
        prefix: options.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase(),
        onPhase: (phase) => log(`${options.name}: ${phase} phase`),
      });
    } finally {
      faults?.stop();
      kills = await killer.stop();
    }
    log(`${options.name}: load acknowledged after ${kills} kills (${history.resentCount()} writes resent)`);
    const admin = new AdminClient(() => cluster.waitForFront(), adminToken);
    const drainedSeconds = await waitForDrain(admin, options.drainTimeoutMs ?? 300000);
    log(`${options.name}: drained ${drainedSeconds === undefined ? 'NOT within the bound' : `in ${drainedSeconds.toFixed(1)} s`}`);
    const rows: ReportRow[] = [];
    const details: string[] = [];
    for (const view of targets.views()) {
      const jobs = await admin.jobs(view.id);
      const findings = checkTarget(history, view, jobs);
      rows.push({ run: options.name, kills, drainedSeconds, findings });
      if (!isClean(findings)) details.push(explain(findings, history, view, jobs, options.explainExamples));
    }
    const clean = drainedSeconds !== undefined && rows.every((r) => isClean(r.findings));
    return {
      rows,
      clean,
      history,
      details: details.join('\n'),
      serverOutput: [...cluster.pastOutput.slice(-3), cluster.output()].join('\n'),
    };
  } finally {
    await cluster.stop();
    await targets.close();
    if (pg) await PostgresStore.dropSchemas(pg.url, schema);
    rmSync(dir, { recursive: true, force: true });
  }
}
