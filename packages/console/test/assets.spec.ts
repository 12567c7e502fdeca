import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { consoleAssetsBuilt, consoleAssetsDir } from '../src/index.js';

describe('console assets', () => {
  it('are located in the package’s dist/app, the folder Vite builds into', () => {
    expect(consoleAssetsDir().endsWith(`${sep}console${sep}dist${sep}app`)).toBe(true);
  });

  it('count as built only when index.html is there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-assets-'));
    expect(consoleAssetsBuilt(dir)).toBe(false);
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    expect(consoleAssetsBuilt(dir)).toBe(true);
  });
});
