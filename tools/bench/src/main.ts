// `npm run bench -- <scenario>... | all [--write-docs] | docs`
// One scenario runs in this process, prints its table and writes tools/bench/results/<scenario>.json.
// Several (or `all`) run one after another, each in its own process, so each peak RSS is its own.
// --write-docs (and `docs` alone) renders docs/benchmarks.md from every JSON result there is.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderDocs } from './docs.ts';
import { machine, printTable, type ScenarioResult } from './measure.ts';
import { readResults, RESULTS_DIR, writeResult } from './results.ts';

/** The scenarios, in the order of docs/benchmarks.md. Adding one is one line here. */
const scenarios: Record<string, () => Promise<ScenarioResult>> = {
  scim: () => import('./scim-scenario.ts').then((m) => m.scimScenario()),
  salesforce: () => import('./salesforce-scenario.ts').then((m) => m.salesforceScenario()),
  google: () => import('./google-scenario.ts').then((m) => m.googleScenario()),
  'scim-connector': () => import('./scim-connector-scenario.ts').then((m) => m.scimConnectorScenario()),
  'steady-state': () => import('./steady-state-scenario.ts').then((m) => m.steadyStateScenario()),
  pipeline: () => import('./pipeline-scenario.ts').then((m) => m.pipelineScenario()),
  'postgres-workers': () => import('./postgres-workers-scenario.ts').then((m) => m.postgresWorkersScenario()),
  'scim-postgres': () => import('./scim-postgres-scenario.ts').then((m) => m.scimPostgresScenario()),
  chaos: () => import('./chaos-scenario.ts').then((m) => m.chaosScenario()),
  retention: () => import('./retention-scenario.ts').then((m) => m.retentionScenario()),
  import: () => import('./import-scenario.ts').then((m) => m.importScenario()),
  tenants: () => import('./tenants-scenario.ts').then((m) => m.tenantsScenario()),
  'group-members': () => import('./group-members-scenario.ts').then((m) => m.groupMembersScenario()),
};

const DOCS_COMMAND = 'npm run bench:docs';
const DOCS_FILE = join(import.meta.dirname, '..', '..', '..', 'docs', 'benchmarks.md');

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'write-docs': { type: 'boolean', default: false } } });
const known = Object.keys(scenarios);
const names = positionals.includes('all') ? known : positionals.filter((p) => p !== 'docs');
const unknown = names.filter((n) => !scenarios[n]);
if (unknown.length > 0 || (names.length === 0 && !positionals.includes('docs'))) {
  console.error(
    `${unknown.length > 0 ? `unknown scenario "${unknown.join('", "')}"` : 'no scenario given'}; usage: npm run bench -- <${known.join('|')}>... | all [--write-docs] | docs`,
  );
  process.exit(2);
}

let failed: string[] = [];
if (names.length === 1) {
  failed = (await runHere(names[0])) ? [] : names;
} else {
  for (const name of names) {
    // Inherit stdio: the child prints its own table. A failed scenario keeps its previous JSON.
    const child = spawnSync(process.execPath, [import.meta.filename, name], { stdio: 'inherit' });
    if (child.status !== 0) failed.push(name);
  }
}
if (values['write-docs'] || positionals.includes('docs')) writeDocs();
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
// A scenario that left a handle open must not keep the command alive.
process.exit(0);

async function runHere(name: string): Promise<boolean> {
  const startedAt = new Date().toISOString();
  const details = machine();
  const started = performance.now();
  try {
    const result = await scenarios[name]();
    printTable(result);
    const file = writeResult(RESULTS_DIR, {
      scenario: name,
      startedAt,
      seconds: (performance.now() - started) / 1000,
      machine: details,
      ...result,
    });
    console.log(`\nwrote ${file}`);
    return true;
  } catch (error) {
    console.error(`scenario ${name} failed: ${(error as Error).stack ?? String(error)}`);
    return false;
  }
}

function writeDocs(): void {
  const { results, problems } = readResults(RESULTS_DIR);
  for (const problem of problems) console.error(`skipped result ${problem}`);
  writeFileSync(DOCS_FILE, renderDocs(results, { order: known, command: DOCS_COMMAND }));
  console.log(`wrote ${DOCS_FILE} (${results.length} scenarios: ${results.map((r) => r.scenario).join(', ')})`);
}
