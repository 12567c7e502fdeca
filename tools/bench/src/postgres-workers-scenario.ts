import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewJob, Store, UserRecord } from '@provisio/core/engine';
import { PostgresStore } from '@provisio/store-postgres';
import { SqliteStore } from '@provisio/store-sqlite';
import { peakRssOfPidMb, type Figure, type ScenarioResult } from './measure.ts';

const CLI = join(import.meta.dirname, '..', '..', '..', 'apps', 'server', 'dist', 'cli.js');
const DATABASE_URL = process.env['PROVISIO_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Time the worker processes get to start before the seeded jobs fall due. */
const START_GRACE_MS = 8000;
const ADMIN_TOKEN = randomBytes(16).toString('hex');

interface Run {
  jobsPerSecond: number;
  peakRssMb: number;
}

/**
 * Worker throughput on one database: the same jobs drained by 1, 2 and 4
 * `provisio serve --role worker` processes on PostgreSQL, and by the single
 * process SQLite allows. The target is the memory connector with a fixed latency
 * per call, standing in for a remote API: the work is I/O-bound, as provisioning is.
 */
export async function postgresWorkersScenario(): Promise<ScenarioResult> {
  const jobs = Number(process.env['BENCH_JOBS'] ?? 5000);
  const latencyMs = Number(process.env['BENCH_LATENCY_MS'] ?? 20);
  const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
  await PostgresStore.ping(DATABASE_URL);
  const figures: Figure[] = [];
  const sqlite = await runSqlite(jobs, latencyMs, concurrency);
  figures.push({ metric: 'SQLite, 1 process (the most it allows)', value: sqlite.jobsPerSecond, unit: 'jobs/s' });
  figures.push({ metric: '  peak RSS of that process', value: sqlite.peakRssMb, unit: 'MB' });
  for (const processes of [1, 2, 4]) {
    const run = await runPostgres(processes, jobs, latencyMs, concurrency);
    figures.push({
      metric: `PostgreSQL + pg-boss, ${processes} worker process${processes === 1 ? '' : 'es'}`,
      value: run.jobsPerSecond,
      unit: 'jobs/s',
    });
    figures.push({ metric: `  peak RSS per worker process (largest of ${processes})`, value: run.peakRssMb, unit: 'MB' });
  }
  return {
    title: 'Scale-out: worker processes on one PostgreSQL',
    about:
      `${jobs.toLocaleString('en-US')} provisioning jobs (seeded with their users, due at one moment) drained into the memory connector with ${latencyMs} ms per call and ` +
      `concurrency ${concurrency} per process, by \`provisio serve --role worker\` processes sharing one database; jobs/s from the moment the jobs fall due until the last succeeded. ` +
      'PostgreSQL runs on the same machine, so its CPU is shared with the workers.',
    figures,
    notes: [
      `BENCH_JOBS=${jobs} BENCH_LATENCY_MS=${latencyMs} BENCH_CONCURRENCY=${concurrency}; PostgreSQL at ${new URL(DATABASE_URL).host}`,
    ],
  };
}

function manifest(store: string, latencyMs: number, concurrency: number): string {
  return `server: { port: 0, logLevel: warn }
${store}
worker: { leaseSeconds: 30, idlePollMs: 100 }
security: { passwordKey: "${randomBytes(32).toString('base64')}" }
admin: { auth: { bearer: [{ name: bench, token: "${ADMIN_TOKEN}" }] } }
connectors:
  - id: memory
    type: memory
    concurrency: ${concurrency}
    config: { latencyMs: ${latencyMs} }
    mapping: { userName: userName, lastName: name.familyName }
`;
}

/** Users and their jobs, committed 200 at a time, all due at `dueAt`. */
async function seed(store: Store, jobs: number, dueAt: number): Promise<void> {
  const at = new Date().toISOString();
  for (let start = 0; start < jobs; start += 200) {
    const users: UserRecord[] = [];
    const newJobs: NewJob[] = [];
    for (let i = start; i < Math.min(jobs, start + 200); i += 1) {
      const id = `bench-${i.toString().padStart(7, '0')}`;
      const userName = `user${i}@example.com`;
      users.push({
        id,
        userName,
        active: true,
        resource: { userName, active: true, name: { familyName: `Family${i}` } },
        version: 1,
        createdAt: at,
        updatedAt: at,
      });
      newJobs.push({
        instanceId: 'memory',
        entityType: 'user',
        localId: id,
        action: 'sync',
        reason: 'created',
        maxAttempts: 8,
        runAt: dueAt,
      });
    }
    await store.commit({ putUsers: users, jobs: newJobs });
  }
}

async function runPostgres(processes: number, jobs: number, latencyMs: number, concurrency: number): Promise<Run> {
  const schema = `provisio_bench_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'provisio-bench-pg-'));
  const manifestPath = join(dir, 'provisio.config.yaml');
  writeFileSync(
    manifestPath,
    manifest(`store: { type: postgres, url: "${DATABASE_URL}", schema: ${schema}, pool: { max: 8 } }`, latencyMs, concurrency),
  );
  const store = await PostgresStore.open({ url: DATABASE_URL, schema, maintenance: false });
  try {
    const dueAt = Date.now() + START_GRACE_MS + 2000 * processes;
    await seed(store, jobs, dueAt);
    const workers = await Promise.all(Array.from({ length: processes }, () => startWorker(manifestPath, ['--role', 'worker'], dir)));
    try {
      const doneAt = await waitForSucceeded(store, jobs, dueAt);
      return {
        jobsPerSecond: jobs / ((doneAt - Math.max(dueAt, workers.at(-1)?.readyAt ?? dueAt)) / 1000),
        peakRssMb: Math.max(...workers.map((w) => peakRssOfPidMb(w.child.pid ?? 0) ?? 0)),
      };
    } finally {
      await Promise.all(workers.map((w) => stopWorker(w.child)));
    }
  } finally {
    await store.close();
    await PostgresStore.dropSchemas(DATABASE_URL, schema);
  }
}

async function runSqlite(jobs: number, latencyMs: number, concurrency: number): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-bench-sqlite-'));
  const manifestPath = join(dir, 'provisio.config.yaml');
  writeFileSync(manifestPath, manifest('store: { type: sqlite, path: bench.db }', latencyMs, concurrency));
  // The file allows one process: seed, close, then let the server open it.
  const seeding = SqliteStore.open({ path: join(dir, 'bench.db') });
  const dueAt = Date.now() + START_GRACE_MS;
  await seed(seeding, jobs, dueAt);
  await seeding.close();
  const worker = await startWorker(manifestPath, [], dir);
  try {
    const doneAt = await waitForAdminCounts(worker, jobs);
    return {
      jobsPerSecond: jobs / ((doneAt - Math.max(dueAt, worker.readyAt)) / 1000),
      peakRssMb: peakRssOfPidMb(worker.child.pid ?? 0) ?? 0,
    };
  } finally {
    await stopWorker(worker.child);
  }
}

interface StartedWorker {
  child: ChildProcess;
  readyAt: number;
  output: () => string;
}

function startWorker(manifestPath: string, args: string[], cwd: string): Promise<StartedWorker> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--config', manifestPath, ...args], {
      cwd,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker did not start within 60 s:\n${output}`));
    }, 60000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/listening on/.test(output)) {
        clearTimeout(timer);
        resolve({ child, readyAt: Date.now(), output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}:\n${output}`));
    });
  });
}

function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Polls the shared store until every job succeeded (bounded: 30 minutes); returns when. */
async function waitForSucceeded(store: Store, jobs: number, dueAt: number): Promise<number> {
  const deadline = Math.max(Date.now(), dueAt) + 30 * 60 * 1000;
  for (;;) {
    const counts = await store.jobCounts();
    if (counts.succeeded >= jobs) return Date.now();
    if (counts.failed > 0) throw new Error(`jobs failed: ${JSON.stringify(counts)}`);
    if (Date.now() > deadline) throw new Error(`not drained within 30 min: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The SQLite file is the server's alone while it runs: ask its admin API (bounded: 30 minutes); returns when. */
async function waitForAdminCounts(worker: StartedWorker, jobs: number): Promise<number> {
  const url = /listening on (http:\/\/\S+)/.exec(worker.output())?.[1];
  if (!url) throw new Error(`no URL in the server's output:\n${worker.output()}`);
  const deadline = Date.now() + 30 * 60 * 1000;
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/admin/v1/connectors`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const body = (await response.json()) as { connectors: { jobs: Record<string, number> }[] };
    const counts = body.connectors[0].jobs;
    if (counts.succeeded >= jobs) return Date.now();
    if (counts.failed > 0) throw new Error(`jobs failed: ${JSON.stringify(counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('SQLite run did not drain within 30 min');
}
