import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer } from '@provisio/chaos';
import { startGoogleEmulator, startScimEmulator } from '@provisio/emulators';
import { benchSalesforceConfig, startBenchSalesforce } from './salesforce-bench-org.ts';
import { formatValue, peakRssOfPidMb, percentile, rssBreakdownMb, type Figure, type ScenarioResult } from './measure.ts';
import { rssFigures } from './bulk-load.ts';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.ts';
import { MARKER, runChanges, type ChangeRun } from './scim-changes.ts';

const DOMAIN = 'bench.example';
const SCIM_TOKEN = 'bench-inbound-token-0123456789';
const APP_TOKEN = 'bench-scim-app-token';
const GOOGLE_SA = 'provisio@bench-project.iam.gserviceaccount.com';
const GOOGLE_QUOTA_PER_MINUTE = 2400;
const CONCURRENCY = 8;
const WORKSPACE = join(import.meta.dirname, '..', '..', '..');

interface Target {
  id: string;
  proxy: RecordingProxy;
  /** userName → the family name the target holds now. */
  familyNames(): Map<string, string>;
}

/**
 * Steady state through the production server (`provisio serve`, SQLite): a
 * constant stream of SCIM changes (half creates, half PATCHes of earlier
 * users) while the server provisions them to the SCIM, Salesforce and Google
 * emulators, each behind a recording proxy. End-to-end latency per target is
 * from the SCIM response to the acknowledged remote write carrying the
 * change (or a later change of the same user that supersedes it).
 */
export async function steadyStateScenario(): Promise<ScenarioResult> {
  const rate = Number(process.env['BENCH_RATE'] ?? 50);
  const seconds = Number(process.env['BENCH_STEADY_SECONDS'] ?? 60);
  const latencyMs = Number(process.env['BENCH_LATENCY_MS'] ?? 50);
  const drainSeconds = Number(process.env['BENCH_DRAIN_SECONDS'] ?? 600);
  const dir = mkdtempSync(join(tmpdir(), 'provisio-bench-steady-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const changesExpected = Math.round(rate * seconds);
  const scim = await startScimEmulator({ auth: { type: 'bearer', token: APP_TOKEN }, latencyMs, bulk: { supported: true } });
  const salesforce = await startBenchSalesforce({
    latencyMs,
    // Enterprise Edition allocation: 100,000 + 1,000 per licence, one per user this run can create.
    dailyApiLimit: 100_000 + 1_000 * (changesExpected + 1),
    username: `integration@${DOMAIN}`,
  });
  const google = await startGoogleEmulator({
    domains: [DOMAIN],
    admins: [`admin@${DOMAIN}`],
    serviceAccounts: [{ clientEmail: GOOGLE_SA, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
    latencyMs,
    userRateLimitPerMinute: GOOGLE_QUOTA_PER_MINUTE,
  });
  const proxies: RecordingProxy[] = [];
  try {
    const [scimProxy, salesforceProxy, googleProxy] = await Promise.all(
      [scim.url, salesforce.url, google.url].map((url) => startRecordingProxy(url, MARKER)),
    );
    proxies.push(scimProxy, salesforceProxy, googleProxy);
    const targets: Target[] = [
      {
        id: 'scim-app',
        proxy: scimProxy,
        familyNames: () =>
          new Map(
            scim.state.users().map((u) => [String(u['userName']), String((u['name'] as { familyName?: string } | undefined)?.familyName)]),
          ),
      },
      {
        id: 'salesforce',
        proxy: salesforceProxy,
        familyNames: () => new Map(salesforce.state.users().map((u) => [String(u['Username']), String(u['LastName'])])),
      },
      {
        id: 'google',
        proxy: googleProxy,
        familyNames: () =>
          new Map(
            google.state
              .users()
              .map((u) => [String(u['primaryEmail']), String((u['name'] as { familyName?: string } | undefined)?.familyName)]),
          ),
      },
    ];
    const perSecond = GOOGLE_QUOTA_PER_MINUTE / 60;
    const manifest = {
      server: { host: '127.0.0.1', port: 0, logLevel: 'warn' },
      store: { type: 'sqlite', path: join(dir, 'provisio.db') },
      inbound: { scim: { auth: { bearer: [{ name: 'bench', token: SCIM_TOKEN }] } } },
      connectors: [
        {
          id: 'scim-app',
          type: 'scim2',
          concurrency: CONCURRENCY,
          config: { baseUrl: `${scimProxy.url}${new URL(scim.baseUrl2).pathname}`, auth: { type: 'bearer', token: APP_TOKEN } },
        },
        {
          id: 'salesforce',
          type: 'salesforce',
          concurrency: CONCURRENCY,
          config: benchSalesforceConfig(salesforceProxy.url, `integration@${DOMAIN}`),
        },
        {
          id: 'google',
          type: 'google',
          concurrency: CONCURRENCY,
          rateLimit: { perSecond, burst: perSecond },
          retry: { maxAttempts: 50, baseDelayMs: 1000, maxDelayMs: 60000 },
          config: {
            domain: DOMAIN,
            serviceAccountEmail: GOOGLE_SA,
            privateKey: { format: 'pem', pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
            adminEmail: `admin@${DOMAIN}`,
            applicationName: 'provisio-bench',
            tokenUrl: `${googleProxy.url}/token`,
            rootUrl: `${googleProxy.url}/`,
          },
        },
      ],
    };
    const manifestPath = join(dir, 'provisio.bench.json');
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2), { mode: 0o600 });
    // `provisio serve` from apps/server/dist, as production runs it.
    const server = await startServer({ role: 'all', manifestPath, cwd: WORKSPACE, startTimeoutMs: 30000 });
    let run: ChangeRun;
    let drained: number;
    let peakRss: number | undefined;
    let rssAtEnd: ReturnType<typeof rssBreakdownMb>;
    try {
      run = await runChanges({
        url: `${server.url}/scim/v2`,
        token: SCIM_TOKEN,
        rate,
        seconds,
        domain: DOMAIN,
        entitlement: salesforce.state.profileId('Standard User'),
      });
      if (run.firstError) console.error(`steady-state: first SCIM error: ${run.firstError}`);
      // Bounded wait until every accepted change reached every target.
      const windowEnd = performance.now();
      const deadline = windowEnd + drainSeconds * 1000;
      while (targets.some((t) => arrivals(run, t.proxy.firstSeen).missing > 0) && performance.now() < deadline) await sleep(200);
      drained = (performance.now() - windowEnd) / 1000;
      peakRss = peakRssOfPidMb(server.pid);
      rssAtEnd = rssBreakdownMb(server.pid);
    } finally {
      const code = await server.stop();
      if (code !== 0) console.error(`provisio serve exited with ${code}:\n${server.output().slice(-3000)}`);
    }
    const accepted = run.changes.filter((c) => c.ok);
    const figures: Figure[] = [
      {
        metric: 'changes sent',
        value: run.changes.length,
        unit: `(${run.changes.filter((c) => c.kind === 'create').length} creates, ${run.changes.filter((c) => c.kind === 'patch').length} PATCHes)`,
      },
      { metric: 'rate achieved', value: run.changes.length / seconds, unit: 'changes/s' },
      { metric: 'SCIM errors / skipped (over 256 in flight)', value: run.changes.length - accepted.length + run.skipped, unit: 'changes' },
      {
        metric: 'SCIM response time p50',
        value: percentile(
          accepted.map((c) => c.responseMs),
          0.5,
        ),
        unit: 'ms',
      },
      {
        metric: 'SCIM response time p99',
        value: percentile(
          accepted.map((c) => c.responseMs),
          0.99,
        ),
        unit: 'ms',
      },
    ];
    const rows: (string | number)[][] = [];
    for (const target of targets) {
      const { latencies, missing } = arrivals(run, target.proxy.firstSeen);
      const names = target.familyNames();
      let current = 0;
      for (const [user, markers] of run.markersOf)
        if (names.get(run.userNames.get(user) ?? '') === `F${markers[markers.length - 1]}`) current += 1;
      rows.push([
        target.id,
        percentile(latencies, 0.5),
        percentile(latencies, 0.99),
        percentile(latencies, 1),
        `${missing} of ${accepted.length}`,
        `${current} of ${run.markersOf.size}`,
        target.proxy.writes() / Math.max(1, accepted.length),
      ]);
      figures.push(
        { metric: `${target.id}: end-to-end p50`, value: percentile(latencies, 0.5), unit: 'ms' },
        { metric: `${target.id}: end-to-end p99`, value: percentile(latencies, 0.99), unit: 'ms' },
        { metric: `${target.id}: end-to-end max`, value: percentile(latencies, 1), unit: 'ms' },
        { metric: `${target.id}: changes not delivered`, value: missing, unit: `of ${accepted.length}` },
        { metric: `${target.id}: users holding their last change`, value: current, unit: `of ${run.markersOf.size}` },
        {
          metric: `${target.id}: remote write requests per change`,
          value: target.proxy.writes() / Math.max(1, accepted.length),
          unit: 'requests',
        },
      );
    }
    figures.push(
      {
        metric: 'google: Directory operations per change',
        value: google.state.callCount / Math.max(1, accepted.length),
        unit: 'operations (each counts against the quota)',
      },
      { metric: 'time after the last change until all delivered', value: drained, unit: 's' },
      {
        metric: 'peak RSS (server process)',
        value: peakRss ?? Number.NaN,
        unit: peakRss === undefined ? 'MB (no /proc on this OS)' : 'MB',
      },
      ...rssFigures('server RSS at the end', rssAtEnd),
    );
    return {
      title: '3. Steady state: SCIM changes to three targets',
      tables: [
        {
          head: [
            'target',
            'end-to-end p50 ms',
            'p99 ms',
            'max ms',
            'changes not delivered',
            'users holding their last change',
            'write requests per change',
          ],
          rows,
        },
        {
          head: ['SCIM side', 'value'],
          rows: [
            [
              'changes sent (creates + PATCHes)',
              `${run.changes.length} (${run.changes.filter((c) => c.kind === 'create').length} + ${run.changes.filter((c) => c.kind === 'patch').length})`,
            ],
            ['rate achieved, changes/s', run.changes.length / seconds],
            ['SCIM errors or skipped', run.changes.length - accepted.length + run.skipped],
            [
              'SCIM response p50 / p99 ms',
              `${formatValue(
                percentile(
                  accepted.map((c) => c.responseMs),
                  0.5,
                ),
              )} / ${formatValue(
                percentile(
                  accepted.map((c) => c.responseMs),
                  0.99,
                ),
              )}`,
            ],
            ['seconds after the last change until all delivered', drained],
            ['peak RSS of the server process, MB', peakRss ?? 'n/a'],
          ],
        },
      ],
      about:
        `\`provisio serve\` (built apps/server/dist, SQLite store) with three connector instances, a SCIM 2.0 app, Salesforce and Google Workspace, each an emulator adding ${latencyMs} ms to every call. ` +
        `A client sends ${rate} SCIM changes/s for ${seconds} s on a fixed schedule (open loop): even ones create a user, odd ones PATCH name.familyName of a random earlier user. ` +
        'Each target sits behind a loopback proxy that notes when a write carrying the change was acknowledged; end-to-end latency is from the SCIM response to that moment ' +
        '(a change merged into a later one of the same user counts as delivered when the later one is). ' +
        `The emulators apply their ${latencyMs} ms before they write, so every latency includes those ${latencyMs} ms of simulated network and service time.`,
      figures,
      notes: [
        `Counts run: ${rate} changes/s for ${seconds} s (BENCH_RATE, BENCH_STEADY_SECONDS); connectors at concurrency ${CONCURRENCY}, batching on (the default).`,
        `Limits applied as in the bulk loads: Google's default Directory quota of ${GOOGLE_QUOTA_PER_MINUTE.toLocaleString('en-US')} queries/min per user as the instance's rate limit (${perSecond}/s, enforced by the emulator too); Salesforce's 24-hour allocation; the SCIM emulator's advertised Bulk maxOperations.`,
        `A change costs one Directory operation (fewer when changes of one user waiting in the queue are merged), so ${rate} changes/s exceed Google's default quota of ${perSecond} operations/s: its queue grows during the run and its latency with it. That is the quota, not the server; a raised quota (and rateLimit) removes it.`,
      ],
    };
  } finally {
    await Promise.all(proxies.map((p) => p.close()));
    await Promise.all([scim.close(), salesforce.close(), google.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Per accepted change: first acknowledged write carrying it or a later change of the same user. */
function arrivals(run: ChangeRun, seen: ReadonlyMap<string, number>): { latencies: number[]; missing: number } {
  const latencies: number[] = [];
  let missing = 0;
  for (const change of run.changes) {
    if (!change.ok) continue;
    const markers = run.markersOf.get(change.user) ?? [];
    let at: number | undefined;
    for (const marker of markers.slice(Math.max(0, markers.indexOf(change.marker)))) {
      const t = seen.get(marker);
      if (t !== undefined && (at === undefined || t < at)) at = t;
    }
    if (at === undefined) missing += 1;
    else latencies.push(at - change.respondedAt);
  }
  return { latencies, missing };
}
