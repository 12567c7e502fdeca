import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = (name: string) => join(workspaceRoot, 'node_modules', name);

/** Generates a connector into the workspace's tmp/ (so it resolves the workspace's tools and built core), then builds, lints and tests it untouched. */
describe('npm run new-connector', () => {
  mkdirSync(join(workspaceRoot, 'tmp'), { recursive: true });
  const parent = mkdtempSync(join(workspaceRoot, 'tmp', 'connector-generator-'));
  const dir = join(parent, 'provisio-connector-acme-directory');
  const run = (args: string[], cwd = dir) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['NODE_OPTIONS'];
    return execFileSync(process.execPath, args, { cwd, env, stdio: 'pipe', timeout: 90000, encoding: 'utf8' });
  };

  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('scaffolds a plugin package with the provisio field, a core peer dependency and a secret config field', () => {
    const out = run([join(workspaceRoot, 'tools', 'connector-generator', 'src', 'main.ts'), 'acme-directory', '--dir', dir], workspaceRoot);
    expect(out).toContain('Created provisio-connector-acme-directory');
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(pkg['provisio']).toEqual({ apiVersion: 1, plugin: './dist/index.js' });
    expect(pkg['peerDependencies']['@provisio/core']).toMatch(/^\^\d/);
    expect(readFileSync(join(dir, 'src', 'acme-directory-config.ts'), 'utf8')).toContain("['apiToken']");
  });

  it('builds with tsc and type-checks its tests', () => {
    run([join(bin('typescript'), 'bin', 'tsc'), '-p', 'tsconfig.json']);
    run([join(bin('typescript'), 'bin', 'tsc'), '-p', 'tsconfig.spec.json']);
    expect(readFileSync(join(dir, 'dist', 'index.js'), 'utf8')).toContain('definePlugin');
  });

  it('lints clean', () => {
    run([join(bin('eslint'), 'bin', 'eslint.js'), '--max-warnings=0', '.']);
  });

  it('passes its connector-testkit conformance suite against its emulator', () => {
    const out = run(['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', join(bin('jest'), 'bin', 'jest.js'), '--ci']);
    expect(out).toBeDefined();
  });

  it('refuses a name that is not kebab-case', () => {
    expect(() =>
      run(
        [join(workspaceRoot, 'tools', 'connector-generator', 'src', 'main.ts'), 'Acme Directory', '--dir', join(parent, 'bad')],
        workspaceRoot,
      ),
    ).toThrow(/not a valid connector name/);
  });
});
