import memoryPlugin from '@provisio/connector-memory';
import { peakRssMb, type Figure, type ScenarioResult } from './measure.ts';
import { runPipeline } from './pipeline-harness.ts';

/**
 * Store + worker throughput with the in-memory target: N users created through
 * the identity service (each one a durable commit with its job), then drained
 * by the worker. Measures the pipeline, not a remote service.
 */
export async function pipelineScenario(users = Number(process.env['BENCH_USERS'] ?? 10000)): Promise<ScenarioResult> {
  const instance = {
    id: 'memory',
    type: 'memory',
    concurrency: 32,
    mapping: { userName: 'userName', email: 'emails[primary eq true].value', lastName: 'name.familyName' },
  };
  const user = (i: number) => ({
    userName: `user${i}@example.com`,
    name: { familyName: `Family${i}` },
    emails: [{ value: `user${i}@example.com`, primary: true }],
  });
  const run = await runPipeline(memoryPlugin, instance, users, user, 30 * 60 * 1000, { synchronous: 'full' });
  if (run.succeeded !== users)
    throw new Error(`expected ${users} succeeded jobs, got ${run.succeeded} (${run.failed} failed: ${run.firstError})`);

  const figures: Figure[] = [
    { metric: 'users', value: users, unit: '' },
    { metric: 'accepted (identity + job committed, fsync each)', value: users / run.acceptSeconds, unit: 'ops/s' },
    { metric: 'provisioned by the worker (claim, map, connector, link)', value: users / run.drainSeconds, unit: 'jobs/s' },
    { metric: 'end to end', value: users / (run.acceptSeconds + run.drainSeconds), unit: 'users/s' },
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
