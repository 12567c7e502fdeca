// Writes the bundle: each runtime workspace package packed from its built dist,
// a package.json on those tarballs with the lockfile's third-party versions,
// production dependencies installed by npm, the start script, a sample manifest.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundlePackageJson, bundleReadme, SAMPLE_MANIFEST, START_SCRIPT } from './bundle-files.ts';
import { pinnedVersions, type Lockfile } from './pinned-versions.ts';
import { runtimeWorkspaceClosure, type WorkspacePackage } from './workspace-packages.ts';

/** Left in every bundle, so a rebuild may empty the folder it wrote before and no other. */
const MARKER = '.provisio-bundle';

export interface BundleResult {
  outDir: string;
  packages: WorkspacePackage[];
  unpinned: string[];
  bytes: number;
  files: number;
}

const npmEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  // Native modules build against the running Node, not headers found elsewhere.
  npm_config_nodedir: '',
  npm_config_loglevel: 'error',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
});

function npm(args: string[], cwd: string, timeoutMs: number): string {
  return execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    env: npmEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** An empty folder at `outDir`: made if missing, emptied only if a previous bundle left its marker there. */
function prepareOutDir(outDir: string): void {
  if (existsSync(outDir)) {
    const entries = readdirSync(outDir);
    if (entries.length > 0 && !entries.includes(MARKER))
      throw new Error(`${outDir} exists and is not a Provisio bundle; choose an empty or new folder (--out DIR)`);
    rmSync(outDir, { recursive: true, force: true });
  }
  mkdirSync(join(outDir, 'packages'), { recursive: true });
  mkdirSync(join(outDir, 'bin'));
  writeFileSync(join(outDir, MARKER), 'written by npm run bundle; the next run may empty this folder\n');
}

/** `npm pack` of each package in one call; its built dist must exist (main.ts builds first). */
function packWorkspaces(workspaceRoot: string, packages: readonly WorkspacePackage[], destination: string): Map<string, string> {
  for (const pkg of packages) {
    if (!existsSync(join(pkg.dir, 'dist')))
      throw new Error(`${pkg.name} is not built (no ${join(pkg.dir, 'dist')}); run without --skip-build`);
  }
  const output = npm(
    ['pack', '--json', ...packages.flatMap((p) => ['-w', p.name]), '--pack-destination', destination],
    workspaceRoot,
    120000,
  );
  const packed = JSON.parse(output) as { name: string; filename: string }[];
  return new Map(packed.map((p) => [p.name, p.filename.replace(/^.*\//, '')]));
}

/** Bytes and files under `dir` (symlinks counted as themselves, not followed). */
function sizeOf(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else {
        bytes += lstatSync(path).size;
        files += 1;
      }
    }
  }
  return { bytes, files };
}

export function buildBundle(workspaceRoot: string, outDir: string): BundleResult {
  const packages = runtimeWorkspaceClosure(workspaceRoot);
  const server = packages[0];
  const lockfile = JSON.parse(readFileSync(join(workspaceRoot, 'package-lock.json'), 'utf8')) as Lockfile;
  const { overrides, unpinned } = pinnedVersions(lockfile);

  prepareOutDir(outDir);
  const tarballs = packWorkspaces(workspaceRoot, packages, join(outDir, 'packages'));
  writeFileSync(join(outDir, 'package.json'), bundlePackageJson(server, tarballs, overrides));
  // Production dependencies only; the npm cache makes this mostly offline.
  npm(['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], outDir, 300000);

  writeFileSync(join(outDir, 'bin', 'provisio'), START_SCRIPT);
  chmodSync(join(outDir, 'bin', 'provisio'), 0o755);
  writeFileSync(join(outDir, 'provisio.config.yaml'), SAMPLE_MANIFEST);
  writeFileSync(join(outDir, 'README.md'), bundleReadme(server, packages));
  copyFileSync(join(workspaceRoot, 'LICENSE'), join(outDir, 'LICENSE'));
  return { outDir, packages, unpinned, ...sizeOf(outDir) };
}
