// The connector's own files (config, errors, client, connector, emulator, conformance test) have one copy:
// examples/rest-directory-connector. The generator reads them from there each time it runs and respells the
// example's name as the new connector's. The example's plugin entry, README and package files differ on
// purpose (it also binds a mapping function and a route, and builds inside the workspace): templates/ has those.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectorNames, type ConnectorNames } from './connector-names.ts';

const exampleDir = join(import.meta.dirname, '..', '..', '..', 'examples', 'rest-directory-connector');
const exampleNames = connectorNames('rest-directory');

/** The example's files a generated connector starts from, relative to the example's folder. */
const copiedFiles = [
  'src/rest-directory-config.ts',
  'src/rest-directory-errors.ts',
  'src/rest-directory-client.ts',
  'src/rest-directory-connector.ts',
  'test/rest-directory-emulator.ts',
  'test/rest-directory.conformance.spec.ts',
];

/** The copied files for `n`: path relative to the new package → content. */
export function exampleFiles(n: ConnectorNames): Record<string, string> {
  return Object.fromEntries(
    copiedFiles.map((path) => {
      const where = `examples/rest-directory-connector/${path}`;
      return [respell(path, exampleNames, n, where), respell(readFileSync(join(exampleDir, path), 'utf8'), exampleNames, n, where)];
    }),
  );
}

/**
 * `text` with each spelling of the name `from` (kebab, Pascal, camel, title) in `to`'s. Any other spelling of
 * `from`'s words (REST_DIRECTORY, restdirectory, ...) is an error naming `where`: it would be left behind.
 */
export function respell(text: string, from: ConnectorNames, to: ConnectorNames, where: string): string {
  const spellings = new Map([
    [from.type, to.type],
    [from.pascal, to.pascal],
    [from.camel, to.camel],
    [from.title, to.title],
  ]);
  const anySpelling = new RegExp(from.type.split('-').join('[\\s_-]?'), 'gi');
  const unknown = (text.match(anySpelling) ?? []).filter((found) => !spellings.has(found));
  if (unknown.length > 0)
    throw new Error(
      `${where}: "${unknown[0]}" spells ${from.type} in a way the generator does not respell (use ${[...spellings.keys()].join(', ')})`,
    );
  return text.replace(anySpelling, (found) => spellings.get(found) ?? found);
}
