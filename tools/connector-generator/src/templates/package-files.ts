// package.json, tsconfig, jest and eslint configuration of a generated connector package.
import type { ConnectorNames } from '../connector-names.ts';

export interface ToolVersions {
  core: string;
  [tool: string]: string;
}

export function packageJson(n: ConnectorNames, v: ToolVersions): string {
  const pkg = {
    name: n.packageName,
    version: '0.1.0',
    description: `Provisio connector for ${n.pascal}.`,
    license: 'Apache-2.0',
    type: 'module',
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
    files: ['dist'],
    provisio: { apiVersion: 1, plugin: './dist/index.js' },
    scripts: {
      build: 'tsc -p tsconfig.json',
      lint: 'eslint --max-warnings=0 .',
      test: 'node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js',
      prepack: 'npm run build',
    },
    peerDependencies: { '@provisio/core': `^${v.core}` },
    devDependencies: {
      '@jest/globals': v['@jest/globals'],
      '@provisio/connector-testkit': `^${v.core}`,
      '@provisio/core': `^${v.core}`,
      '@types/node': v['@types/node'],
      eslint: v['eslint'],
      jest: v['jest'],
      'ts-jest': v['ts-jest'],
      typescript: v['typescript'],
      'typescript-eslint': v['typescript-eslint'],
    },
    engines: { node: '>=22' },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

const compilerOptions = {
  target: 'ES2023',
  lib: ['ES2023', 'DOM'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  declaration: true,
  skipLibCheck: true,
  types: ['node'],
};

export function tsconfigJson(): string {
  return `${JSON.stringify({ compilerOptions: { ...compilerOptions, rootDir: 'src', outDir: 'dist' }, include: ['src/**/*.ts'], exclude: ['src/**/*.spec.ts'] }, null, 2)}\n`;
}

export function tsconfigSpecJson(): string {
  return `${JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true, isolatedModules: true }, include: ['src/**/*.ts', 'test/**/*.ts'] }, null, 2)}\n`;
}

export function jestConfig(): string {
  return `// ESM TypeScript through ts-jest; run with node --experimental-vm-modules (npm test does).
export default {
  rootDir: import.meta.dirname,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.spec.json' }] },
  moduleNameMapper: { '^(\\\\.{1,2}/.*)\\\\.js$': '$1' },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testTimeout: 30000,
};
`;
}

export function eslintConfig(): string {
  return `import tseslint from 'typescript-eslint';

export default tseslint.config({ ignores: ['dist/**', 'node_modules/**'] }, ...tseslint.configs.recommended);
`;
}

export function gitignore(): string {
  return 'node_modules/\ndist/\n*.tgz\n';
}
