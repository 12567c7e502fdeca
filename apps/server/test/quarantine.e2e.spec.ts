import type { ConnectorList, JobList } from '@provisio/admin-contract';
import { settleJobs } from './in-process-server.js';
import { manifestHead } from './test-manifest.js';
import { DOMAIN, startServerOnTargets, type ServerOnTargets } from './faults/emulated-targets.js';
import { adminOk, deliveryReport, EXACTLY_ONCE, scim, userBody, waitFor } from './faults/fault-kit.js';
import { startWebhookReceiver } from './notifications/webhook-receiver.js';

const SCIM_TOKEN = 'quarantine-inbound-token-61d0a2';
const ADMIN_TOKEN = 'quarantine-admin-token-9c13e7';
const HOOK_SECRET = 'quarantine-hook-secret-2f8b4d';
const USERS = 200;
// Short, so the successes before the revocation leave it soon whatever the machine's speed.
const WINDOW_MS = 20_000;
const PROBE_FIRST_MS = 2_000;
const PROBE_MAX_MS = 4_000;
/** What one probe (the Google connector's check()) may cost the target: a token request, customers.get, users.list. */
const CALLS_PER_PROBE = 3;

/**
 * The Google emulator revokes the service account's key while users are being
 * provisioned. The instance enters quarantine within the window, the emulator sees
 * only the probes while it lasts, the key comes back, the next probe ends the
 * quarantine, and every user accepted reaches Google exactly once; nothing failed.
 */
describe('quarantine of a target whose credentials are refused', () => {
  let run: ServerOnTargets;
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const google = () => run.targets.google;
  const callsSoFar = () => google().state.callCount + google().state.tokenRequestCount;
  const admin = <T>(method: string, path: string) => adminOk<T>(run.server.url, ADMIN_TOKEN, method, path, 60_000);
  const googleQuarantine = async () =>
    (await admin<ConnectorList>('GET', '/connectors')).connectors.find((c) => c.id === 'google')?.quarantine;

  // Each case on fresh targets and a fresh server: the first one's successes would fill the second's window.
  const start = async (probe: { firstMs: number; maxMs: number }) => {
    hooks = await startWebhookReceiver(HOOK_SECRET);
    run = await startServerOnTargets(
      { latencyMs: 40 },
      (t) => `${manifestHead({ scimToken: SCIM_TOKEN, adminToken: ADMIN_TOKEN })}notifications:
  webhooks: [{ url: "${hooks.url}", secret: "${HOOK_SECRET}", events: [quarantine.entered, quarantine.left, job.failed] }]
  batchInterval: 1s
connectors:
${t.connectorsYaml(`    concurrency: 4
    batch: { enabled: false }
    retry: { maxAttempts: 60, baseDelayMs: 100, maxDelayMs: 500 }
    quarantine: { failureRate: 0.9, minCalls: 20, window: ${WINDOW_MS / 1000}s, probe: { first: ${probe.firstMs / 1000}s, max: ${probe.maxMs / 1000}s } }`)}`,
      'provisio-quarantine-',
    );
  };

  afterEach(async () => {
    await run?.stop();
    await hooks?.close();
  });

  it('holds the jobs, probes on schedule, and delivers every waiting job exactly once after the key comes back', async () => {
    await start({ firstMs: PROBE_FIRST_MS, maxMs: PROBE_MAX_MS });
    const accepted: string[] = [];
    const post = async (from: number, to: number) => {
      for (let i = from; i < to; i += 10) {
        const names = Array.from({ length: Math.min(10, to - i) }, (_, k) => `quarantined${i + k}@${DOMAIN}`);
        const answers = await Promise.all(names.map((n) => scim(run.server.url, SCIM_TOKEN, 'POST', '/Users', userBody(n), 60_000)));
        for (const answer of answers) expect(answer.status).toBe(201);
        accepted.push(...names);
      }
    };
    await post(0, 60);
    await waitFor('Google part-way', () => run.targets.holdings().google.length >= 5, 60_000);
    // Mid-load: the key goes while jobs are queued and more users keep coming.
    const revokedAt = Date.now();
    google().faults.revokeServiceAccountKeys();
    await post(60, USERS);
    const entered = await waitFor('quarantine', googleQuarantine, WINDOW_MS + 15_000, 50);
    expect(Date.parse(entered.since) - revokedAt).toBeLessThanOrEqual(WINDOW_MS);
    expect(entered.reason).toMatch(/^authentication refused: \d+ of \d+ calls in 20 s failed; last: .*invalid_grant/);
    expect(entered.probeCount).toBe(0);
    expect(Date.parse(entered.nextProbeAt) - Date.parse(entered.since)).toBe(PROBE_FIRST_MS);

    // Calls already on their way when it began land; from then on only probes reach Google.
    await waitFor('in-flight calls landed', async () => (await run.server.runtime.options.store.jobCounts('google')).running === 0, 5000);
    const heldGoogle = run.targets.holdings().google.length;
    const waiting = (await admin<JobList>('GET', '/jobs?connector=google&status=pending&limit=500')).jobs;
    expect(waiting.length).toBe(USERS - heldGoogle);
    const callsAtStart = callsSoFar();
    const quarantineStart = Date.now();

    await new Promise((resolve) => setTimeout(resolve, 7_000));
    const during = await googleQuarantine();
    expect(during).toBeDefined();
    // Probes at since + 2 s, then 4 s apart (doubling, capped at 4 s): two or three in these 7 s.
    const elapsed = Date.now() - Date.parse(entered.since);
    const scheduled = 1 + Math.floor(Math.max(0, elapsed - PROBE_FIRST_MS) / PROBE_MAX_MS);
    expect(during!.probeCount).toBeGreaterThanOrEqual(scheduled - 1);
    expect(during!.probeCount).toBeLessThanOrEqual(scheduled);
    expect(during!.lastProbeError).toContain('invalid_grant');
    const callsDuring = callsSoFar() - callsAtStart;
    expect(callsDuring).toBeGreaterThan(0);
    expect(callsDuring).toBeLessThanOrEqual((during!.probeCount + 1) * CALLS_PER_PROBE);
    expect(run.targets.holdings().google.length).toBe(heldGoogle);
    // Nothing was attempted meanwhile: the waiting jobs are pending with the attempts they had.
    const still = new Map((await admin<JobList>('GET', '/jobs?connector=google&status=pending&limit=500')).jobs.map((j) => [j.id, j]));
    for (const job of waiting) expect(still.get(job.id)?.attempts).toBe(job.attempts);
    expect(Date.now() - quarantineStart).toBeGreaterThanOrEqual(7_000);

    google().faults.restoreServiceAccountKeys();
    await waitFor('quarantine over', async () => (await googleQuarantine()) === undefined, PROBE_MAX_MS + 5_000, 100);
    await settleJobs(run.server, { timeoutMs: 60_000, failOnFailed: true });
    const held = run.targets.holdings();
    expect(deliveryReport(accepted, held.google)).toEqual(EXACTLY_ONCE);
    expect(deliveryReport(accepted, held.salesforce)).toEqual(EXACTLY_ONCE);
    expect(deliveryReport(accepted, held.scim)).toEqual(EXACTLY_ONCE);

    await waitFor('webhooks', () => hooks.received.some((h) => h.kind === 'quarantine.left'), 10_000);
    const kinds = hooks.received.map((h) => h.kind);
    expect(kinds.filter((k) => k === 'quarantine.entered')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'quarantine.left')).toHaveLength(1);
    for (const hook of hooks.received) expect(hook.signatureValid).toBe(true);
    const left = hooks.received.find((h) => h.kind === 'quarantine.left')!;
    expect(left.body).toMatchObject({ kind: 'quarantine.left', connectorId: 'google', details: { by: 'probe' } });
    expect(JSON.stringify(hooks.received)).not.toContain(HOOK_SECRET);
  }, 120_000);

  it('is released by hand through the admin API, audited', async () => {
    // Probes far apart: the release, not a probe, ends this one.
    await start({ firstMs: 600_000, maxMs: 600_000 });
    google().faults.revokeServiceAccountKeys();
    const posts: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i += 1)
      posts.push(scim(run.server.url, SCIM_TOKEN, 'POST', '/Users', userBody(`byhand${i}@${DOMAIN}`), 60_000));
    await Promise.all(posts);
    await waitFor('quarantine', googleQuarantine, 15_000, 50);
    google().faults.restoreServiceAccountKeys();
    const released = await admin<{ connector: string; released: boolean }>('POST', '/connectors/google/quarantine/release');
    expect(released).toMatchObject({ connector: 'google', released: true });
    expect(await googleQuarantine()).toBeUndefined();
    expect((await admin<{ connector: string; released: boolean }>('POST', '/connectors/google/quarantine/release')).released).toBe(false);
    await settleJobs(run.server, { timeoutMs: 60_000, failOnFailed: true });
    const audit = await admin<{ entries: { action: string; actor: string; entityId: string }[] }>('GET', '/audit?limit=20');
    expect(audit.entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'quarantine-release', actor: 'admin:ops', entityId: 'google' })]),
    );
    await waitFor(
      'left by operator',
      () => hooks.received.some((h) => h.kind === 'quarantine.left' && h.body.details['by'] === 'operator'),
      10_000,
    );
  }, 60_000);
});
