// Shared Jest setup for every project: ESM TypeScript through ts-jest
// (transpile only; `typecheck` targets run tsc), workspace packages mapped to
// their sources so tests never need a prior build of a dependency.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = dirname(fileURLToPath(import.meta.url));

function workspacePackageSources() {
  const mapped = {};
  for (const group of ['packages', 'apps', 'tools']) {
    const groupDir = join(workspaceRoot, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir)) {
      const entry = join(groupDir, name, 'src', 'index.ts');
      if (existsSync(entry)) mapped[`^@provisio/${name}$`] = entry;
      // Subpath entry points (core's `engine` and `testing`): `./x` in package.json exports is src/x.ts.
      for (const subpath of subpathExports(join(groupDir, name))) {
        const source = join(groupDir, name, 'src', `${subpath}.ts`);
        if (existsSync(source)) mapped[`^@provisio/${name}/${subpath}$`] = source;
      }
    }
  }
  return mapped;
}

/** The `./x` keys of a package's exports, but package.json. */
function subpathExports(packageDir) {
  const manifest = join(packageDir, 'package.json');
  if (!existsSync(manifest)) return [];
  const exportsField = JSON.parse(readFileSync(manifest, 'utf8')).exports ?? {};
  return Object.keys(exportsField)
    .filter((key) => key.startsWith('./') && key !== './package.json')
    .map((key) => key.slice(2));
}

/** @param {string} projectDir absolute path of the project (pass import.meta.dirname) */
export function jestConfig(projectDir, overrides = {}) {
  return {
    rootDir: projectDir,
    displayName: projectDir.slice(workspaceRoot.length + 1),
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    transform: {
      '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: join(projectDir, 'tsconfig.spec.json') }],
    },
    moduleNameMapper: {
      ...workspacePackageSources(),
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    setupFiles: [join(workspaceRoot, 'tools', 'jest', 'setup.js')],
    testTimeout: 30000,
    ...overrides,
  };
}
