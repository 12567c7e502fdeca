import scimPlugin from '@provisio/connector-scim';
import { startScimEmulator } from '@provisio/emulators';
import { peakRssMb, printTable, type Figure } from './measure.ts';
import { runPipeline } from './pipeline-harness.ts';

const TOKEN = 'bench-scim-target-token';

/**
 * 10,000 users into the SCIM emulator with 20 ms on every request, through the
 * scim2 connector, with and without SCIM Bulk: users/s and HTTP requests per user.
 */
export async function scimConnectorScenario(users = Number(process.env.BENCH_USERS ?? 10000), latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20)): Promise<Figure[]> {
  const figures: Figure[] = [{ metric: 'users', value: users, unit: '' }, { metric: 'injected latency per request', value: latencyMs, unit: 'ms' }];
  for (const bulk of [false, true]) {
    const emulator = await startScimEmulator({ auth: { type: 'bearer', token: TOKEN }, latencyMs, bulk: { supported: bulk, maxOperations: 100, maxPayloadSize: 1048576 } });
    try {
      const people = Array.from({ length: users }, (_, i) => ({
        userName: `bench${i}@bench.example`,
        name: { givenName: 'Bench', familyName: `User${i}` },
        emails: [{ value: `bench${i}@bench.example`, primary: true }],
      }));
      const run = await runPipeline(
        scimPlugin,
        { id: 'scim-app', type: 'scim2', concurrency: 8, batch: { enabled: bulk }, config: { baseUrl: emulator.baseUrl2, auth: { type: 'bearer', token: TOKEN } } },
        people,
        30 * 60 * 1000,
      );
      const requests = emulator.state.countRequests();
      const label = bulk ? 'with Bulk (100 per request)' : 'one request per user';
      figures.push(
        { metric: `${label}: provisioned`, value: run.succeeded, unit: `users (${run.failed} failed)` },
        { metric: `${label}: throughput`, value: users / run.drainSeconds, unit: 'users/s' },
        { metric: `${label}: HTTP requests per user`, value: requests / users, unit: 'requests (incl. discovery)' },
      );
    } finally {
      await emulator.close();
    }
  }
  figures.push({ metric: 'peak RSS', value: peakRssMb(), unit: 'MB' });
  printTable(`scim-connector: ${users.toLocaleString('en-US')} users into the SCIM emulator, ${latencyMs} ms per request, concurrency 8`, figures);
  return figures;
}
