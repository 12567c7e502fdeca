// Which workspace packages the server needs at run time: @provisio/server and
// every @provisio/* package in its `dependencies`, directly or through another.
// Read from the workspace's own package.json files, never through node_modules.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkspacePackage {
  name: string;
  version: string;
  dir: string;
}

interface PackageJson {
  name?: string;
  version?: string;
  private?: boolean;
  dependencies?: Record<string, string>;
}

const WORKSPACE_GROUPS = ['packages', 'apps', 'tools'];

function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** Every workspace package by name (the folders the root package.json's `workspaces` cover). */
function workspacePackages(workspaceRoot: string): Map<string, WorkspacePackage & { dependencies: string[] }> {
  const byName = new Map<string, WorkspacePackage & { dependencies: string[] }>();
  for (const group of WORKSPACE_GROUPS) {
    const groupDir = join(workspaceRoot, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of readdirSync(groupDir)) {
      const dir = join(groupDir, entry);
      if (!existsSync(join(dir, 'package.json'))) continue;
      const pkg = readPackageJson(dir);
      if (!pkg.name) continue;
      byName.set(pkg.name, { name: pkg.name, version: pkg.version ?? '0.0.0', dir, dependencies: Object.keys(pkg.dependencies ?? {}) });
    }
  }
  return byName;
}

/** `root` and the workspace packages it depends on at run time, breadth-first, each once. */
export function runtimeWorkspaceClosure(workspaceRoot: string, root = '@provisio/server'): WorkspacePackage[] {
  const all = workspacePackages(workspaceRoot);
  if (!all.has(root)) throw new Error(`${root} is not a workspace package of ${workspaceRoot}`);
  const names = [root];
  for (let index = 0; index < names.length; index += 1) {
    for (const dependency of all.get(names[index])?.dependencies ?? []) {
      if (all.has(dependency) && !names.includes(dependency)) names.push(dependency);
    }
  }
  return names.map((name) => {
    const { version, dir } = all.get(name) as WorkspacePackage;
    return { name, version, dir };
  });
}
