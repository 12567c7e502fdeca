// The "server" side of a bulk load, in its own process so its peak RSS is its own:
// node pipeline-child.ts '<PipelineChildSpec JSON>' prints PipelineRun & {peakRssMb} as JSON.
import type { ProvisioPlugin, UserInput } from '@provisio/core';
import { peakRssMb } from './measure.ts';
import { runPipeline } from './pipeline-harness.ts';
import type { PipelineChildSpec } from './bulk-load.ts';

const spec = JSON.parse(process.argv[2] ?? '{}') as PipelineChildSpec;
const plugin = ((await import(spec.plugin)) as { default: ProvisioPlugin }).default;
const user = (i: number): UserInput => ({
  userName: `bench${i}@${spec.domain}`,
  name: { givenName: 'Bench', familyName: `User${i}` },
  emails: [{ value: `bench${i}@${spec.domain}`, primary: true }],
  ...(spec.entitlement ? { entitlements: [{ value: spec.entitlement }] } : {}),
});
const run = await runPipeline(plugin, spec.instance, spec.users, user, spec.timeoutMs);
const usage = process.resourceUsage();
process.stdout.write(JSON.stringify({ ...run, peakRssMb: peakRssMb(), cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }));
process.exit(0);
