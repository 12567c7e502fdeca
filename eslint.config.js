import nx from '@nx/eslint-plugin';

// Module boundaries (see ../shared/DESIGN.md): arrows only point down.
//   core            imports nothing of ours
//   plugins, stores, inbound   import only core (plugins may use the test kit and emulators in tests; stores the shared SQL)
//   store-sql       imports only core (SQL text shared by the SQL stores, no driver)
//   testkit         imports only core
//   emulators       import nothing of ours (they stand in for remote services)
//   admin-contract  imports nothing of ours (the admin API's schemas; the server and the console share it)
//   console         imports only the admin contract, for types (a browser app; it talks to the admin API over HTTP)
//   apps            compose everything
const depConstraints = [
  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:plugin', onlyDependOnLibsWithTags: ['scope:core', 'type:testkit', 'type:emulator'] },
  { sourceTag: 'type:store', onlyDependOnLibsWithTags: ['scope:core', 'type:store-sql'] },
  { sourceTag: 'type:store-sql', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'type:inbound', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'type:testkit', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'type:emulator', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:console', onlyDependOnLibsWithTags: ['type:contract'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['*'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['*'] },
];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '.tools/**', 'tmp/**', '.nx/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: ['**/*.ts', '**/*.js'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints,
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // A connector (built-in, the example, or generated) is written against the plugin API only:
    // the engine and the test fixtures are core's other entry points, for the server and for tests.
    files: ['packages/connector-*/src/**/*.ts', 'examples/*/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@provisio/core/*'],
              message:
                "Connector code imports only '@provisio/core' (the plugin API); '/engine' and '/testing' are for the server and for tests.",
            },
          ],
        },
      ],
    },
  },
  {
    // Test runner configuration reaches into the shared preset at the root on purpose.
    files: ['**/jest.config.js'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
