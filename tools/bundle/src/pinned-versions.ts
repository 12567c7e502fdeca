// The bundle installs from the registry, so without pins npm would pick the
// newest version each range allows. These pins make it install what the
// workspace's package-lock.json resolved and was tested with.

interface LockfileEntry {
  name?: string;
  version?: string;
  dev?: boolean;
  link?: boolean;
}

export interface Lockfile {
  lockfileVersion?: number;
  packages?: Record<string, LockfileEntry>;
}

export interface PinnedVersions {
  /** name → exact version, for npm `overrides`: every production package the lockfile resolves to one version. */
  overrides: Record<string, string>;
  /** Production packages the lockfile holds in more than one version; npm resolves these within their ranges. */
  unpinned: string[];
}

const NODE_MODULES = 'node_modules/';

/** Pins every third-party package that is not dev-only in a lockfile of version 2 or 3. */
export function pinnedVersions(lockfile: Lockfile): PinnedVersions {
  if (!lockfile.packages || (lockfile.lockfileVersion ?? 0) < 2)
    throw new Error('package-lock.json must be lockfileVersion 2 or 3 (npm 7 or newer)');
  const versions = new Map<string, Set<string>>();
  for (const [path, entry] of Object.entries(lockfile.packages)) {
    const at = path.lastIndexOf(NODE_MODULES);
    // The root entry, workspace folders and the links to them are ours, not the registry's.
    if (at < 0 || entry.link || entry.dev || !entry.version) continue;
    const name = path.slice(at + NODE_MODULES.length);
    versions.set(name, (versions.get(name) ?? new Set()).add(entry.version));
  }
  const overrides: Record<string, string> = {};
  const unpinned: string[] = [];
  for (const name of [...versions.keys()].sort()) {
    const found = [...(versions.get(name) as Set<string>)];
    if (found.length === 1) overrides[name] = found[0];
    else unpinned.push(name);
  }
  return { overrides, unpinned };
}
