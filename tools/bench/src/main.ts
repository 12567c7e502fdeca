import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machine, type Figure } from './measure.ts';
import { pipelineScenario } from './pipeline-scenario.ts';
import { scimScenario } from './scim-scenario.ts';
import { salesforceScenario } from './salesforce-scenario.ts';
import { googleScenario } from './google-scenario.ts';
import { scimConnectorScenario } from './scim-connector-scenario.ts';

/** `npm run bench -- <scenario>`: prints a table and writes tmp/bench/<scenario>.json. */
const scenarios: Record<string, () => Promise<Figure[]>> = {
  pipeline: () => pipelineScenario(),
  scim: () => scimScenario(),
  salesforce: () => salesforceScenario(),
  google: () => googleScenario(),
  'scim-connector': () => scimConnectorScenario(),
};

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : Object.keys(scenarios);
for (const name of names) {
  const scenario = scenarios[name];
  if (!scenario) {
    console.error(`unknown scenario "${name}"; known: ${Object.keys(scenarios).join(', ')}`);
    process.exit(2);
  }
  const figures = await scenario();
  const out = join(process.cwd(), 'tmp', 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${name}.json`), `${JSON.stringify({ scenario: name, at: new Date().toISOString(), machine: machine(), figures }, null, 2)}\n`);
}
