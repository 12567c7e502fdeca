import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import connectorGenerator from '../src/nx/connector-generator.ts';

const workspaceRoot = join(import.meta.dirname, '..', '..', '..');

function filesUnder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

describe('nx g @provisio/nx-plugin:connector', () => {
  mkdirSync(join(workspaceRoot, 'tmp'), { recursive: true });
  const scratch = mkdtempSync(join(workspaceRoot, 'tmp', 'nx-generator-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes, through the nx CLI, exactly the package `npm run new-connector` writes', () => {
    const viaNx = join(scratch, 'via-nx');
    const viaScript = join(scratch, 'via-script');
    const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
    delete env['NODE_OPTIONS'];
    const out = execFileSync(
      process.execPath,
      [
        join(workspaceRoot, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'),
        'g',
        '@provisio/nx-plugin:connector',
        'acme-directory',
        '--directory',
        relative(workspaceRoot, viaNx),
        '--no-interactive',
      ],
      {
        cwd: workspaceRoot,
        env,
        encoding: 'utf8',
        timeout: 60000,
      },
    );
    // Under nx run-many the output is coloured; compare the text only.
    expect(stripVTControlCharacters(out)).toContain(`CREATE ${relative(workspaceRoot, viaNx)}/src/acme-directory-connector.ts`);
    execFileSync(
      process.execPath,
      [join(workspaceRoot, 'tools', 'connector-generator', 'src', 'main.ts'), 'acme-directory', '--dir', viaScript],
      { cwd: workspaceRoot, env, timeout: 30000 },
    );
    const written = filesUnder(viaNx);
    expect(Object.keys(written).sort()).toEqual(Object.keys(filesUnder(viaScript)).sort());
    expect(written).toEqual(filesUnder(viaScript));
    expect(JSON.parse(written['package.json'])).toMatchObject({
      name: 'provisio-connector-acme-directory',
      provisio: { apiVersion: 1, plugin: './dist/index.js' },
    });
  });

  it('defaults the folder to provisio-connector-<name> and takes the versions from the workspace', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ devDependencies: { jest: '^30.0.0', typescript: '^5.9.0' } }));
    tree.write('packages/core/package.json', JSON.stringify({ version: '0.7.1' }));
    await connectorGenerator(tree, { name: 'acme' });
    const pkg = JSON.parse(tree.read('provisio-connector-acme/package.json', 'utf-8')!) as {
      peerDependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.peerDependencies['@provisio/core']).toBe('^0.7.1');
    expect(pkg.devDependencies['jest']).toBe('^30.0.0');
    expect(tree.exists('provisio-connector-acme/test/acme.conformance.spec.ts')).toBe(true);
  });

  it('refuses a name that is not kebab-case and a folder that is not empty', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ devDependencies: {} }));
    tree.write('packages/core/package.json', JSON.stringify({ version: '0.1.0' }));
    await expect(connectorGenerator(tree, { name: 'Acme Directory' })).rejects.toThrow(/not a valid connector name/);
    tree.write('taken/README.md', 'mine');
    await expect(connectorGenerator(tree, { name: 'acme', directory: 'taken' })).rejects.toThrow('taken exists and is not empty');
  });

  it('names the generator and its options in `nx g --help`', () => {
    const result = spawnSync(
      process.execPath,
      [join(workspaceRoot, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'g', '@provisio/nx-plugin:connector', '--help'],
      {
        cwd: workspaceRoot,
        env: { ...process.env, NX_DAEMON: 'false' },
        encoding: 'utf8',
        timeout: 60000,
      },
    );
    expect(stripVTControlCharacters(result.stdout)).toContain('--directory');
  });
});
