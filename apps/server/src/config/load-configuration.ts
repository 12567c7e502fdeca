import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Container } from 'inversify';
import { asServiceId, TOKENS } from '@provisio/core';
import {
  buildContainer,
  manifestSecretPaths,
  manifestSecretValues,
  resolveSecretReferences,
  validateManifest,
  type ConnectorTypeRegistry,
  type Manifest,
  type ManifestProblem,
} from '@provisio/core/engine';
import type { ContainerModule } from 'inversify';
import { addUniquePlugin, loadPlugin, type LoadedPlugin } from '../plugins/plugin-loader.js';
import { BUILTIN_PLUGINS } from '../plugins/builtin-plugins.js';
import { readManifestFile } from './manifest-file.js';

/** Everything `serve`, `validate`, `schema` and `connectors` need, or the problems that stop them. */
export interface Configuration {
  manifestPath?: string;
  /** Folder relative paths in the manifest are resolved against. */
  baseDir: string;
  plugins: LoadedPlugin[];
  container: Container;
  registry: ConnectorTypeRegistry;
  manifest?: Manifest;
  secretPaths: string[];
  secretValues: string[];
  problems: ManifestProblem[];
}

export interface LoadOptions {
  manifestPath?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The host's own DI modules, bound into the same container as the plugins. */
  modules?: readonly ContainerModule[];
}

const serverDir = dirname(fileURLToPath(import.meta.url));

export async function loadConfiguration(options: LoadOptions): Promise<Configuration> {
  const source = readManifestFile(options.manifestPath);
  const baseDir = options.manifestPath ? dirname(options.manifestPath) : options.cwd;
  const problems: ManifestProblem[] = [...source.problems];

  const resolved = resolveSecretReferences(source.raw, {
    env: (name) => options.env[name],
    readFile: (path) => readFileSync(resolve(baseDir, path), 'utf8'),
  });
  problems.push(...resolved.problems);

  const plugins: LoadedPlugin[] = [];
  const searchFrom = [baseDir, serverDir];
  for (const name of BUILTIN_PLUGINS) addUniquePlugin(plugins, await loadPlugin(name, { manifestDir: serverDir, searchFrom: [serverDir] }));
  const listed = (resolved.value as { plugins?: unknown }).plugins;
  if (Array.isArray(listed)) {
    for (const [index, specifier] of listed.entries()) {
      if (typeof specifier !== 'string') continue; // the schema reports it
      try {
        addUniquePlugin(plugins, await loadPlugin(specifier, { manifestDir: baseDir, searchFrom }));
      } catch (error) {
        problems.push({ path: `plugins[${index}]`, message: (error as Error).message });
      }
    }
  }

  const container = buildContainer({ plugins: plugins.map((p) => p.plugin), modules: options.modules });
  const registry = container.get(asServiceId(TOKENS.ConnectorTypeRegistry));

  const validation = validateManifest(resolved.value, registry, container.get(asServiceId(TOKENS.ExpressionFunctions)));
  // A field whose reference did not resolve is reported once, as the reference.
  const unresolved = new Set(resolved.problems.map((p) => p.path));
  problems.push(...validation.problems.filter((p) => !unresolved.has(p.path)));

  const port = options.env.PORT;
  if (port !== undefined && port !== '' && !/^\d{1,5}$/.test(port))
    problems.push({ path: 'PORT', message: `environment variable PORT must be a port number, not "${port}"` });

  const manifest = validation.ok && problems.length === 0 ? validation.manifest : undefined;
  if (manifest && port) manifest.server.port = Number(port);
  return {
    manifestPath: options.manifestPath,
    baseDir,
    plugins,
    container,
    registry,
    manifest,
    secretPaths: manifest ? manifestSecretPaths(manifest, registry) : [],
    secretValues: manifest ? manifestSecretValues(manifest, registry) : [],
    problems,
  };
}
