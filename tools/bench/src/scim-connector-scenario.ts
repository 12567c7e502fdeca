import { startScimEmulator } from '@provisio/emulators';
import type { Figure, ScenarioResult } from './measure.ts';
import { bulkAbout, bulkFigures, bulkModes, bulkRow, countsRun, runBulkMode } from './bulk-load.ts';

const TOKEN = 'bench-scim-target-token';

/**
 * Bulk initial load into the SCIM emulator through the scim2 connector, with
 * SCIM Bulk at the emulator's advertised maxOperations (the default) and one
 * request per user: users/s and HTTP requests per user.
 */
export async function scimConnectorScenario(): Promise<ScenarioResult> {
  const { modes, latencyMs } = bulkModes('SCIM Bulk (default)', 'one request per user');
  const figures: Figure[] = [];
  const rows: (string | number)[][] = [];
  let advertised = 0;
  for (const mode of modes) {
    // Bulk support and maxOperations as the emulator advertises them by default.
    const emulator = await startScimEmulator({
      auth: { type: 'bearer', token: TOKEN },
      latencyMs,
      ...(mode.batched ? { bulk: { supported: true } } : {}),
    });
    try {
      if (mode.batched) advertised = await advertisedMaxOperations(emulator.baseUrl2);
      const run = await runBulkMode('scim-connector', mode, {
        plugin: '@provisio/connector-scim',
        instance: {
          id: 'scim-app',
          type: 'scim2',
          config: { baseUrl: emulator.baseUrl2, auth: { type: 'bearer', token: TOKEN } },
        },
        domain: 'bench.example',
        timeoutMs: 60 * 60 * 1000,
      });
      // requestCounts() counts every request; the request log itself keeps only the last 10,000.
      const requests = Object.values(emulator.state.requestCounts()).reduce((sum, n) => sum + n, 0);
      const floor = mode.batched ? 1 / advertised : 1;
      rows.push(bulkRow(mode, run, [requests / mode.count, floor]));
      figures.push(
        ...bulkFigures(mode, run, 'users/s', [
          {
            metric: `${mode.label}: HTTP requests per user`,
            value: requests / mode.count,
            unit: `requests incl. discovery (floor ${floor})`,
          },
        ]),
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
    about: bulkAbout(
      `the SCIM emulator through the scim2 connector; the emulator adds ${latencyMs} ms to every request.`,
      'Requests are counted by the emulator, including the ServiceProviderConfig discovery.',
    ),
    figures,
    notes: [
      countsRun(modes),
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
