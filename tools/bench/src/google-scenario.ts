import { generateKeyPairSync } from 'node:crypto';
import { startGoogleEmulator } from '@provisio/emulators';
import type { Figure, ScenarioResult } from './measure.ts';
import { bulkAbout, bulkFigures, bulkModes, bulkRow, countsRun, runBulkMode } from './bulk-load.ts';

const DOMAIN = 'bench.example';
const ADMIN = `admin@${DOMAIN}`;
const SERVICE_ACCOUNT = 'provisio@bench-project.iam.gserviceaccount.com';
/** Google's default "queries per minute per user per Google Cloud project" of the Directory API. */
const QUOTA_PER_MINUTE = 2400;

/** 39.333… as 39.33. */
const rate = (perSecond: number) => Math.round(perSecond * 100) / 100;

/**
 * Bulk initial load into the Google emulator under the default Directory API
 * quota: users/s, HTTP requests per user and Directory operations per user,
 * with the batch API (the default) and one request per user. Each inner call
 * of a batch counts against the quota, so both are quota-bound.
 */
export async function googleScenario(): Promise<ScenarioResult> {
  const { modes, latencyMs } = bulkModes('batch API (default)', 'one request per user');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // A token bucket can send its burst on top of its rate within one sliding minute: the rate leaves room for
  // the burst, so the instance never goes beyond the quota (no quota spent on 403s and their retries).
  const burst = QUOTA_PER_MINUTE / 60;
  const perSecond = (QUOTA_PER_MINUTE - burst) / 60;
  const figures: Figure[] = [];
  const rows: (string | number)[][] = [];
  for (const mode of modes) {
    const emulator = await startGoogleEmulator({
      domains: [DOMAIN],
      admins: [ADMIN],
      serviceAccounts: [{ clientEmail: SERVICE_ACCOUNT, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
      latencyMs,
      userRateLimitPerMinute: QUOTA_PER_MINUTE,
    });
    try {
      const run = await runBulkMode('google', mode, {
        plugin: '@provisio/connector-google',
        instance: {
          id: 'google',
          type: 'google',
          rateLimit: { perSecond, burst },
          retry: { maxAttempts: 50, baseDelayMs: 1000, maxDelayMs: 60000 },
          config: {
            domain: DOMAIN,
            serviceAccountEmail: SERVICE_ACCOUNT,
            privateKey: { format: 'pem', pem: privateKeyPem },
            adminEmail: ADMIN,
            applicationName: 'provisio-bench',
            tokenUrl: emulator.tokenUrl,
            rootUrl: `${emulator.url}/`,
          },
        },
        domain: DOMAIN,
        timeoutMs: 3 * 60 * 60 * 1000,
      });
      // The emulator keeps the last 10,000 calls: scale the unbatched share of that window to all calls.
      const calls = emulator.state.calls();
      const unbatched = calls.length === 0 ? 0 : (calls.filter((c) => !c.batched).length / calls.length) * emulator.state.callCount;
      const rejected = calls.filter((c) => c.status === 403 || c.status === 429).length;
      const l = mode.label;
      const requestsPerUser = (emulator.state.batchCount + unbatched) / mode.count;
      const operationsPerUser = emulator.state.callCount / mode.count;
      rows.push(bulkRow(mode, run, [requestsPerUser, operationsPerUser]));
      figures.push(
        ...bulkFigures(mode, run, `users/s (quota: ${burst} operations/s)`, [
          { metric: `${l}: HTTP requests per user`, value: requestsPerUser, unit: 'requests' },
          { metric: `${l}: Directory operations per user`, value: operationsPerUser, unit: 'operations (each counts against the quota)' },
          { metric: `${l}: quota rejections (last 10,000 calls)`, value: rejected, unit: '' },
          { metric: `${l}: token requests`, value: emulator.state.tokenRequestCount, unit: '' },
        ]),
      );
    } finally {
      await emulator.close();
    }
  }
  return {
    title: '2. Bulk initial load: Google Workspace',
    tables: [
      {
        head: [
          'mode',
          'users',
          'provisioned',
          'users/s',
          'HTTP requests per user',
          'Directory operations per user',
          'peak RSS MB (pipeline process)',
        ],
        rows,
      },
    ],
    about: bulkAbout(
      `the Google Workspace emulator, which adds ${latencyMs} ms to every call and enforces ${QUOTA_PER_MINUTE.toLocaleString('en-US')} queries per minute per user.`,
      `The connector instance carries the quota as its rate limit (every operation of a batch counted): a burst of ${burst} and ${rate(perSecond)}/s, so that burst and rate together stay within ${QUOTA_PER_MINUTE.toLocaleString('en-US')} per sliding minute. Throughput is quota-bound by design: ${rate(perSecond)} users/s is the ceiling.`,
    ),
    figures,
    notes: [
      `${countsRun(modes)} At ${rate(perSecond)} users/s, 100,000 users take about 42 minutes: that is the true figure under the default quota.`,
      `Documented limit applied: Directory API, ${QUOTA_PER_MINUTE.toLocaleString('en-US')} queries per minute per user per Google Cloud project by default (403 userRateLimitExceeded beyond); a batch request holds up to 1,000 calls, each counted. Sources: Google, "Directory API: Limits and Quotas" (developers.google.com/admin-sdk/directory/v1/limits) and "Sending Batch Requests" (developers.google.com/admin-sdk/directory/v1/guides/batch).`,
      `The floor of HTTP requests is one per batch; with batches capped by the rate limit's burst (${burst} operations) it is ${1 / burst} requests per user. Directory operations cannot go below 1 per user.`,
      `A token bucket of ${burst}/s with a burst of ${burst} could send ${burst} operations more than Google's sliding one-minute window allows (the emulator then answers 403 userRateLimitExceeded and the job is retried later, counted under quota rejections); hence the rate of (${QUOTA_PER_MINUTE.toLocaleString('en-US')} − ${burst}) / 60 per second.`,
    ],
  };
}
