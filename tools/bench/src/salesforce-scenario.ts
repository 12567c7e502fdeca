import type { Figure, ScenarioResult } from './measure.ts';
import { benchSalesforceConfig, startBenchSalesforce } from './salesforce-bench-org.ts';
import { bulkAbout, bulkFigures, bulkModes, bulkRow, countsRun, runBulkMode } from './bulk-load.ts';

/** Salesforce sObject Collections take at most 200 records per call (the connector's COLLECTION_LIMIT). */
const COLLECTION_SIZE = 200;
/** "Total API Request Allocations", Enterprise Edition: 100,000 + 1,000 per Salesforce licence per 24 hours. */
const dailyAllocation = (licences: number) => 100_000 + 1_000 * licences;

/**
 * Bulk initial load into the Salesforce emulator: users/s and REST API calls
 * per user, with sObject Collections (the default) and one call per user.
 */
export async function salesforceScenario(): Promise<ScenarioResult> {
  const { modes, latencyMs } = bulkModes('sObject Collections (default)', 'one call per user');
  const figures: Figure[] = [];
  const rows: (string | number)[][] = [];
  for (const mode of modes) {
    // Every provisioned user holds a licence; the integration user one more.
    const allocation = dailyAllocation(mode.count + 1);
    const emulator = await startBenchSalesforce({ latencyMs, dailyApiLimit: allocation });
    try {
      const run = await runBulkMode('salesforce', mode, {
        plugin: '@provisio/connector-salesforce',
        instance: {
          id: 'salesforce',
          type: 'salesforce',
          config: benchSalesforceConfig(emulator.url),
        },
        domain: 'bench.example',
        entitlement: emulator.state.profileId('Standard User'),
        timeoutMs: 60 * 60 * 1000,
      });
      const calls = emulator.state.apiCallCount();
      const l = mode.label;
      const floor = mode.batched ? 1 / COLLECTION_SIZE : 1;
      rows.push(bulkRow(mode, run, [calls / mode.count, floor]));
      figures.push(
        ...bulkFigures(mode, run, 'users/s', [
          { metric: `${l}: REST API calls per user`, value: calls / mode.count, unit: `calls (floor ${floor})` },
          {
            metric: `${l}: share of the 24-hour API allocation`,
            value: (calls / allocation) * 100,
            unit: `% of ${allocation.toLocaleString('en-US')}`,
          },
          { metric: `${l}: token requests`, value: emulator.state.tokenRequestCount(), unit: '' },
        ]),
      );
    } finally {
      await emulator.close();
    }
  }
  return {
    title: '2. Bulk initial load: Salesforce',
    tables: [{ head: ['mode', 'users', 'provisioned', 'users/s', 'REST calls per user', 'floor', 'peak RSS MB (pipeline process)'], rows }],
    about: bulkAbout(
      `the Salesforce emulator, which adds ${latencyMs} ms to every call.`,
      'Throughput is users/s of the drain; REST API calls are counted by the emulator (token requests apart).',
    ),
    figures,
    notes: [
      countsRun(modes),
      'Documented limits applied: Salesforce has no per-second rate limit. Its "Total API Request Allocations" are per 24 hours (Enterprise Edition: 100,000 + 1,000 per licence); the emulator enforces 100,000 + 1,000 × (users + 1), a licence for each provisioned user and the integration user. Concurrent requests are only limited when they run 20 s or longer (25 in production orgs), which 50 ms calls never do.',
      `The floor is one call per sObject Collections request of up to ${COLLECTION_SIZE} records (the whole request counts as one call against the allocation): ${1 / COLLECTION_SIZE} calls per user.`,
      'Source: Salesforce, "API Request Limits and Allocations" (developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet).',
    ],
  };
}
