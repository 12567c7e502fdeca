import { ESLint } from 'eslint';
import { join } from 'node:path';
import { readProjectGraph, workspaceRoot, type ProjectGraphFile } from './workspace.js';

const graph: ProjectGraphFile = readProjectGraph();
const projectsTagged = (tag: string) => Object.values(graph.graph.nodes).filter((n) => n.data.tags?.includes(tag));

/** Lints a file that does not exist, placed inside `projectRoot`, and returns the boundary violations. */
async function boundaryViolations(projectRoot: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: workspaceRoot });
  const [result] = await eslint.lintText(code, { filePath: join(workspaceRoot, projectRoot, 'src', 'boundary-probe.ts') });
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('the dependency graph (nx graph)', () => {
  it('shows core depending on no other project of ours', () => {
    const ours = new Set(Object.keys(graph.graph.nodes));
    const coreDeps = (graph.graph.dependencies.core ?? []).filter((d) => ours.has(d.target));
    expect(graph.graph.nodes.core.data.tags).toContain('scope:core');
    expect(coreDeps).toEqual([]);
  });

  it('shows the server composing the built-in plugins', () => {
    const targets = (graph.graph.dependencies.server ?? []).map((d) => d.target);
    expect(targets).toEqual(expect.arrayContaining(['core', 'connector-memory']));
  });

  it('has every plugin depend only on core (and, for tests, the test kit or emulators)', () => {
    const allowed = new Set(['core', 'connector-testkit', 'emulators']);
    const ours = new Set(Object.keys(graph.graph.nodes));
    for (const plugin of projectsTagged('type:plugin')) {
      const deps = (graph.graph.dependencies[plugin.name] ?? []).filter((d) => ours.has(d.target)).map((d) => d.target);
      expect({ plugin: plugin.name, disallowed: deps.filter((d) => !allowed.has(d)) }).toEqual({ plugin: plugin.name, disallowed: [] });
    }
  });
});

describe('lint enforces module boundaries', () => {
  it('fails when core imports anything of ours', async () => {
    const violations = await boundaryViolations('packages/core', "export * from '@provisio/emulators';\n");
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/scope:core/);
  });

  it('fails when a plugin imports another plugin', async () => {
    const plugins = projectsTagged('type:plugin');
    expect(plugins.length).toBeGreaterThanOrEqual(2);
    const [first, second] = plugins;
    const otherPackage = `@provisio/${second.data.root.split('/').pop()}`;
    const violations = await boundaryViolations(first.data.root, `import other from '${otherPackage}';\nexport default other;\n`);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/type:plugin/);
  });

  it('fails when a plugin imports the server', async () => {
    const violations = await boundaryViolations('packages/connector-memory', "export * from '@provisio/server';\n");
    expect(violations.length).toBeGreaterThanOrEqual(1);
  });

  it('passes when a plugin imports core', async () => {
    expect(await boundaryViolations('packages/connector-memory', "export { definePlugin } from '@provisio/core';\n")).toEqual([]);
  });

  it('lets the stores, and no plugin, import the shared SQL package, which imports only core', async () => {
    expect(await boundaryViolations('packages/store-postgres', "export { FilterCompiler } from '@provisio/store-sql';\n")).toEqual([]);
    expect(await boundaryViolations('packages/connector-memory', "export { FilterCompiler } from '@provisio/store-sql';\n")).toEqual([
      expect.stringMatching(/type:plugin/),
    ]);
    expect(await boundaryViolations('packages/store-sql', "export * from '@provisio/connector-memory';\n")).toEqual([
      expect.stringMatching(/type:store-sql/),
    ]);
  });

  it('lets the server and the console import the admin contract, which imports nothing of ours', async () => {
    expect(await boundaryViolations('apps/server', "export { ADMIN_ROUTES } from '@provisio/admin-contract';\n")).toEqual([]);
    expect(await boundaryViolations('packages/console', "export type { Job } from '@provisio/admin-contract';\n")).toEqual([]);
    expect(await boundaryViolations('packages/console', "export * from '@provisio/core';\n")).toEqual([
      expect.stringMatching(/type:console/),
    ]);
    expect(await boundaryViolations('packages/admin-contract', "export * from '@provisio/core';\n")).toEqual([
      expect.stringMatching(/type:contract/),
    ]);
  });
});
