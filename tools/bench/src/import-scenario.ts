import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startGoogleEmulator, startScimEmulator } from '@provisio/emulators';
import { benchSalesforceConfig, startBenchSalesforce } from './salesforce-bench-org.ts';
import type { ImportChildResult, ImportChildSpec } from './import-child.ts';
import type { Figure, ScenarioResult } from './measure.ts';

const DOMAIN = 'bench.example';
const SCIM_PAGE = 200;

/** Accounts in each target (BENCH_IMPORT_ACCOUNTS, default 100,000); 90% of them are local users. */
function counts(): { accounts: number; local: number; latencyMs: number } {
  const raw = process.env.BENCH_IMPORT_ACCOUNTS;
  const accounts = raw === undefined || raw === '' ? 100_000 : Number(raw);
  if (!Number.isInteger(accounts) || accounts < 10) throw new Error(`BENCH_IMPORT_ACCOUNTS must be a whole number ≥ 10, got "${raw}"`);
  const latency = Number(process.env.BENCH_LATENCY_MS ?? 50);
  return { accounts, local: Math.floor(accounts * 0.9), latencyMs: latency };
}

/** BENCH_IMPORT_ONLY=salesforce,google,scim (default all): which targets to run. */
const only = (target: string) => (process.env.BENCH_IMPORT_ONLY ?? 'salesforce,google,scim').split(',').includes(target);

const email = (i: number, local: number) => (i < local ? `user${i}@${DOMAIN}` : `left${i}@${DOMAIN}`);

/** Writes the local users into a SQLite file once, in a child of its own; each target's run gets a copy. */
async function seedLocalUsers(local: number): Promise<{ copy(name: string): string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-bench-import-'));
  const template = join(dir, 'seeded.db');
  await runImportInChild({ phase: 'seed', dbPath: template, plugin: '', instance: {}, localUsers: local, domain: DOMAIN }, () => undefined);
  return {
    copy: (name) => {
      const path = join(dir, `${name}.db`);
      copyFileSync(template, path);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs import then reconcile in a child; `onImported` runs between the two (the parent reads its call counters). */
function runImportInChild(spec: ImportChildSpec, onImported: () => void): Promise<ImportChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./import-child.ts', import.meta.url))], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let answer: { result?: ImportChildResult; error?: string } | undefined;
    child.on('message', (message) => {
      if ((message as { imported?: boolean }).imported) {
        onImported();
        child.send('reconcile');
      } else answer = message as typeof answer;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (answer?.result) resolve(answer.result);
      else reject(new Error(`import process exited with ${code}${answer?.error ? `: ${answer.error}` : ''}`));
    });
    child.send(spec);
  });
}

/** A target holding an estate: its emulator started and seeded, the instance that imports from it, its call counter. */
interface Estate {
  instance: Record<string, unknown>;
  calls(): number;
  close(): Promise<void>;
}

interface EstateTarget {
  name: string;
  label: string;
  plugin: string;
  /** API calls per account when every page is the target's largest. */
  floor: number;
  start(size: { people: Person[]; latencyMs: number }): Promise<Estate>;
}

/** One account of an estate, before each target's own shape. */
interface Person {
  email: string;
  givenName: string;
  familyName: string;
}

/** Every target holds the same people: the first `local` of them are local users too. */
const estatePeople = (accounts: number, local: number): Person[] =>
  Array.from({ length: accounts }, (_, i) => ({ email: email(i, local), givenName: `Given${i}`, familyName: `Family${i}` }));

const ESTATE_TARGETS: EstateTarget[] = [
  {
    // SOQL pages of 2,000 (queryMore).
    name: 'salesforce',
    label: 'Salesforce',
    plugin: '@provisio/connector-salesforce',
    floor: 1 / 2000,
    start: async ({ people, latencyMs }) => {
      const sf = await startBenchSalesforce({ latencyMs, dailyApiLimit: 10_000_000 });
      sf.state.addUsers(people.map((p) => ({ Username: p.email, LastName: p.familyName, FirstName: p.givenName })));
      return {
        instance: {
          id: 'salesforce',
          type: 'salesforce',
          mapping: { Username: 'userName', Email: 'userName', FirstName: 'name.givenName', LastName: 'name.familyName' },
          config: benchSalesforceConfig(sf.url),
        },
        calls: () => sf.state.apiCallCount(),
        close: () => sf.close(),
      };
    },
  },
  {
    // users.list pages of 500.
    name: 'google',
    label: 'Google',
    plugin: '@provisio/connector-google',
    floor: 1 / 500,
    start: async ({ people, latencyMs }) => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const admin = `admin@${DOMAIN}`;
      const serviceAccount = 'provisio@bench-project.iam.gserviceaccount.com';
      const google = await startGoogleEmulator({
        domains: [DOMAIN],
        admins: [admin],
        serviceAccounts: [{ clientEmail: serviceAccount, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
        latencyMs,
      });
      google.state.addUsers(people.map((p) => ({ primaryEmail: p.email, givenName: p.givenName, familyName: p.familyName })));
      return {
        instance: {
          id: 'google',
          type: 'google',
          mapping: { primaryEmail: 'userName', givenName: 'name.givenName', familyName: 'name.familyName' },
          config: {
            domain: DOMAIN,
            serviceAccountEmail: serviceAccount,
            privateKey: { format: 'pem', pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
            adminEmail: admin,
            tokenUrl: google.tokenUrl,
            rootUrl: `${google.url}/`,
          },
        },
        calls: () => google.state.callCount,
        close: () => google.close(),
      };
    },
  },
  {
    // startIndex/count pages of the service's maximum (200).
    name: 'scim',
    label: 'SCIM 2.0',
    plugin: '@provisio/connector-scim',
    floor: 1 / SCIM_PAGE,
    start: async ({ people, latencyMs }) => {
      const token = 'bench-scim-token-0123456789';
      const scim = await startScimEmulator({ auth: { type: 'bearer', token }, latencyMs, maxResults: SCIM_PAGE });
      for (const p of people)
        scim.state.seedUser({ userName: p.email, name: { givenName: p.givenName, familyName: p.familyName }, active: true });
      return {
        instance: {
          id: 'scim',
          type: 'scim2',
          mapping: { userName: 'userName', givenName: 'name.givenName', familyName: 'name.familyName' },
          config: { baseUrl: scim.baseUrl2, auth: { type: 'bearer', token } },
        },
        calls: () => scim.state.countRequests('GET'),
        close: () => scim.close(),
      };
    },
  },
];

/**
 * Import of an existing estate: each emulator holds N accounts (50 ms per call), 90% of them
 * matching local users in a SQLite store; `--apply` links them. Accounts per second, API calls
 * per account against the paging floor, and the importing process's peak RSS.
 */
export async function importScenario(): Promise<ScenarioResult> {
  const { accounts, local, latencyMs } = counts();
  const seeded = await seedLocalUsers(local);
  const figures: Figure[] = [];
  const rows: (string | number)[][] = [];
  const reconcileRows: (string | number)[][] = [];
  const record = (label: string, run: ImportChildResult, counted: { import: number; total: number }, floor: number) => {
    const calls = counted.import;
    const reconcileCalls = counted.total - counted.import;
    const r = run.reconcile;
    if (r.counts.inSync !== local) console.error(`${label}: reconcile found ${r.counts.inSync} in sync, expected ${local}`);
    figures.push(
      { metric: `${label}: reconcile accounts/s`, value: Math.round(r.read / r.seconds), unit: 'accounts/s' },
      { metric: `${label}: reconcile API calls per account`, value: reconcileCalls / r.read, unit: `calls (floor ${floor})` },
      { metric: `${label}: reconcile drift`, value: r.counts.drift + r.counts.missing, unit: 'accounts' },
      { metric: `${label}: peak RSS after reconcile`, value: r.peakRssMb, unit: 'MB' },
    );
    reconcileRows.push([
      label,
      r.read,
      Math.round(r.seconds * 10) / 10,
      Math.round(r.read / r.seconds),
      (reconcileCalls / r.read).toFixed(5),
      r.counts.inSync,
      r.counts.drift,
      r.counts.missing,
      r.counts.orphans,
      r.peakRssMb,
    ]);
    if (run.counts.linked !== local) console.error(`${label}: linked ${run.counts.linked}, expected ${local}`);
    const perSecond = Math.round(run.read / run.seconds);
    figures.push(
      { metric: `${label}: accounts/s`, value: perSecond, unit: 'accounts/s' },
      { metric: `${label}: API calls per account`, value: calls / run.read, unit: `calls (floor ${floor})` },
      { metric: `${label}: linked`, value: run.counts.linked, unit: 'links' },
      { metric: `${label}: orphans`, value: run.counts.orphans, unit: 'accounts' },
      { metric: `${label}: peak RSS of the importing process`, value: run.peakRssMb, unit: 'MB' },
      { metric: `${label}: peak RSS before the import (local users written)`, value: run.peakRssBeforeImportMb, unit: 'MB' },
      { metric: `${label}: peak V8 heap used`, value: Math.max(...Object.values(run.memoryPeaksMb).map((p) => p.heapUsed)), unit: 'MB' },
    );
    console.log(
      `${label}: ${run.read} read in ${run.seconds.toFixed(1)} s, ${calls} calls, linked ${run.counts.linked}, peak RSS ${run.peakRssMb} MB; ` +
        `at the end: ${run.rssAtEnd?.anonMb} MB anonymous, ${run.rssAtEnd?.fileMb} MB file-backed, heap ${run.heapUsedAtEndMb} MB; ` +
        `heap policy ${run.heap}; peaks by phase: ${JSON.stringify(run.memoryPeaksMb)}`,
    );
    rows.push([
      label,
      run.read,
      Math.round(run.seconds * 10) / 10,
      perSecond,
      (calls / run.read).toFixed(5),
      floor.toFixed(5),
      run.counts.linked,
      run.counts.orphans,
      run.peakRssBeforeImportMb,
      run.peakRssMb,
    ]);
  };

  /** Imports into one target in a child, then reconciles it; `calls` reads the target's call counter. */
  const importInto = async (label: string, plugin: string, instance: Record<string, unknown>, calls: () => number, floor: number) => {
    const before = calls();
    let imported = 0;
    const dbPath = seeded.copy(String(instance['id']));
    const run = await runImportInChild(
      { phase: 'run', dbPath, plugin, instance, localUsers: local, domain: DOMAIN },
      () => (imported = calls()),
    );
    record(label, run, { import: imported - before, total: calls() - before }, floor);
  };

  for (const target of ESTATE_TARGETS) {
    if (!only(target.name)) continue;
    const estate = await target.start({ people: estatePeople(accounts, local), latencyMs });
    try {
      await importInto(target.label, target.plugin, estate.instance, estate.calls, target.floor);
    } finally {
      await estate.close();
    }
  }

  seeded.remove();
  return {
    title: 'Import and reconcile of an existing estate',
    about:
      `Each emulator holds ${accounts.toLocaleString('en-US')} accounts and adds ${latencyMs} ms to every call; ${local.toLocaleString('en-US')} of them match users in a SQLite store (written directly). ` +
      '`import --apply` reads the whole target with its own paging (SOQL queryMore, users.list pageToken, SCIM startIndex/count), matches by the default rules and writes the links in batches of 500, in its own process; then a reconcile of the same target in the same process reads it again and compares every linked account with the mapping (nothing drifted: every linked account is in sync, no job).',
    figures,
    tables: [
      {
        head: [
          'target',
          'accounts read',
          'seconds',
          'accounts/s',
          'API calls per account',
          'floor',
          'linked',
          'orphans',
          'peak RSS before (MB)',
          'peak RSS (MB)',
        ],
        rows,
      },
      {
        head: [
          'reconcile of',
          'accounts read',
          'seconds',
          'accounts/s',
          'API calls per account',
          'in sync',
          'drift',
          'missing',
          'orphans',
          'peak RSS (MB)',
        ],
        rows: reconcileRows,
      },
    ],
    notes: [
      "API calls counted at the emulator while the import ran (token requests included); the floor is one call per page of the target's largest page.",
      "Orphans include the target's own admin account where it has one (the Salesforce integration user, the Google admin).",
      'Peak RSS is of the importing process only (store, connector, import, reconcile; the emulators run in the bench process), which runs with the heap policy of `provisio serve` (PROVISIO_HEAP, `lean` by default: V8 collects early). "Before" is its peak once the local users are written, before the import starts; part of every figure is file-backed (the node binary and other mapped files, pages the kernel can drop).',
      "The import keeps an index of the local identities (ids and match values, about 25 MB at 90,000) and one flat string per pending link; a reconcile streams page by page. With V8's own heap policy (PROVISIO_HEAP=throughput), Salesforce at 100,000 peaked at 392 MB (import) and 544 MB (after the reconcile) with a live heap under 100 MB, the rest garbage V8 had not yet collected (its default limit on this 24 GB machine is 4 GB), at 18,921 and 12,425 accounts/s against lean's 16,838 and 10,685 (2026-12-03, quiet machine): lean costs 11 to 14 % on this CPU-bound import and halves the memory.",
      'Before the SCIM emulator rendered only the requested page (it rendered and projected all accounts for every page), SCIM read 49 accounts/s at 20,000 accounts; a 100,000-account run timed out on a deep page.',
    ],
  };
}
