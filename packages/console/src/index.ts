import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the console's built assets (index.html and assets/), produced
 * by `nx build console`. The same from src/ (tests) and dist/ (built package):
 * both sit one level below the package root.
 */
export function consoleAssetsDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'app');
}

/** True when the assets were built (index.html exists), so a server can say clearly when they were not. */
export function consoleAssetsBuilt(dir: string = consoleAssetsDir()): boolean {
  return existsSync(join(dir, 'index.html'));
}
