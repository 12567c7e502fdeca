// The "server" side of a bulk load, in its own process so its peak RSS is its own.
// Receives a PipelineChildSpec over IPC (never argv: it holds credentials), sends back
// PipelineRun & {peakRssMb, cpuSeconds}, and exits when the parent goes away.
import type { ProvisioPlugin } from '@provisio/core';
import { applyHeapPolicy, type UserInput } from '@provisio/core/engine';
import { peakRssMb } from './measure.ts';
import { runPipeline } from './pipeline-harness.ts';
import type { PipelineChildSpec } from './bulk-load.ts';

process.once('disconnect', () => process.exit(1));
process.once('message', (message) => {
  run(message as PipelineChildSpec).then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ error: (error as Error).stack ?? String(error) }, () => process.exit(1)),
  );
});

async function run(spec: PipelineChildSpec): Promise<object> {
  // As `provisio serve` runs it: this process plays the server.
  applyHeapPolicy();
  const plugin = ((await import(spec.plugin)) as { default: ProvisioPlugin }).default;
  const user = (i: number): UserInput => ({
    userName: `bench${i}@${spec.domain}`,
    name: { givenName: 'Bench', familyName: `User${i}` },
    emails: [{ value: `bench${i}@${spec.domain}`, primary: true }],
    ...(spec.entitlement ? { entitlements: [{ value: spec.entitlement }] } : {}),
  });
  const result = await runPipeline(plugin, spec.instance, spec.users, user, spec.timeoutMs);
  const usage = process.resourceUsage();
  return { ...result, peakRssMb: peakRssMb(), cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 };
}
