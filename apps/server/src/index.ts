// Public API of @provisio/server, for embedding and tests: the same steps `provisio serve` takes.
export { loadConfiguration } from './config/load-configuration.js';
export type { Configuration, LoadOptions } from './config/load-configuration.js';
export { findManifest, readManifestFile } from './config/manifest-file.js';
export { startServer } from './provisio-server.js';
export type { RunningServer } from './provisio-server.js';
export type { ReloadResult } from './runtime/config-reload.js';
export { createLogger } from './logging/create-logger.js';
export { loadPlugin, PluginLoadError } from './plugins/plugin-loader.js';
export type { LoadedPlugin } from './plugins/plugin-loader.js';
