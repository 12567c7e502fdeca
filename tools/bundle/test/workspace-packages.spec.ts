import { join } from 'node:path';
import { runtimeWorkspaceClosure } from '../src/workspace-packages.ts';

const workspaceRoot = join(import.meta.dirname, '..', '..', '..');

describe('runtimeWorkspaceClosure', () => {
  it('starts with the server and reaches the packages its dependencies need in turn', () => {
    const names = runtimeWorkspaceClosure(workspaceRoot).map((p) => p.name);
    expect(names[0]).toBe('@provisio/server');
    // store-sql is not a dependency of the server itself, only of both stores.
    expect(names).toEqual(
      expect.arrayContaining([
        '@provisio/core',
        '@provisio/store-sqlite',
        '@provisio/store-postgres',
        '@provisio/store-sql',
        '@provisio/console',
        '@provisio/connector-scim',
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it('leaves out what the server only needs for its tests', () => {
    const names = runtimeWorkspaceClosure(workspaceRoot).map((p) => p.name);
    expect(names).not.toContain('@provisio/emulators');
    expect(names).not.toContain('@provisio/connector-testkit');
  });

  it('names a root that is not a workspace package', () => {
    expect(() => runtimeWorkspaceClosure(workspaceRoot, '@provisio/nowhere')).toThrow('@provisio/nowhere is not a workspace package');
  });
});
