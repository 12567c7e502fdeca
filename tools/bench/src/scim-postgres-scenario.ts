import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Store } from '@provisio/core/engine';
import { PostgresStore } from '@provisio/store-postgres';
import { SqliteStore } from '@provisio/store-sqlite';
import { formatValue, medianBy, type Figure, type ScenarioResult } from './measure.ts';
import type { LoadSpec } from './scim-load.ts';
import { load, seedUsers, serveScim, TOKEN, type LoadResult } from './scim-server.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 32);
const USERS = Number(process.env['BENCH_USERS'] ?? 10_000);
const ROUNDS = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 3));
const DATABASE_URL = process.env['PROVISIO_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The application_name of PostgresStore's pool (store-connection.ts): the wire counter counts its connections only. */
const STORE_APPLICATION = 'provisio';

const OPERATIONS = [
  { kind: 'filter', name: 'GET /Users?filter=userName eq', target: 0.7, what: 'reads' },
  { kind: 'post', name: 'POST /Users', target: 0.6, what: 'writes' },
  { kind: 'patch', name: 'PATCH /Users/{id}', target: 0.6, what: 'writes' },
] as const satisfies readonly { kind: LoadSpec['kind']; name: string; target: number; what: string }[];
type Kind = (typeof OPERATIONS)[number]['kind'];
type StoreName = 'SQLite' | 'PostgreSQL';

/** One timed run of one operation on one store, with what it cost. */
interface Run {
  load: LoadResult;
  rate: number;
  /** CPU of this process (the server: express, SCIM, the store's client side), seconds. */
  serverCpu: number;
  /** CPU of every process named `postgres` on the machine (PostgreSQL runs only), seconds. */
  postgresCpu: number;
  /** CPU of the PostgreSQL backends serving the store's own pool (PostgreSQL runs only), seconds. */
  backendCpu: number;
  wire: WireCounts;
}

/**
 * The inbound SCIM scenario on PostgreSQL beside SQLite, in one run: the same seeded users in a SQLite store
 * (synchronous=FULL) and a PostgresStore on a fresh schema of a database on the same machine, each behind the SCIM
 * endpoint, the two measured by turns, round by round, so that drift of the shared machine falls on both. For the
 * PostgreSQL runs it counts what the store sends on its pool's connections (round trips, statements, transactions)
 * and the CPU PostgreSQL spent.
 */
export async function scimPostgresScenario(): Promise<ScenarioResult> {
  await PostgresStore.ping(DATABASE_URL);
  const wire = countWire(STORE_APPLICATION);
  const schema = `provisio_bench_scim_${randomBytes(4).toString('hex')}`;
  const started: Started[] = [];
  try {
    const sqlite = SqliteStore.open({
      path: join(mkdtempSync(join(tmpdir(), 'provisio-bench-scim-pg-')), 'bench.db'),
      synchronous: 'full',
    });
    started.push(await start('SQLite', sqlite, () => sqlite.close()));
    const postgres = await PostgresStore.open({ url: DATABASE_URL, schema, maintenance: false });
    started.push(await start('PostgreSQL', postgres, () => postgres.close()));
    const run = (setup: Started, kind: Kind, seconds = SECONDS) =>
      load({ url: setup.url, kind, token: TOKEN, users: USERS, seconds, concurrency: CONCURRENCY });
    // Warm up the JIT (the SCIM code is shared), SQLite's page cache and PostgreSQL's buffers and plans.
    for (const setup of started) for (const { kind } of OPERATIONS) await run(setup, kind, 1);
    const runs = new Map<string, Run[]>();
    for (let round = 0; round < ROUNDS; round += 1) {
      // Odd rounds take the stores the other way round: neither always runs second.
      const order = round % 2 === 0 ? started : [...started].reverse();
      for (const { kind } of OPERATIONS)
        for (const setup of order) {
          const key = `${setup.name} ${kind}`;
          runs.set(key, [...(runs.get(key) ?? []), await measured(setup, wire, () => run(setup, kind))]);
        }
    }
    return report(runs);
  } finally {
    for (const setup of started.reverse()) await setup.close();
    wire.stop();
    await PostgresStore.dropSchemas(DATABASE_URL, schema);
  }
}

interface Started {
  name: StoreName;
  url: string;
  close(): Promise<void>;
}

async function start(name: StoreName, store: Store, closeStore: () => Promise<void>): Promise<Started> {
  await seedUsers(store, USERS);
  const server = await serveScim(store);
  return {
    name,
    url: server.url,
    close: async () => {
      await server.close();
      await closeStore();
    },
  };
}

/** Runs `body`, taking this process's CPU, PostgreSQL's and the store's wire counts before and after. */
async function measured(setup: Started, wire: WireCounter, body: () => Promise<LoadResult>): Promise<Run> {
  const cpuBefore = process.cpuUsage();
  const postgresBefore = postgresCpuTicks();
  const wireBefore = wire.snapshot();
  const result = await body();
  const serverCpu = process.cpuUsage(cpuBefore);
  const wireAfter = wire.snapshot();
  const postgresAfter = postgresCpuTicks();
  const ticks = (pids: Iterable<number>) =>
    [...pids].reduce((sum, pid) => sum + (postgresAfter.get(pid) ?? 0) - (postgresBefore.get(pid) ?? 0), 0);
  const onPostgres = setup.name === 'PostgreSQL';
  return {
    load: result,
    rate: result.requests / result.seconds,
    serverCpu: (serverCpu.user + serverCpu.system) / 1e6,
    postgresCpu: onPostgres ? ticks(postgresAfter.keys()) / CLOCK_TICKS : 0,
    backendCpu: onPostgres ? ticks(wireAfter.backends) / CLOCK_TICKS : 0,
    wire: since(wireBefore, wireAfter),
  };
}

function report(runs: Map<string, Run[]>): ScenarioResult {
  /** The round whose rate is the median of its store's runs of `kind`. */
  const median = (store: StoreName, kind: Kind): Run => medianBy(runs.get(`${store} ${kind}`) ?? [], (run) => run.rate);
  const figures: Figure[] = [];
  const rateRows: (string | number)[][] = [];
  const costRows: (string | number)[][] = [];
  const ratioNotes: string[] = [];
  const breakdowns: string[] = [];
  let errors = 0;
  for (const { kind, name, target, what } of OPERATIONS) {
    const lite = median('SQLite', kind);
    const pgRun = median('PostgreSQL', kind);
    const ratio = pgRun.rate / lite.rate;
    const perRequest = (value: number, run: Run) => (value / Math.max(1, run.load.requests)) * 1000;
    const w = pgRun.wire;
    const requests = Math.max(1, pgRun.load.requests);
    errors += [...(runs.get(`SQLite ${kind}`) ?? []), ...(runs.get(`PostgreSQL ${kind}`) ?? [])].reduce((sum, r) => sum + r.load.errors, 0);
    figures.push(
      { metric: `${name}: SQLite`, value: lite.rate, unit: 'requests/s' },
      { metric: `${name}: SQLite p50`, value: lite.load.p50Ms, unit: 'ms' },
      { metric: `${name}: SQLite p99`, value: lite.load.p99Ms, unit: 'ms' },
      { metric: `${name}: PostgreSQL`, value: pgRun.rate, unit: 'requests/s' },
      { metric: `${name}: PostgreSQL p50`, value: pgRun.load.p50Ms, unit: 'ms' },
      { metric: `${name}: PostgreSQL p99`, value: pgRun.load.p99Ms, unit: 'ms' },
      { metric: `${name}: PostgreSQL / SQLite (${what})`, value: ratio, unit: `× (target ≥ ${formatValue(target)})` },
      { metric: `${name}: PostgreSQL round trips per request`, value: w.roundTrips / requests, unit: 'round trips' },
      { metric: `${name}: PostgreSQL statements per request`, value: w.statements / requests, unit: 'statements' },
      { metric: `${name}: PostgreSQL transactions per request`, value: w.transactions / requests, unit: 'transactions' },
      {
        metric: `${name}: PostgreSQL server CPU per request (every postgres process)`,
        value: perRequest(pgRun.postgresCpu, pgRun),
        unit: 'ms',
      },
      { metric: `${name}: PostgreSQL CPU per request (the store's backends)`, value: perRequest(pgRun.backendCpu, pgRun), unit: 'ms' },
      { metric: `${name}: PostgreSQL server CPU during the run`, value: pgRun.postgresCpu, unit: 's' },
      { metric: `${name}: this process's CPU per request, SQLite`, value: perRequest(lite.serverCpu, lite), unit: 'ms' },
      { metric: `${name}: this process's CPU per request, PostgreSQL`, value: perRequest(pgRun.serverCpu, pgRun), unit: 'ms' },
    );
    rateRows.push([
      name,
      lite.rate,
      lite.load.p50Ms,
      lite.load.p99Ms,
      pgRun.rate,
      pgRun.load.p50Ms,
      pgRun.load.p99Ms,
      ratio,
      `≥ ${formatValue(target)}`,
    ]);
    costRows.push([
      name,
      w.roundTrips / requests,
      w.statements / requests,
      w.transactions / requests,
      perRequest(pgRun.postgresCpu, pgRun),
      perRequest(pgRun.backendCpu, pgRun),
      perRequest(lite.serverCpu, lite),
      perRequest(pgRun.serverCpu, pgRun),
    ]);
    const rounds = (store: StoreName) => (runs.get(`${store} ${kind}`) ?? []).map((r) => formatValue(r.rate)).join(', ');
    ratioNotes.push(`${name}: SQLite ${rounds('SQLite')}; PostgreSQL ${rounds('PostgreSQL')} requests/s by round.`);
    breakdowns.push(
      `${name}: ${[...w.byStatement]
        .sort((a, b) => b[1] - a[1])
        .map(([s, n]) => `${s} ${formatValue(n / requests)}`)
        .join(', ')}`,
    );
  }
  figures.push({ metric: 'errors (non-2xx), every run', value: errors, unit: 'responses' });
  return {
    title: 'Inbound SCIM: PostgreSQL beside SQLite',
    about:
      `The SCIM 2.0 endpoint (express, the scim-inbound router, identity service) over ${USERS.toLocaleString('en-US')} seeded users, once on a SQLite store (synchronous=FULL) ` +
      `and once on a PostgresStore (a fresh schema of PostgreSQL on the same machine, the store's default pool of 10 connections), both in one run: ` +
      `${ROUNDS} rounds, each running every operation for ${SECONDS} s on both stores (${CONCURRENCY} keep-alive requests in flight from a load generator in a child process; ` +
      "odd rounds take PostgreSQL first), and each figure from its median round. Round trips, statements and transactions are counted on the store pool's connections; " +
      "CPU from /proc: every `postgres` process's utime+stime over the run, and this process's.",
    tables: [
      {
        head: [
          'operation',
          'SQLite requests/s',
          'p50 ms',
          'p99 ms',
          'PostgreSQL requests/s',
          'p50 ms',
          'p99 ms',
          'PostgreSQL / SQLite',
          'target',
        ],
        rows: rateRows,
      },
      {
        head: [
          'on PostgreSQL, per request',
          'round trips',
          'statements',
          'transactions',
          'PostgreSQL CPU ms (every postgres process)',
          'of it the store’s backends',
          'server CPU ms on SQLite',
          'server CPU ms on PostgreSQL',
        ],
        rows: costRows,
      },
    ],
    figures,
    notes: [
      `Counts run: ${USERS.toLocaleString('en-US')} users seeded in each store (BENCH_USERS), ${ROUNDS} rounds (BENCH_ROUNDS) of ${SECONDS} s per operation and store (BENCH_SECONDS), ${CONCURRENCY} in flight (BENCH_CONCURRENCY); PostgreSQL at ${new URL(DATABASE_URL).host}. POST adds users in every round, so both stores grow alike.`,
      ...ratioNotes,
      'Statements per request on PostgreSQL, by kind (a round trip can carry several: the tenant setting and BEGIN go out with the first statement): ' +
        breakdowns.join('; '),
      "The PostgreSQL CPU is that of every `postgres` process on the machine, other work on the database included; \"the store's backends\" are the server processes of the store pool's own connections. The server CPU is this process's (the load generator is another). The machine has other work running: figures are noisy, the ratios less so (both stores take the same drift).",
    ],
  };
}

// --- what the store sends: counted at the pg client, production code unchanged ---

interface WireCounts {
  roundTrips: number;
  statements: number;
  /** COMMITs sent: a single statement outside BEGIN/COMMIT is a transaction of its own, not counted here. */
  transactions: number;
  byStatement: Map<string, number>;
  /** Server process ids of the connections counted. */
  backends: Set<number>;
}

interface WireCounter {
  snapshot(): WireCounts;
  stop(): void;
}

/**
 * Counts the queries of every pg client whose application_name is `application`: a `client.query` call is one
 * round trip; a query the store sends after a prelude in the same round trip (its `prelude` statements) counts each.
 */
function countWire(application: string): WireCounter {
  const counts: WireCounts = { roundTrips: 0, statements: 0, transactions: 0, byStatement: new Map(), backends: new Set() };
  const proto = pg.Client.prototype as unknown as { query: (this: pg.Client, ...args: unknown[]) => unknown };
  const original = proto.query;
  const add = (text: string) => {
    const kind = statementKind(text);
    counts.statements += 1;
    if (kind === 'COMMIT') counts.transactions += 1;
    counts.byStatement.set(kind, (counts.byStatement.get(kind) ?? 0) + 1);
  };
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const client = this as unknown as { connectionParameters?: { application_name?: string }; processID?: number | null };
    if (client.connectionParameters?.application_name === application) {
      counts.roundTrips += 1;
      if (typeof client.processID === 'number') counts.backends.add(client.processID);
      const [config] = args;
      const prelude = (config as { prelude?: unknown } | null)?.prelude;
      if (Array.isArray(prelude)) for (const p of prelude as { text: string }[]) add(p.text);
      add(typeof config === 'string' ? config : String((config as { text?: unknown } | null)?.text ?? ''));
    }
    return original.apply(this, args);
  };
  return {
    snapshot: () => ({ ...counts, byStatement: new Map(counts.byStatement), backends: new Set(counts.backends) }),
    stop: () => {
      proto.query = original;
    },
  };
}

function since(before: WireCounts, after: WireCounts): WireCounts {
  const byStatement = new Map<string, number>();
  for (const [kind, n] of after.byStatement)
    if (n - (before.byStatement.get(kind) ?? 0) > 0) byStatement.set(kind, n - (before.byStatement.get(kind) ?? 0));
  return {
    roundTrips: after.roundTrips - before.roundTrips,
    statements: after.statements - before.statements,
    transactions: after.transactions - before.transactions,
    byStatement,
    backends: after.backends,
  };
}

/** A statement's verb and first table, e.g. `SELECT users`, `INSERT audit`, `BEGIN`, `SELECT set_config`. */
function statementKind(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const verb = (flat.match(/^\w+/)?.[0] ?? '?').toUpperCase();
  if (/^SELECT set_config\('role'/i.test(flat)) return 'SELECT set_config (role)';
  if (/^SELECT set_config/i.test(flat)) return 'SELECT set_config (tenant)';
  const table = flat.match(/\b(?:FROM|INTO|UPDATE)\s+(\w+)/i)?.[1];
  return table ? `${verb} ${table}` : verb;
}

// --- CPU of PostgreSQL's processes, from /proc ---

const CLOCK_TICKS = clockTicks();

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** utime+stime (clock ticks) of every process whose comm is `postgres`, by pid; empty without /proc. */
function postgresCpuTicks(): Map<number, number> {
  const ticks = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return ticks;
  }
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      // Fields after the comm start at field 3 (state); utime and stime are fields 14 and 15.
      const fields = stat.slice(close + 2).split(' ');
      ticks.set(Number(pid), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks;
}
