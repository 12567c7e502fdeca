import { startScimEmulator, type ScimEmulator } from '@provisio/emulators';
import { settleJobs } from '../in-process-server.js';
import { manifestHead } from '../test-manifest.js';
import { DOMAIN, startServerOnTargets, type ServerOnTargets } from './emulated-targets.js';
import { deliveryReport, EXACTLY_ONCE, scim, userBody, waitFor } from './fault-kit.js';

const SCIM_TOKEN = 'revoked-inbound-token-4b7e19';
const USERS = 80;

/**
 * Salesforce, Google and an OAuth-protected SCIM service revoke every access
 * token while users are being provisioned (four calls in flight each). Each connector fetches ONE new token,
 * shared by every call that saw the old one, and carries on: no job fails, no
 * token per request, every user arrives exactly once.
 */
describe('access token revoked mid-run', () => {
  let run: ServerOnTargets;
  let oauthScim: ScimEmulator;
  const oauthTokenRequests = () => oauthScim.state.tokenRequestCount();
  const oauthHoldings = () => oauthScim.state.users().map((u) => String(u['userName']).toLowerCase());

  beforeAll(async () => {
    oauthScim = await startScimEmulator({
      auth: { type: 'oauth2', clientId: 'provisio', clientSecret: 'oauth-scim-secret-4d1e' },
      latencyMs: 30,
    });
    run = await startServerOnTargets(
      { latencyMs: 30 },
      (t) => `${manifestHead({ scimToken: SCIM_TOKEN })}connectors:
${t.connectorsYaml('    concurrency: 4\n    batch: { enabled: false }')}
  - id: scim-oauth
    type: scim2
    concurrency: 4
    config: { baseUrl: "${oauthScim.baseUrl2}", auth: { type: oauth2, tokenUrl: "${oauthScim.tokenUrl}", clientId: provisio, clientSecret: oauth-scim-secret-4d1e } }
`,
      'provisio-revoked-',
    );
  });

  afterAll(async () => {
    await run?.stop();
    await oauthScim?.close();
  });

  it('fetches one new token per connector and fails nothing', async () => {
    const accepted: string[] = [];
    const posts: Promise<void>[] = [];
    for (let i = 0; i < USERS; i += 1) {
      const userName = `revoked${i}@${DOMAIN}`;
      posts.push(
        scim(run.server.url, SCIM_TOKEN, 'POST', '/Users', userBody(userName)).then((answer) => {
          expect(answer.status).toBe(201);
          accepted.push(userName);
        }),
      );
    }
    await Promise.all(posts);
    // Mid-run: both targets hold some users, not all.
    await waitFor('both targets part-way', () => {
      const held = run.targets.holdings();
      return held.salesforce.length >= 5 && held.google.length >= 5 && oauthHoldings().length >= 5;
    });
    const before = run.targets.holdings();
    expect(before.salesforce.length).toBeLessThan(USERS);
    expect(before.google.length).toBeLessThan(USERS);
    expect(run.targets.salesforce.state.tokenRequestCount()).toBe(1);
    expect(run.targets.google.state.tokenRequestCount).toBe(1);
    expect(oauthHoldings().length).toBeLessThan(USERS);
    expect(oauthTokenRequests()).toBe(1);
    run.targets.salesforce.faults.expireTokens();
    run.targets.google.faults.expireTokens();
    oauthScim.faults.expireTokens();

    await settleJobs(run.server, { timeoutMs: 30000, failOnFailed: true });
    const held = run.targets.holdings();
    expect(deliveryReport(accepted, held.salesforce)).toEqual(EXACTLY_ONCE);
    expect(deliveryReport(accepted, held.google)).toEqual(EXACTLY_ONCE);
    expect(deliveryReport(accepted, held.scim)).toEqual(EXACTLY_ONCE);
    // One token at start, one after the revocation: not one per call, not one per job in flight.
    expect(run.targets.salesforce.state.tokenRequestCount()).toBe(2);
    expect(run.targets.google.state.tokenRequestCount).toBe(2);
    expect(deliveryReport(accepted, oauthHoldings())).toEqual(EXACTLY_ONCE);
    expect(oauthTokenRequests()).toBe(2);
    const store = run.server.runtime.options.store;
    expect(await store.jobCounts()).toMatchObject({ failed: 0, pending: 0, running: 0 });
  }, 60000);
});
