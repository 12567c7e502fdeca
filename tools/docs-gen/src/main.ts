// `npm run docs`: writes docs/configure-connectors.md from the connectors' schemas.
// `--check`: writes nothing, exits 1 when the committed file differs (CI and the tests).
// `--out FILE`: another file than docs/configure-connectors.md (the tests use it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { builtInConnectorTypes } from './built-in-connectors.ts';
import { renderConfigureConnectors } from './render-configure-connectors.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false }, out: { type: 'string' } } });
const target = values.out ? resolve(values.out) : join(import.meta.dirname, '..', '..', '..', 'docs', 'configure-connectors.md');
const rendered = renderConfigureConnectors(builtInConnectorTypes());
if (values.check) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // A missing file is stale too.
  }
  if (committed !== rendered) {
    console.error(`${target} is stale: run \`npm run docs\` and commit the result`);
    process.exit(1);
  }
  console.log(`${target} is up to date`);
} else {
  writeFileSync(target, rendered);
  console.log(`wrote ${target}`);
}
