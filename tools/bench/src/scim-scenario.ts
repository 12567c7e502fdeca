import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@provisio/store-sqlite';
import { formatValue, type Figure, type ScenarioResult } from './measure.ts';
import { rssFigures } from './bulk-load.ts';
import type { LoadSpec } from './scim-load.ts';
import { listen, load, seedUsers, serveScim, spawnScimServer, TOKEN, type LoadResult } from './scim-server.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 32);
const WARMUP_SECONDS = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 1);

/**
 * SCIM inbound throughput on the durable SQLite store (synchronous=FULL: one fsync
 * per commit): POST /Users, GET by userName filter and PATCH on 100,000 users,
 * beside a bare node:http handler on the same machine, and GET-by-filter at 100
 * users vs 100,000. The load generator is a child process with 32 keep-alive
 * requests in flight; the server with 100,000 users is another, with the heap policy of
 * `provisio serve`, so its peak RSS is the server's; the 100-user server and the bare handler run here.
 */
export async function scimScenario(): Promise<ScenarioResult> {
  // The many users are in the file before the server starts, as when a server restarts over its store: the
  // seeding (straight through the store's commit) is the bench's work, not the server's, and is done here.
  const users = Number(process.env['BENCH_USERS'] ?? 100_000);
  const bigDir = mkdtempSync(join(tmpdir(), 'provisio-bench-scim-'));
  const seeded = SqliteStore.open({ path: join(bigDir, 'bench.db') });
  await seedUsers(seeded, users);
  await seeded.close();
  // Bounds the server process's life should this one hang: every run, many times over.
  const big = await spawnScimServer({ path: join(bigDir, 'bench.db'), users, lifetimeSeconds: 600 + 20 * SECONDS });
  const small = await startScim(100).catch((error: unknown) => {
    big.kill();
    throw error;
  });
  const bare = await startBare();
  try {
    // Each measured run follows a warm-up of its own kind: an idle server's V8 lets go of code it has not run lately
    // (more so under the lean heap policy), and the figure is the rate once it runs again.
    const run = async (url: string, kind: LoadSpec['kind'], users: number, groupId?: string) => {
      await load({ url, kind, token: TOKEN, users, seconds: WARMUP_SECONDS, concurrency: CONCURRENCY, groupId });
      return load({ url, kind, token: TOKEN, users, seconds: SECONDS, concurrency: CONCURRENCY, groupId });
    };
    // Warm up the JIT and the page cache of both stores before anything is measured.
    await load({ url: small.url, kind: 'filter', token: TOKEN, users: 100, seconds: 1, concurrency: CONCURRENCY });
    await load({ url: big.url, kind: 'filter', token: TOKEN, users: big.users, seconds: 1, concurrency: CONCURRENCY });
    const baseline = await run(bare.url, 'bare', 1);
    const filterSmall = await run(small.url, 'filter', 100);
    const filterBig = await run(big.url, 'filter', big.users);
    const patch = await run(big.url, 'patch', big.users);
    const patchHot = await run(big.url, 'patch-hot', big.users);
    const memberHot = await run(big.url, 'member-hot', big.users, big.groupId);
    const post = await run(big.url, 'post', big.users);
    const server = await big.report();
    const rate = (r: LoadResult) => r.requests / r.seconds;
    const n = big.users.toLocaleString('en-US');
    const figures: Figure[] = [
      ...row('bare node:http handler', baseline, rate(baseline)).slice(0, 3),
      ...row(`POST /Users (${n} users)`, post, rate(baseline)),
      ...row(`GET /Users?filter=userName eq (${n} users)`, filterBig, rate(baseline)),
      ...row(`PATCH /Users/{id} (${n} users)`, patch, rate(baseline)),
      ...row('GET /Users?filter=userName eq (100 users)', filterSmall, rate(baseline)),
      ...row('PATCH of one user, 32 at once (hot spot)', patchHot, rate(baseline)),
      ...row('PATCH adding a member to one group, 32 at once (hot spot)', memberHot, rate(baseline)),
      { metric: 'hot-spot PATCH of one user / PATCH spread over users', value: rate(patchHot) / rate(patch), unit: '×' },
      { metric: 'hot-spot member add / PATCH spread over users', value: rate(memberHot) / rate(patch), unit: '×' },
      { metric: 'hot-spot answers other than 2xx', value: patchHot.errors + memberHot.errors, unit: 'responses' },
      { metric: `filter throughput, 100 users / ${n} users`, value: rate(filterSmall) / rate(filterBig), unit: '×' },
      { metric: 'errors (non-2xx)', value: post.errors + filterBig.errors + patch.errors + filterSmall.errors, unit: 'responses' },
      { metric: `peak RSS, server with ${n} users (child process, the server's heap policy)`, value: server.peakRssMb, unit: 'MB' },
      ...rssFigures(`server with ${n} users: RSS after the load`, server.rss),
      { metric: `server with ${n} users: V8 heap used after the load`, value: server.memory.heapUsedMb, unit: 'MB' },
      { metric: `server with ${n} users: V8 heap reserved after the load`, value: server.memory.heapTotalMb, unit: 'MB' },
      {
        metric: `server with ${n} users: memory outside the V8 heap known to V8 after the load (external)`,
        value: server.memory.externalMb,
        unit: 'MB',
      },
    ];
    const line = (name: string, r: LoadResult) => [name, rate(r), r.p50Ms, r.p99Ms, rate(r) / rate(baseline)];
    const table = {
      head: ['operation', 'requests/s', 'p50 ms', 'p99 ms', 'vs bare handler'],
      rows: [
        line('bare node:http handler', baseline),
        line(`POST /Users (${n} users)`, post),
        line(`GET /Users?filter=userName eq (${n} users)`, filterBig),
        line(`PATCH /Users/{id} (${n} users)`, patch),
        line('GET /Users?filter=userName eq (100 users)', filterSmall),
        line('PATCH of one user, 32 at once (hot spot)', patchHot),
        line('PATCH adding a member to one group, 32 at once (hot spot)', memberHot),
      ],
    };
    return {
      title: '1. Inbound SCIM',
      tables: [table],
      about:
        `The SCIM 2.0 endpoint (express, the scim-inbound router, identity service, SQLite store with synchronous=FULL: every write on disk before it is answered) on ${n} seeded users, ` +
        `driven for ${SECONDS} s per operation by a load generator in a child process with ${CONCURRENCY} keep-alive requests in flight, ` +
        'beside a bare node:http handler answering a constant JSON body on the same machine. "vs bare" is the operation\'s requests/s divided by the bare handler\'s.',
      figures,
      notes: [
        `Counts run: ${n} users seeded (BENCH_USERS), ${SECONDS} s per operation (BENCH_SECONDS) after ${WARMUP_SECONDS} s of the same operation (BENCH_WARMUP_SECONDS), ${CONCURRENCY} in flight (BENCH_CONCURRENCY).`,
        `GET by filter, requests/s at 100 users divided by requests/s at ${n} users: ${formatValue(rate(filterSmall) / rate(filterBig))} (1 means the store's size does not matter: the lookup is indexed); ${post.errors + filterBig.errors + patch.errors + filterSmall.errors} non-2xx responses.`,
        `Memory: the server with ${n} users runs in a child process of its own that serves nothing else, with the heap policy \`provisio serve\` applies first (applyHeapPolicy, PROVISIO_HEAP: ${server.heap} this run). ` +
          `It opens the SQLite file this process seeded and closed (as a server restarted over its store opens it), then serves every run; "peak RSS" is its high-water mark over its whole life (getrusage maxrss, Linux VmHWM), read by the process itself after the last run (${formatValue(server.peakRssOpenedMb)} MB once the store was open, before any request). ` +
          "The RSS and V8 heap figures are taken at the same moment (process.memoryUsage); SQLite's page cache (up to 64 MB per store) is malloc memory V8 does not see: it is in the anonymous RSS, not in the heap or external figures. " +
          'The 100-user server and the bare handler run in the bench process, the load generator in a process of its own.',
        'Before and after (issue 21; earlier figures from docs/benchmarks.md of 2026-12-07): hot-spot member add 0.28× of spread PATCHes before membership deltas built on the uncommitted ones of their group, about 1.0–1.55× since (0 non-2xx in every run). ' +
          "Peak RSS 336.6 MB was the bench process's (it also held the 100-user server, the bare handler and both seedings); the server's own process, which opens a seeded file, peaked at 174–200 MB with the lean heap policy in five runs. " +
          "GET by filter at 100,000 users was 0.56 of the bare handler when the server ran inside the bench process without a heap policy; in the server's own process with the lean policy it measured 0.29 and 0.36 in two runs without a warm-up of its own (it ran after 10 s of other work, and V8 had let go of code meanwhile), " +
          `${formatValue(rate(filterBig) / rate(baseline))} in this run. With PROVISIO_HEAP=throughput the same process ran GET at 0.67, POST at 0.30 and PATCH at 0.26 in one run and peaked at 324 MB. ` +
          'V8 sizes its young generation at start only, so the lean policy set at run time (--optimize-for-size) leaves it at 32 MB.',
        'POST creates new users (the store grows during the run); PATCH replaces `title` of a random seeded user; GET filters on the userName of a random seeded user. No connector is configured, so no jobs are planned.',
        `Hot spot: every PATCH replaces \`title\` of one user, or adds a random seeded user to one group, without If-Match: writes to one identity take turns in the server, so none answers 412 (${patchHot.errors + memberHot.errors} non-2xx). A user's PATCH builds on the one still being committed and shares its commit (docs/pipeline.md), so 32 of one user cost what 32 of different users do; a membership delta builds the same way on the deltas of its group still being committed (their changes applied over the members it reads from the store), so member adds to one group share commits too. The group grows during its run (up to ${memberHot.requests} member adds); each add is a membership delta (its member's row and the group's version), so the group's size does not slow it (see the group-members scenario).`,
      ],
    };
  } finally {
    big.kill();
    await Promise.all([small.close(), bare.close()]);
    rmSync(bigDir, { recursive: true, force: true });
  }
}

function row(name: string, r: LoadResult, bare: number): Figure[] {
  return [
    { metric: name, value: r.requests / r.seconds, unit: 'requests/s' },
    { metric: `${name}: p50`, value: r.p50Ms, unit: 'ms' },
    { metric: `${name}: p99`, value: r.p99Ms, unit: 'ms' },
    { metric: `${name}: vs bare handler`, value: r.requests / r.seconds / bare, unit: '×' },
  ];
}

/** The SCIM server with `users` seeded users, in this process. */
async function startScim(users: number): Promise<{ url: string; close(): Promise<void> }> {
  const store = SqliteStore.open({ path: join(mkdtempSync(join(tmpdir(), 'provisio-bench-scim-')), 'bench.db') });
  await seedUsers(store, users);
  const { url, close } = await serveScim(store);
  return {
    url,
    close: async () => {
      await close();
      await store.close();
    },
  };
}

async function startBare(): Promise<{ url: string; close(): Promise<void> }> {
  const body = JSON.stringify({ status: 'ok' });
  return listen(
    createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body),
    ),
  );
}
