import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { GroupRecord, Store } from '@provisio/core/engine';
import { PostgresStore } from '@provisio/store-postgres';
import { SqliteStore } from '@provisio/store-sqlite';
import { formatValue, type Figure, type ScenarioResult } from './measure.ts';
import { load, seedUsers, serveScim, TOKEN, type LoadResult } from './scim-server.ts';

const count = (name: string, fallback: number) => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, got "${raw}"`);
  return value;
};

const SECONDS = count('BENCH_SECONDS', 5);
const CONCURRENCY = count('BENCH_CONCURRENCY', 1);
const SMALL = count('BENCH_SMALL_GROUP', 100);
const BIG = count('BENCH_BIG_GROUP', 50_000);
/** Users added (and taken out again) during a run: none of them is a member of either group. */
const POOL = 1000;
const DATABASE_URL = process.env['PROVISIO_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

interface StoreRun {
  store: string;
  small: LoadResult;
  big: LoadResult;
}

/**
 * What adding one member costs as a group grows: a SCIM PATCH `add members` to a group of 100 members and to one of
 * 50,000, on SQLite and on PostgreSQL. Each add is followed by a PATCH removing that member again (not counted), so
 * both groups keep their size for the whole run.
 */
export async function groupMembersScenario(): Promise<ScenarioResult> {
  const runs: StoreRun[] = [];
  const sqliteDir = mkdtempSync(join(tmpdir(), 'provisio-bench-members-'));
  runs.push(await measure('SQLite', () => Promise.resolve(SqliteStore.open({ path: join(sqliteDir, 'bench.db') }))));
  const schema = `provisio_bench_${randomBytes(4).toString('hex')}`;
  await PostgresStore.ping(DATABASE_URL);
  try {
    runs.push(
      await measure(
        'PostgreSQL',
        () => PostgresStore.open({ url: DATABASE_URL, schema, maintenance: false }),
        () => analyze(schema),
      ),
    );
  } finally {
    await PostgresStore.dropSchemas(DATABASE_URL, schema);
  }
  const rate = (r: LoadResult) => r.requests / r.seconds;
  const small = SMALL.toLocaleString('en-US');
  const big = BIG.toLocaleString('en-US');
  const figures: Figure[] = runs.flatMap((r) => [
    { metric: `${r.store}: add a member, group of ${small}`, value: rate(r.small), unit: 'adds/s' },
    { metric: `${r.store}: add a member, group of ${small}: p50`, value: r.small.p50Ms, unit: 'ms' },
    { metric: `${r.store}: add a member, group of ${big}`, value: rate(r.big), unit: 'adds/s' },
    { metric: `${r.store}: add a member, group of ${big}: p50`, value: r.big.p50Ms, unit: 'ms' },
    {
      metric: `${r.store}: p50 of an add, group of ${big} / group of ${small}`,
      value: r.big.p50Ms / r.small.p50Ms,
      unit: '× (target ≤ 1.5)',
    },
    { metric: `${r.store}: answers other than 2xx`, value: r.small.errors + r.big.errors, unit: 'responses' },
  ]);
  return {
    title: 'Group membership: one member added to a small and a large group',
    tables: [
      {
        head: ['store', `group of ${small}: adds/s`, 'p50 ms', `group of ${big}: adds/s`, 'p50 ms', 'p50 ratio (target ≤ 1.5)'],
        rows: runs.map((r) => [r.store, rate(r.small), r.small.p50Ms, rate(r.big), r.big.p50Ms, r.big.p50Ms / r.small.p50Ms]),
      },
    ],
    about:
      `SCIM 2.0 PATCH \`{"op":"add","path":"members","value":[{"value":"<id>"}]}\` (express, the scim-inbound router, identity service) ` +
      `to a group of ${small} members and to one of ${big}, on SQLite (synchronous=FULL) and on PostgreSQL, ` +
      `${CONCURRENCY} request(s) in flight for ${SECONDS} s per group from a load generator in a child process. ` +
      'After each add the same request slot removes that member again with `members[value eq "<id>"]`, so the groups keep their size; ' +
      'the removes are not counted. The ratio divides the p50 of an add to the large group by that of an add to the small one. ' +
      'PostgreSQL is ANALYZEd after the seeding, as autovacuum would soon do.',
    figures,
    notes: [
      `Counts run: groups of ${small} (BENCH_SMALL_GROUP) and ${big} (BENCH_BIG_GROUP) members, ${SECONDS} s per group (BENCH_SECONDS), ${CONCURRENCY} in flight (BENCH_CONCURRENCY); no connector is configured, so no jobs are planned.`,
      `Answers other than 2xx: ${runs.map((r) => `${r.store} ${r.small.errors + r.big.errors}`).join(', ')}; p50 ratios ${runs.map((r) => `${r.store} ${formatValue(r.big.p50Ms / r.small.p50Ms)}`).join(', ')}.`,
    ],
  };
}

/** Seeds both groups (and the pool of users to add) in a fresh store, then measures an add to each. */
async function measure(name: string, open: () => Promise<Store>, afterSeeding?: () => Promise<void>): Promise<StoreRun> {
  const store = await open();
  try {
    await seedUsers(store, BIG + POOL);
    const smallGroup = await seedGroup(store, 'bench-small', SMALL);
    const bigGroup = await seedGroup(store, 'bench-big', BIG);
    await afterSeeding?.();
    const { url, close } = await serveScim(store);
    try {
      const run = (groupId: string, seconds = SECONDS) =>
        load({
          url,
          kind: 'member-add',
          token: TOKEN,
          users: BIG,
          groupId,
          memberPool: { first: BIG, size: POOL },
          seconds,
          concurrency: CONCURRENCY,
        });
      // Warm up the JIT and both groups' pages before anything is measured.
      await run(smallGroup, 1);
      await run(bigGroup, 1);
      return { store: name, small: await run(smallGroup), big: await run(bigGroup) };
    } finally {
      await close();
    }
  } finally {
    await store.close();
  }
}

/**
 * The statistics autovacuum gathers within a minute of the seeding: without them, right after the bulk insert, the
 * planner takes a group of 50,000 members for a few rows and may read the whole group for one member.
 */
async function analyze(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

/** A group whose members are the first `members` seeded users, written straight through the store. */
async function seedGroup(store: Store, displayName: string, members: number): Promise<string> {
  const at = new Date().toISOString();
  const group: GroupRecord = {
    id: `group-${displayName}`,
    displayName,
    resource: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName },
    members: Array.from({ length: members }, (_, i) => ({ value: `seed-${i}`, display: `user${i}@example.com`, type: 'User' as const })),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await store.commit({ putGroups: [group], expectedGroupVersions: { [group.id]: 0 } });
  return group.id;
}
