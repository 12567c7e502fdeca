import { generateKeyPairSync } from 'node:crypto';
import googlePlugin from '@provisio/connector-google';
import { startGoogleEmulator } from '@provisio/emulators';
import { peakRssMb, printTable, type Figure } from './measure.ts';
import { runPipeline } from './pipeline-harness.ts';

const DOMAIN = 'bench.example';
const ADMIN = `admin@${DOMAIN}`;
const SERVICE_ACCOUNT = 'provisio@bench-project.iam.gserviceaccount.com';

/**
 * Users into the Google emulator with 50 ms per call under Google's default
 * per-admin quota (2,400 queries/min), with and without the Directory batch
 * API: users/s, HTTP requests per user and Directory operations per user
 * (each inner call of a batch still counts against the quota).
 */
export async function googleScenario(users = Number(process.env.BENCH_USERS ?? 10000), latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 50)): Promise<Figure[]> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const figures: Figure[] = [
    { metric: 'users', value: users, unit: '' },
    { metric: 'injected latency per call', value: latencyMs, unit: 'ms' },
    { metric: 'quota per admin', value: 2400, unit: 'queries/min' },
  ];
  for (const batch of [false, true]) {
    const emulator = await startGoogleEmulator({ domains: [DOMAIN], admins: [ADMIN], serviceAccounts: [{ clientEmail: SERVICE_ACCOUNT, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }], latencyMs });
    try {
      const people = Array.from({ length: users }, (_, i) => ({
        userName: `bench${i}@${DOMAIN}`,
        name: { givenName: 'Bench', familyName: `User${i}` },
        emails: [{ value: `bench${i}@${DOMAIN}`, primary: true }],
      }));
      const run = await runPipeline(
        googlePlugin,
        {
          id: 'google',
          type: 'google',
          concurrency: 8,
          batch: { enabled: batch, maxOperations: 100 },
          // Google's default quota, 2,400 queries/min per admin, as the instance's own limit: no quota wasted on 403s.
          rateLimit: { perSecond: 40, burst: 40 },
          retry: { maxAttempts: 50, baseDelayMs: 1000, maxDelayMs: 60000 },
          config: { domain: DOMAIN, serviceAccountEmail: SERVICE_ACCOUNT, privateKey: { format: 'pem', pem: privateKeyPem }, adminEmail: ADMIN, applicationName: 'provisio-bench', tokenUrl: emulator.tokenUrl, rootUrl: `${emulator.url}/` },
        },
        people,
        60 * 60 * 1000,
      );
      // The emulator keeps the last 10,000 calls: scale the unbatched share of that window to all calls.
      const calls = emulator.state.calls();
      const unbatched = calls.length === 0 ? 0 : (calls.filter((c) => !c.batched).length / calls.length) * emulator.state.callCount;
      const httpRequests = emulator.state.batchCount + unbatched;
      const label = batch ? 'with batch (100 per request)' : 'one request per user';
      figures.push(
        { metric: `${label}: provisioned`, value: run.succeeded, unit: `users (${run.failed} failed)` },
        { metric: `${label}: throughput`, value: users / run.drainSeconds, unit: 'users/s' },
        { metric: `${label}: HTTP requests per user`, value: httpRequests / users, unit: 'requests' },
        { metric: `${label}: Directory operations per user`, value: emulator.state.callCount / users, unit: 'operations (each counts against the quota)' },
        { metric: `${label}: token requests`, value: emulator.state.tokenRequestCount, unit: '' },
      );
    } finally {
      await emulator.close();
    }
  }
  figures.push({ metric: 'peak RSS', value: peakRssMb(), unit: 'MB' });
  printTable(`google: ${users.toLocaleString('en-US')} users, ${latencyMs} ms per call, default quota, concurrency 8`, figures);
  return figures;
}
