import salesforcePlugin from '@provisio/connector-salesforce';
import { startSalesforceEmulator } from '@provisio/emulators';
import { peakRssMb, printTable, type Figure } from './measure.ts';
import { runPipeline } from './pipeline-harness.ts';

/**
 * 10,000 users into the Salesforce emulator with 50 ms on every call, with and
 * without sObject Collections: users/s and REST API calls per user.
 */
export async function salesforceScenario(users = Number(process.env.BENCH_USERS ?? 10000), latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 50)): Promise<Figure[]> {
  const figures: Figure[] = [{ metric: 'users', value: users, unit: '' }, { metric: 'injected latency per call', value: latencyMs, unit: 'ms' }];
  for (const collections of [false, true]) {
    const emulator = await startSalesforceEmulator({
      latencyMs,
      dailyApiLimit: 1_000_000,
      clients: [{ clientId: 'bench-client', clientSecret: 'bench-secret' }],
      credentials: [{ username: 'admin@bench.example', password: 'bench-password', securityToken: 'tok' }],
    });
    try {
      const profileId = emulator.state.profileId('Standard User');
      const people = Array.from({ length: users }, (_, i) => ({
        userName: `bench${i}@bench.example`,
        name: { givenName: 'Bench', familyName: `User${i}` },
        emails: [{ value: `bench${i}@bench.example`, primary: true }],
        entitlements: [{ value: profileId }],
      }));
      const run = await runPipeline(
        salesforcePlugin,
        {
          id: 'salesforce',
          type: 'salesforce',
          concurrency: 8,
          batch: { enabled: collections },
          config: { apiVersion: 'v59.0', tokenEndpoint: `${emulator.url}/services/oauth2/token`, auth: { flow: 'password', clientId: 'bench-client', clientSecret: 'bench-secret', username: 'admin@bench.example', password: 'bench-password', securityToken: 'tok' } },
        },
        people,
        30 * 60 * 1000,
      );
      const label = collections ? 'with sObject Collections' : 'one call per user';
      figures.push(
        { metric: `${label}: provisioned`, value: run.succeeded, unit: `users (${run.failed} failed)` },
        { metric: `${label}: throughput`, value: users / run.drainSeconds, unit: 'users/s' },
        { metric: `${label}: REST API calls per user`, value: emulator.state.apiCallCount() / users, unit: 'calls' },
        { metric: `${label}: token requests`, value: emulator.state.tokenRequestCount(), unit: '' },
      );
    } finally {
      await emulator.close();
    }
  }
  figures.push({ metric: 'peak RSS', value: peakRssMb(), unit: 'MB' });
  printTable(`salesforce: ${users.toLocaleString('en-US')} users, ${latencyMs} ms per call, concurrency 8`, figures);
  return figures;
}
