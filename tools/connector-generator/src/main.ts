// `npm run new-connector -- <name> [--dir DIR]`: scaffolds provisio-connector-<name>.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectorNames } from './connector-names.ts';
import { generateConnector } from './generate-connector.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { dir: { type: 'string' } } });
if (positionals.length !== 1) {
  console.error('usage: npm run new-connector -- <name> [--dir DIR]   (e.g. acme-directory)');
  process.exit(2);
}
try {
  const names = connectorNames(positionals[0]);
  // npm runs scripts from the workspace root; INIT_CWD is where the command was typed.
  const dir = resolve(process.env['INIT_CWD'] ?? process.cwd(), values.dir ?? names.packageName);
  const files = generateConnector(positionals[0], dir);
  console.log(`Created ${names.packageName} (connector type "${names.type}") in ${dir}:`);
  for (const file of files) console.log(`  ${file}`);
  console.log(`\nNext: cd ${dir} && npm install && npm run build && npm run lint && npm test`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
