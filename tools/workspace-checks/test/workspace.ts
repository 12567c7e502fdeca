import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ProjectGraphFile {
  graph: {
    nodes: Record<string, { name: string; type: string; data: { root: string; tags?: string[] } }>;
    dependencies: Record<string, { source: string; target: string; type: string }[]>;
  };
}

/** The graph exactly as `nx graph --file` writes it. */
export function readProjectGraph(): ProjectGraphFile {
  const file = join(mkdtempSync(join(tmpdir(), 'provisio-graph-')), 'graph.json');
  execFileSync(process.execPath, [join(workspaceRoot, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'graph', `--file=${file}`], {
    cwd: workspaceRoot,
    stdio: 'pipe',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  return JSON.parse(readFileSync(file, 'utf8')) as ProjectGraphFile;
}
