import { settleJobs } from '../in-process-server.js';
import { manifestHead } from '../test-manifest.js';
import { DOMAIN, startServerOnTargets, type ServerOnTargets } from './emulated-targets.js';
import { deliveryReport, EXACTLY_ONCE, scim, userBody } from './fault-kit.js';

const SCIM_TOKEN = 'ratelimit-inbound-token-8e21d0';
const RETRY_AFTER_SEC = 2;
const USERS = 8;

interface Request {
  at: number;
  status: number;
}

/**
 * Requests answered after a 429 but before its Retry-After had elapsed. With one call
 * in flight per target, nothing was on its way when the 429 went out, so any such
 * request was started too early. (20 ms: the clocks of the log and the timer differ a little.)
 */
function requestsTooEarly(requests: Request[]): Request[] {
  return requests
    .filter((r) => r.status === 429)
    .flatMap((refusal) => requests.filter((r) => r.at > refusal.at && r.at < refusal.at + RETRY_AFTER_SEC * 1000 - 20));
}

/**
 * The SCIM service and Google answer 429 with Retry-After. Provisio waits that
 * long before its next request to that target (any job, not only the refused
 * one), then delivers everything exactly once; nothing fails.
 */
describe('429 Too Many Requests with Retry-After', () => {
  let run: ServerOnTargets;

  beforeAll(async () => {
    run = await startServerOnTargets(
      { latencyMs: 5 },
      (t) => `${manifestHead({ scimToken: SCIM_TOKEN })}connectors:
${t.connectorsYaml('    concurrency: 1\n    batch: { enabled: false }\n    retry: { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000 }')}`,
      'provisio-429-',
    );
  });

  afterAll(() => run?.stop());

  it('sends nothing to a target before its Retry-After has elapsed, then delivers every user once', async () => {
    run.targets.scim.faults.rateLimitNext(1, RETRY_AFTER_SEC);
    run.targets.google.faults.rateLimitNext(1, RETRY_AFTER_SEC);
    const accepted: string[] = [];
    for (let i = 0; i < USERS; i += 1) {
      const userName = `limited${i}@${DOMAIN}`;
      expect((await scim(run.server.url, SCIM_TOKEN, 'POST', '/Users', userBody(userName))).status).toBe(201);
      accepted.push(userName);
    }
    await settleJobs(run.server, { timeoutMs: 20000, failOnFailed: true });

    const scimRequests = run.targets.scim.state
      .requests()
      .filter((r) => r.path.startsWith('/scim/v2/Users'))
      .map((r) => ({ at: Date.parse(r.at), status: r.status }));
    const googleRequests = run.targets.google.state
      .calls()
      .filter((c) => c.path.includes('/users'))
      .map((c) => ({ at: Date.parse(c.at), status: c.status }));
    expect(scimRequests.filter((r) => r.status === 429)).toHaveLength(1);
    expect(googleRequests.filter((r) => r.status === 429)).toHaveLength(1);
    expect(requestsTooEarly(scimRequests)).toEqual([]);
    expect(requestsTooEarly(googleRequests)).toEqual([]);

    const held = run.targets.holdings();
    expect(deliveryReport(accepted, held.scim)).toEqual(EXACTLY_ONCE);
    expect(deliveryReport(accepted, held.salesforce)).toEqual(EXACTLY_ONCE);
    expect(deliveryReport(accepted, held.google)).toEqual(EXACTLY_ONCE);
  }, 40000);
});
