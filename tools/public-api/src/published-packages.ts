// The entry points that are a public API: of every package under packages/ that is not private, the
// main one ("types") and each subpath of its exports (core's ./engine and ./testing), one report each.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PublishedPackage {
  /** e.g. "@provisio/core", or "@provisio/core/engine" for a subpath entry point. */
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
        exports?: Record<string, string | { types?: string }>;
      };
      if (manifest.private || !manifest.types) return [];
      const subpaths = Object.entries(manifest.exports ?? {}).flatMap(([key, target]) =>
        key.startsWith('./') && key !== './package.json' && typeof target === 'object' && target.types
          ? [{ name: `${manifest.name}/${key.slice(2)}`, folder, typesFile: join(folder, target.types) }]
          : [],
      );
      return [{ name: manifest.name, folder, typesFile: join(folder, manifest.types) }, ...subpaths];
    });
}
