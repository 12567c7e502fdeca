import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isProvisioPlugin, PLUGIN_API_VERSION, type ProvisioPlugin } from '@provisio/core';

/** A plugin as loaded, with where it came from (for `provisio connectors` and duplicate checks). */
export interface LoadedPlugin {
  plugin: ProvisioPlugin;
  specifier: string;
  packageName?: string;
  version?: string;
  location: string;
}

export class PluginLoadError extends Error {
  override readonly name = 'PluginLoadError';
}

interface PluginPackageJson {
  name?: string;
  version?: string;
  provisio?: { apiVersion?: unknown; plugin?: unknown };
}

/** `node_modules/<name>` in `from` or any folder above it, as Node would find it. */
function findPackageDir(name: string, from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function readPackageJson(dir: string): PluginPackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PluginPackageJson;
}

/**
 * Checks the package's `provisio` field before importing anything, so a wrong
 * package or an incompatible plugin API fails with a clear message, not a crash.
 */
function pluginEntryOf(dir: string, specifier: string): { entry: string; pkg: PluginPackageJson } {
  const pkg = readPackageJson(dir);
  const label = pkg.name ?? specifier;
  if (!pkg.provisio || typeof pkg.provisio !== 'object') {
    throw new PluginLoadError(`${label} is not a Provisio plugin: its package.json has no "provisio" field`);
  }
  if (pkg.provisio.apiVersion !== PLUGIN_API_VERSION) {
    throw new PluginLoadError(
      `${label} targets Provisio plugin API ${String(pkg.provisio.apiVersion)}; this server speaks ${PLUGIN_API_VERSION}`,
    );
  }
  if (typeof pkg.provisio.plugin !== 'string') {
    throw new PluginLoadError(`${label}: package.json "provisio.plugin" must name the plugin's entry file`);
  }
  const entry = resolve(dir, pkg.provisio.plugin);
  if (!existsSync(entry)) throw new PluginLoadError(`${label}: plugin entry ${pkg.provisio.plugin} does not exist (is the package built?)`);
  return { entry, pkg };
}

async function importPlugin(entry: string, label: string): Promise<ProvisioPlugin> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  } catch (error) {
    throw new PluginLoadError(`${label}: importing ${entry} failed: ${(error as Error).message}`);
  }
  const candidate = module.default ?? module.plugin;
  if (!isProvisioPlugin(candidate)) {
    throw new PluginLoadError(`${label}: its entry must export definePlugin(...) as default (or as "plugin")`);
  }
  return candidate;
}

/**
 * Loads one plugin named in the manifest: an npm package name (looked up from
 * each of `searchFrom`, in order) or a path relative to the manifest.
 */
export async function loadPlugin(
  specifier: string,
  options: { manifestDir: string; searchFrom: readonly string[] },
): Promise<LoadedPlugin> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  if (isPath) {
    const target = resolve(options.manifestDir, specifier);
    if (!existsSync(target)) throw new PluginLoadError(`${specifier}: no such file or folder (${target})`);
    if (statSync(target).isDirectory()) {
      const { entry, pkg } = pluginEntryOf(target, specifier);
      return {
        plugin: await importPlugin(entry, pkg.name ?? specifier),
        specifier,
        packageName: pkg.name,
        version: pkg.version,
        location: realpathSync(target),
      };
    }
    return { plugin: await importPlugin(target, specifier), specifier, location: realpathSync(target) };
  }
  const dir = options.searchFrom.map((from) => findPackageDir(specifier, from)).find((d) => d !== undefined);
  if (!dir) {
    throw new PluginLoadError(
      `${specifier} is not installed (looked in node_modules above ${options.searchFrom.join(' and ')}); run npm install ${specifier}`,
    );
  }
  const { entry, pkg } = pluginEntryOf(dir, specifier);
  return {
    plugin: await importPlugin(entry, specifier),
    specifier,
    packageName: pkg.name,
    version: pkg.version,
    location: realpathSync(dir),
  };
}

/**
 * Keeps one copy of each plugin. The same package found twice at one location
 * is harmless (listed in the manifest and built in); two different copies are
 * refused, since two registries of the same types would silently diverge.
 */
export function addUniquePlugin(loaded: LoadedPlugin[], next: LoadedPlugin): void {
  const same = loaded.find((p) => p.plugin.name === next.plugin.name);
  if (!same) {
    loaded.push(next);
    return;
  }
  if (same.location !== next.location) {
    throw new PluginLoadError(`plugin ${next.plugin.name} is installed twice (${same.location} and ${next.location}); keep one copy`);
  }
}
