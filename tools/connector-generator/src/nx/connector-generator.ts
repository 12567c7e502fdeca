// `nx g @provisio/nx-plugin:connector <name> [--directory DIR]`: the files `npm run new-connector`
// writes (the example's connector files respelled, and the package templates), through Nx's Tree.
import type { Tree } from '@nx/devkit';
import { connectorNames } from '../connector-names.ts';
import { connectorFiles, toolVersionsFrom } from '../generate-connector.ts';

export interface ConnectorGeneratorOptions {
  name: string;
  directory?: string;
}

function read(tree: Tree, path: string): string {
  const content = tree.read(path, 'utf-8');
  if (content === null) throw new Error(`${path} not found: run the generator at the root of the Provisio workspace`);
  return content;
}

export default async function connectorGenerator(tree: Tree, options: ConnectorGeneratorOptions): Promise<void> {
  const names = connectorNames(options.name);
  const directory = (options.directory ?? names.packageName).replace(/\/+$/, '');
  if (tree.exists(directory) && tree.children(directory).length > 0) throw new Error(`${directory} exists and is not empty`);
  const versions = toolVersionsFrom(read(tree, 'package.json'), read(tree, 'packages/core/package.json'));
  for (const [path, content] of Object.entries(connectorFiles(options.name, versions))) tree.write(`${directory}/${path}`, content);
}
