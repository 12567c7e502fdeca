import { startScimEmulator } from '@provisio/emulators';
import type { Figure, ScenarioResult } from './measure.ts';
import { bulkCounts, rssFigures, runPipelineInChild } from './bulk-load.ts';

const TOKEN = 'bench-scim-target-token';
const CONCURRENCY = 8;

/**
 * Bulk initial load into the SCIM emulator through the scim2 connector, with
 * SCIM Bulk at the emulator's advertised maxOperations (the default) and one
 * request per user: users/s and HTTP requests per user.
 */
export async function scimConnectorScenario(): Promise<ScenarioResult> {
  const { users, unbatchedUsers, latencyMs } = bulkCounts();
  const figures: Figure[] = [];
  const rows: (string | number)[][] = [];
  let advertised = 0;
  const modes = [
    { label: 'SCIM Bulk (default)', bulk: true, count: users },
    { label: 'one request per user', bulk: false, count: unbatchedUsers },
  ].filter((m) => m.count > 0);
  for (const mode of modes) {
    // Bulk support and maxOperations as the emulator advertises them by default.
    const emulator = await startScimEmulator({
      auth: { type: 'bearer', token: TOKEN },
      latencyMs,
      ...(mode.bulk ? { bulk: { supported: true } } : {}),
    });
    try {
      if (mode.bulk) advertised = await advertisedMaxOperations(emulator.baseUrl2);
      const run = await runPipelineInChild({
        plugin: '@provisio/connector-scim',
        instance: {
          id: 'scim-app',
          type: 'scim2',
          concurrency: CONCURRENCY,
          batch: { enabled: mode.bulk },
          config: { baseUrl: emulator.baseUrl2, auth: { type: 'bearer', token: TOKEN } },
        },
        users: mode.count,
        domain: 'bench.example',
        timeoutMs: 60 * 60 * 1000,
      });
      if (run.firstError) console.error(`scim-connector (${mode.label}) first failure: ${run.firstError}`);
      // requestCounts() counts every request; the request log itself keeps only the last 10,000.
      const requests = Object.values(emulator.state.requestCounts()).reduce((sum, n) => sum + n, 0);
      const l = mode.label;
      rows.push([
        l,
        mode.count,
        run.succeeded,
        mode.count / run.drainSeconds,
        requests / mode.count,
        mode.bulk ? 1 / advertised : 1,
        run.peakRssMb,
      ]);
      figures.push(
        { metric: `${l}: users`, value: mode.count, unit: '' },
        { metric: `${l}: provisioned`, value: run.succeeded, unit: `users (${run.failed} failed)` },
        { metric: `${l}: throughput`, value: mode.count / run.drainSeconds, unit: 'users/s' },
        {
          metric: `${l}: HTTP requests per user`,
          value: requests / mode.count,
          unit: `requests incl. discovery (floor ${mode.bulk ? 1 / advertised : 1})`,
        },
        { metric: `${l}: peak RSS (pipeline process)`, value: run.peakRssMb, unit: 'MB' },
        ...rssFigures(`${l}: RSS after the drain`, run.rssAfterDrain),
        { metric: `${l}: CPU time, pipeline process`, value: run.cpuSeconds, unit: 's' },
        { metric: `${l}: CPU time, emulator (parent process)`, value: run.emulatorCpuSeconds, unit: 's' },
      );
    } finally {
      await emulator.close();
    }
  }
  return {
    title: '2. Bulk initial load: SCIM 2.0 application',
    tables: [
      { head: ['mode', 'users', 'provisioned', 'users/s', 'HTTP requests per user', 'floor', 'peak RSS MB (pipeline process)'], rows },
    ],
    about:
      `Users accepted into the SQLite store first, then drained by the worker into the SCIM emulator through the scim2 connector; the emulator adds ${latencyMs} ms to every request. ` +
      'Requests are counted by the emulator, including the ServiceProviderConfig discovery. ' +
      `The pipeline (store, worker, connector, concurrency ${CONCURRENCY}) runs in its own process; the emulator in the parent.`,
    figures,
    notes: [
      `Counts run: ${modes.map((m) => `${m.count.toLocaleString('en-US')} users with ${m.label}`).join('; ')}.`,
      `Limits applied: SCIM (RFC 7644) defines no rate limit; the target's own limit is the Bulk maxOperations it advertises in /ServiceProviderConfig${advertised ? `, ${advertised} here` : ''}, which the connector reads. The floor is one Bulk request per ${advertised || 'maxOperations'} users.`,
    ],
  };
}

async function advertisedMaxOperations(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const body = (await response.json()) as { bulk?: { supported?: boolean; maxOperations?: number } };
  if (!body.bulk?.supported || !body.bulk.maxOperations)
    throw new Error(`the SCIM emulator does not advertise Bulk: ${JSON.stringify(body.bulk)}`);
  return body.bulk.maxOperations;
}
