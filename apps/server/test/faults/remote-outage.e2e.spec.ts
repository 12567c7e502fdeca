import { settleJobs } from '../in-process-server.js';
import { manifestHead } from '../test-manifest.js';
import { DOMAIN, startServerOnTargets, type ServerOnTargets } from './emulated-targets.js';
import { deliveryReport, EXACTLY_ONCE, scim, userBody } from './fault-kit.js';

const SCIM_TOKEN = 'outage-inbound-token-3f9a2c41';
const OUTAGE_MS = 30_000;
const USERS = 30;

/**
 * All three targets answer 503 for 30 s while users arrive. The pipeline keeps
 * the jobs, retries them with backoff (not in a tight loop, not giving up), and
 * once the targets heal every accepted user reaches every target exactly once.
 */
describe('targets down for 30 s', () => {
  let run: ServerOnTargets;

  beforeAll(async () => {
    run = await startServerOnTargets(
      {},
      (t) => `${manifestHead({ scimToken: SCIM_TOKEN })}connectors:
${t.connectorsYaml('    concurrency: 2\n    retry: { maxAttempts: 30, baseDelayMs: 500, maxDelayMs: 4000 }')}`,
      'provisio-outage-',
    );
  });

  afterAll(() => run?.stop());

  it('retries with backoff through the outage and delivers everything exactly once when the targets heal', async () => {
    const started = Date.now();
    run.targets.scim.faults.failFor(OUTAGE_MS);
    run.targets.salesforce.faults.failFor(OUTAGE_MS);
    run.targets.google.faults.failFor(OUTAGE_MS);
    const accepted: string[] = [];
    for (let i = 0; i < USERS; i += 1) {
      const userName = `outage${i}@${DOMAIN}`;
      expect((await scim(run.server.url, SCIM_TOKEN, 'POST', '/Users', userBody(userName))).status).toBe(201);
      accepted.push(userName);
    }

    // Throughout the outage: nothing delivered, nothing given up on.
    const store = run.server.runtime.options.store;
    while (Date.now() < started + OUTAGE_MS - 1000) {
      expect((await store.jobCounts()).failed).toBe(0);
      expect(run.targets.holdings()).toEqual({ scim: [], salesforce: [], google: [] });
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const duringOutage = await store.listJobs({});
    // Retried, but with backoff: a tight loop would have made hundreds of attempts per job (and given up after 30).
    const attempts = duringOutage.map((j) => j.attempts);
    expect(Math.min(...attempts)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...attempts)).toBeLessThanOrEqual(20);
    const scim503 = run.targets.scim.state.requests().filter((r) => r.status === 503).length;
    expect(scim503).toBeLessThanOrEqual(USERS * 20);

    await settleJobs(run.server, { timeoutMs: 20000, failOnFailed: true });
    const held = run.targets.holdings();
    expect(deliveryReport(accepted, held.scim)).toEqual(EXACTLY_ONCE);
    expect(deliveryReport(accepted, held.salesforce)).toEqual(EXACTLY_ONCE);
    expect(deliveryReport(accepted, held.google)).toEqual(EXACTLY_ONCE);
    // One successful SCIM create per user: retries never made a second account.
    expect(run.targets.scim.state.requests().filter((r) => r.method === 'POST' && r.status === 201)).toHaveLength(USERS);
    const counts = await store.jobCounts();
    expect(counts).toMatchObject({ pending: 0, running: 0, failed: 0, succeeded: USERS * 3 });
  }, 70000);
});
