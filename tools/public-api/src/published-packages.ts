// The packages whose entry point is a public API: every package under packages/ that is not private.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PublishedPackage {
  /** e.g. "@provisio/core". */
  name: string;
  /** Absolute folder of the package. */
  folder: string;
  /** The built declaration file its package.json "types" names. */
  typesFile: string;
}

export function publishedPackages(workspaceRoot: string): PublishedPackage[] {
  const packagesDir = join(workspaceRoot, 'packages');
  return readdirSync(packagesDir)
    .sort()
    .map((dir) => join(packagesDir, dir))
    .filter((folder) => existsSync(join(folder, 'package.json')))
    .flatMap((folder) => {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
        name: string;
        private?: boolean;
        types?: string;
      };
      if (manifest.private || !manifest.types) return [];
      return [{ name: manifest.name, folder, typesFile: join(folder, manifest.types) }];
    });
}
