// Writes a connector package: the example's connector files respelled, the templates' package files,
// refusing to overwrite a non-empty folder.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { connectorNames } from './connector-names.ts';
import {
  eslintConfig,
  gitignore,
  jestConfig,
  packageJson,
  tsconfigJson,
  tsconfigSpecJson,
  type ToolVersions,
} from './templates/package-files.ts';
import { exampleFiles } from './example-files.ts';
import { indexSource, readmeSource } from './templates/plugin-files.ts';

const workspaceRoot = join(import.meta.dirname, '..', '..', '..');

/** Versions of core and of the tools the workspace itself uses, so the package matches what is tested here. */
export function toolVersionsFrom(rootPackageJson: string, corePackageJson: string): ToolVersions {
  const root = JSON.parse(rootPackageJson) as { devDependencies: Record<string, string> };
  const core = JSON.parse(corePackageJson) as { version: string };
  return { ...root.devDependencies, core: core.version };
}

function workspaceToolVersions(): ToolVersions {
  return toolVersionsFrom(
    readFileSync(join(workspaceRoot, 'package.json'), 'utf8'),
    readFileSync(join(workspaceRoot, 'packages', 'core', 'package.json'), 'utf8'),
  );
}

/** Every file of the package for `name`: path relative to the package folder → content. */
export function connectorFiles(name: string, versions: ToolVersions): Record<string, string> {
  const n = connectorNames(name);
  return {
    'package.json': packageJson(n, versions),
    'tsconfig.json': tsconfigJson(),
    'tsconfig.spec.json': tsconfigSpecJson(),
    'jest.config.js': jestConfig(),
    'eslint.config.js': eslintConfig(),
    '.gitignore': gitignore(),
    'README.md': readmeSource(n),
    'src/index.ts': indexSource(n),
    ...exampleFiles(n),
  };
}

/** Returns the files written, relative to `dir`. */
export function generateConnector(name: string, dir: string, versions: ToolVersions = workspaceToolVersions()): string[] {
  const files = connectorFiles(name, versions);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} exists and is not empty`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return Object.keys(files);
}
