import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@provisio/store-sqlite';
import { formatValue, medianBy, peakRssMb, type Figure, type ScenarioResult } from './measure.ts';
import type { LoadSpec } from './scim-load.ts';
import { load, seedUsers, serveTenantsScim, TOKEN, type LoadResult } from './scim-server.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 32);
const TENANTS = Number(process.env['BENCH_TENANTS'] ?? 100);
const USERS_PER_TENANT = Number(process.env['BENCH_TENANT_USERS'] ?? 1000);
const WARMUP_SECONDS = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 10);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const rateOf = (r: LoadResult) => r.requests / r.seconds;

/**
 * Tenants cost nothing per request: SCIM inbound on one SQLite store holding 100 tenants of 1,000 users each
 * (every request to a random tenant, the same userNames in each) beside one holding one tenant of 100,000 users,
 * both routed beneath /t/<domain>/scim as the server routes them. GET by userName filter and POST /Users.
 */
export async function tenantsScenario(): Promise<ScenarioResult> {
  // Domains of one length (tenant-007.example.com, tenant-all.example.com): every row and index key holds its
  // tenant's domain, so names of other lengths would make one store's rows larger than the other's.
  const width = Math.max(3, String(TENANTS - 1).length);
  const manyDomains = Array.from({ length: TENANTS }, (_, i) => `tenant-${String(i).padStart(width, '0')}.example.com`);
  const many = await startTenants(manyDomains, USERS_PER_TENANT);
  const one = await startTenants([`tenant-${'all'.padEnd(width, '-')}.example.com`], TENANTS * USERS_PER_TENANT);
  try {
    // POSTs name their users in no order, as a directory's names arrive (see the notes for names in sequence).
    const run = (setup: Started, kind: LoadSpec['kind'], seconds = SECONDS, unorderedNames = true) =>
      load({
        url: setup.url,
        kind,
        token: TOKEN,
        users: setup.usersPerTenant,
        tenants: setup.domains,
        seconds,
        concurrency: CONCURRENCY,
        unorderedNames,
      });
    // Warm both setups' handlers and statements before anything is measured.
    await run(many, 'filter', WARMUP_SECONDS);
    await run(many, 'post', WARMUP_SECONDS / 2);
    await run(one, 'filter', WARMUP_SECONDS);
    await run(one, 'post', WARMUP_SECONDS / 2);
    // Rounds that alternate the two setups (and which goes first), so a drift of the machine's speed during the
    // run falls on both alike; each figure is the median round.
    const side = async (kind: LoadSpec['kind'], unorderedNames = true) => {
      const runs: { many: LoadResult[]; one: LoadResult[] } = { many: [], one: [] };
      for (let round = 0; round < ROUNDS; round += 1) {
        const order = round % 2 === 0 ? (['many', 'one'] as const) : (['one', 'many'] as const);
        for (const which of order) runs[which].push(await run(which === 'many' ? many : one, kind, SECONDS, unorderedNames));
      }
      return { many: medianBy(runs.many, rateOf), one: medianBy(runs.one, rateOf), rounds: runs };
    };
    const filter = await side('filter');
    const post = await side('post');
    const sequential = await side('post', false);
    const [filterMany, filterOne, postMany, postOne, sequentialMany, sequentialOne] = [
      filter.many,
      filter.one,
      post.many,
      post.one,
      sequential.many,
      sequential.one,
    ];
    const rate = (r: LoadResult) => r.requests / r.seconds;
    const roundRatios = (sides: { rounds: { many: LoadResult[]; one: LoadResult[] } }) =>
      sides.rounds.many.map((m, i) => formatValue(rate(m) / rate(sides.rounds.one[i] ?? m))).join(', ');
    const manyName = `${TENANTS} tenants × ${USERS_PER_TENANT.toLocaleString('en-US')} users`;
    const oneName = `1 tenant × ${(TENANTS * USERS_PER_TENANT).toLocaleString('en-US')} users`;
    const figures: Figure[] = [
      { metric: `GET by userName filter, ${manyName}`, value: rate(filterMany), unit: 'requests/s' },
      { metric: `GET by userName filter, ${oneName}`, value: rate(filterOne), unit: 'requests/s' },
      { metric: 'GET by filter: many tenants / one tenant', value: rate(filterMany) / rate(filterOne), unit: '× (target 0.9–1.1)' },
      { metric: `POST /Users, ${manyName}`, value: rate(postMany), unit: 'requests/s' },
      { metric: `POST /Users, ${oneName}`, value: rate(postOne), unit: 'requests/s' },
      { metric: 'POST: many tenants / one tenant', value: rate(postMany) / rate(postOne), unit: '× (target 0.9–1.1)' },
      { metric: `POST /Users, userNames in sequence, ${manyName}`, value: rate(sequentialMany), unit: 'requests/s' },
      { metric: `POST /Users, userNames in sequence, ${oneName}`, value: rate(sequentialOne), unit: 'requests/s' },
      { metric: 'POST, userNames in sequence: many tenants / one tenant', value: rate(sequentialMany) / rate(sequentialOne), unit: '×' },
      {
        metric: 'errors (non-2xx)',
        value: [filter, post, sequential]
          .flatMap((sides) => [...sides.rounds.many, ...sides.rounds.one])
          .reduce((sum, r) => sum + r.errors, 0),
        unit: 'responses',
      },
      { metric: 'peak RSS (server process, both stores)', value: peakRssMb(), unit: 'MB' },
    ];
    const line = (operation: string, a: LoadResult, b: LoadResult) => [operation, rate(a), a.p99Ms, rate(b), b.p99Ms, rate(a) / rate(b)];
    return {
      title: 'Tenants: many small against one large',
      tables: [
        {
          head: ['operation', `${manyName}: requests/s`, 'p99 ms', `${oneName}: requests/s`, 'p99 ms', 'ratio (target 0.9–1.1)'],
          rows: [
            line('GET /Users?filter=userName eq', filterMany, filterOne),
            line('POST /Users', postMany, postOne),
            line('POST /Users, userNames in sequence', sequentialMany, sequentialOne),
          ],
        },
      ],
      about:
        `SCIM 2.0 beneath /t/<domain>/scim (the scim-inbound router and identity service over each tenant's view of one SQLite store, synchronous=FULL) ` +
        `for ${TENANTS} tenants of ${USERS_PER_TENANT.toLocaleString('en-US')} users each, every request to a random tenant, beside one tenant of ` +
        `${(TENANTS * USERS_PER_TENANT).toLocaleString('en-US')} users; ${SECONDS} s per operation, ${CONCURRENCY} requests in flight from a load generator in a child process.`,
      figures,
      notes: [
        `Counts run: ${TENANTS} tenants (BENCH_TENANTS) × ${USERS_PER_TENANT} users (BENCH_TENANT_USERS); ${SECONDS} s per operation (BENCH_SECONDS), ${CONCURRENCY} in flight (BENCH_CONCURRENCY); each setup warmed for ${WARMUP_SECONDS} s of GETs and ${WARMUP_SECONDS / 2} s of POSTs first (BENCH_WARMUP_SECONDS).`,
        `Each operation ran ${ROUNDS} rounds (BENCH_ROUNDS), each round both setups one after the other, the first one alternating; each figure is the setup's median round. Ratios of the rounds in turn: GET ${roundRatios(filter)}; POST ${roundRatios(post)}; POST with names in sequence ${roundRatios(sequential)}.`,
        "The tenants share one set of SCIM routes and one /t/<domain> route table, each request serving its tenant's endpoint (its identity service over its view of the store, its credentials): V8 optimises one set of handlers for all of them. Before (a router tree per tenant) the 100 tenants ran at 0.83 of the single one for GET in the last quiet run, and the scenario needed a long warm-up for each tenant's own handlers.",
        `Every tenant holds the same userNames (user0@example.com, ...): a filter finds the one of its own tenant. The ratios are ${formatValue(rate(filterMany) / rate(filterOne))} (GET) and ${formatValue(rate(postMany) / rate(postOne))} (POST). The store's indexes that answer a filter lead with the tenant; at the store alone, 20,000 lookups by userName cost 10.2 µs each across the 100 tenants and 9.7 µs in the one tenant of 100,000 (measured beside this scenario).`,
        "Every domain has the same length (tenant-007.example.com, tenant-all.example.com): each row and index key holds its tenant's domain, and before this the single tenant's shorter domain (big.example.com) made its rows and keys smaller than the others'.",
        'POST names each new user with random hex (`3f9a…-<n>@example.com`), as the names of a directory arrive: in no order. Before the tenants index change (store-sqlite migration 13) the scenario named them `load-<pid>-<sequence>` and POST ran at 0.61 of the single tenant; with the same sequential names it now runs at ' +
          `${formatValue(rate(sequentialMany) / rate(sequentialOne))} (the last row). Names in sequence are a case of their own: one tenant's unique indexes (userName, emails) then take each group commit's new entries on their last page, where 100 tenants take them at 100 places; no index layout can give many tenants that locality, and names in a real feed rarely have it.`,
        "Why POST was at 0.61: with many tenants writing at once, an index that leads with the tenant takes each group commit's writes at one place per tenant, a dirty page each, and the WAL writes every dirty page; one tenant's appends share the last page. Migration 13 dropped the indexes that cost every write and narrow little: (tenant) of users, groups and audit (an unfiltered list now walks the table in insertion order), (tenant, created_at), (tenant, updated_at) and (tenant, active) of users (those filters are answered exactly in SQL over the tenant's rows); externalId and displayName are indexed only where present, and the audit's moments lead with time. Measured at the store (4,800 creates, 32 at a time, random names, bytes written per user from /proc/self/io): 100 tenants wrote 184 KB per user against 122 KB for one tenant before, 94 KB against 85 KB after.",
      ],
    };
  } finally {
    await Promise.all([many.close(), one.close()]);
  }
}

interface Started {
  url: string;
  domains: string[];
  usersPerTenant: number;
  close(): Promise<void>;
}

async function startTenants(domains: string[], usersPerTenant: number): Promise<Started> {
  const store = SqliteStore.open({ path: join(mkdtempSync(join(tmpdir(), 'provisio-bench-tenants-')), 'bench.db') });
  // The same userNames in every tenant; ids unique across them.
  for (const [t, domain] of domains.entries()) await seedUsers(store.forTenant(domain), usersPerTenant, (i) => `seed-${t}-${i}`);
  const server = await serveTenantsScim(store, domains);
  return {
    url: server.url,
    domains,
    usersPerTenant,
    close: async () => {
      await server.close();
      await store.close();
    },
  };
}
