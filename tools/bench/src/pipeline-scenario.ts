import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, systemClock } from '@provisio/core';
import { ConnectorInstances, PasswordSealer, ProvisioningRuntime, validateManifest, type ConnectorTypeLookup } from '@provisio/core/engine';
import memoryPlugin from '@provisio/connector-memory';
import { SqliteStore } from '@provisio/store-sqlite';
import { peakRssMb, timed, type Figure, type ScenarioResult } from './measure.ts';
import { pollDelayMs } from './pipeline-harness.ts';

/**
 * Store + worker throughput with the in-memory target: N users created through
 * the identity service (each one a durable commit with its job), then drained
 * by the worker. Measures the pipeline, not a remote service.
 */
export async function pipelineScenario(users = Number(process.env['BENCH_USERS'] ?? 10000)): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-bench-'));
  const types: ConnectorTypeLookup = {
    get: (type) => memoryPlugin.connectors.find((c) => c.type === type),
    list: () => memoryPlugin.connectors.map((c) => ({ type: c.type, displayName: c.displayName, plugin: memoryPlugin.name })),
  };
  const validation = validateManifest(
    {
      connectors: [
        {
          id: 'memory',
          type: 'memory',
          concurrency: 32,
          mapping: { userName: 'userName', email: 'emails[primary eq true].value', lastName: 'name.familyName' },
        },
      ],
    },
    types,
  );
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  const store = SqliteStore.open({ path: join(dir, 'bench.db') });
  const instances = await ConnectorInstances.open(validation.manifest, types, { logger: silentLogger(), clock: systemClock });
  const runtime = new ProvisioningRuntime({
    store,
    instances,
    sealer: new PasswordSealer(randomBytes(32)),
    clock: systemClock,
    logger: silentLogger(),
    worker: { idlePollMs: 5 },
  });

  const accept = await timed(async () => {
    for (let i = 0; i < users; i += 1) {
      await runtime.identities.createUser(
        {
          userName: `user${i}@example.com`,
          name: { familyName: `Family${i}` },
          emails: [{ value: `user${i}@example.com`, primary: true }],
        },
        { actor: 'bench' },
      );
    }
  });
  const drainStarted = performance.now();
  const drain = await timed(async () => {
    await runtime.start();
    const deadline = Date.now() + 30 * 60 * 1000;
    for (;;) {
      const counts = await store.jobCounts();
      if (counts.pending === 0 && counts.running === 0) return counts;
      if (Date.now() > deadline) throw new Error(`not drained within 30 min: ${JSON.stringify(counts)}`);
      await new Promise((resolve) => setTimeout(resolve, pollDelayMs(drainStarted)));
    }
  });
  await runtime.stop();
  await instances.closeAll();
  await store.close();
  if (drain.result.succeeded !== users) throw new Error(`expected ${users} succeeded jobs, got ${JSON.stringify(drain.result)}`);

  const figures: Figure[] = [
    { metric: 'users', value: users, unit: '' },
    { metric: 'accepted (identity + job committed, fsync each)', value: users / accept.seconds, unit: 'ops/s' },
    { metric: 'provisioned by the worker (claim, map, connector, link)', value: users / drain.seconds, unit: 'jobs/s' },
    { metric: 'end to end', value: users / (accept.seconds + drain.seconds), unit: 'users/s' },
    { metric: 'peak RSS (store + worker process)', value: peakRssMb(), unit: 'MB' },
  ];
  return {
    title: 'Pipeline: store + worker with an in-memory target',
    about:
      `${users.toLocaleString('en-US')} users created through the identity service (each a durable SQLite commit of the identity and its job, synchronous=FULL), ` +
      'then drained by the worker into the in-memory connector (concurrency 32): the cost of the pipeline itself, without a remote service.',
    figures,
  };
}
