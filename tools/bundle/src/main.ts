// `npm run bundle [-- --out DIR] [--skip-build]`: builds the server and what it
// loads, then writes a self-contained folder (default dist/provisio-bundle) and prints its size.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBundle } from './build-bundle.ts';

const workspaceRoot = join(import.meta.dirname, '..', '..', '..');
const { values } = parseArgs({
  options: { out: { type: 'string' }, 'skip-build': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  process.stdout.write(
    'Usage: npm run bundle [-- --out DIR] [--skip-build]\n  --out DIR      where to write the bundle (default: dist/provisio-bundle)\n  --skip-build   pack the dist folders as they are\n',
  );
  process.exit(0);
}
const outDir = resolve(values.out ?? join(workspaceRoot, 'dist', 'provisio-bundle'));

if (!values['skip-build']) {
  // The server and every project it loads by name (the built-in plugins, the console's assets).
  execFileSync(join(workspaceRoot, 'node_modules', '.bin', 'nx'), ['run', 'server:build', '--output-style=static-failures-only'], {
    cwd: workspaceRoot,
    stdio: 'inherit',
  });
}
try {
  const result = buildBundle(workspaceRoot, outDir);
  const megabytes = (result.bytes / 1024 / 1024).toFixed(1);
  process.stdout.write(`bundle: ${result.outDir}\n`);
  process.stdout.write(`  ${result.packages.length} workspace packages: ${result.packages.map((p) => p.name).join(', ')}\n`);
  if (result.unpinned.length > 0)
    process.stdout.write(`  resolved within their ranges (several versions in package-lock.json): ${result.unpinned.join(', ')}\n`);
  process.stdout.write(`  size: ${megabytes} MB in ${result.files} files\n`);
  process.stdout.write(
    `  start: ${join(result.outDir, 'bin', 'provisio')} serve --config ${join(result.outDir, 'provisio.config.yaml')}\n`,
  );
} catch (error) {
  process.stderr.write(`bundle failed: ${(error as Error).message}\n`);
  process.exit(1);
}
