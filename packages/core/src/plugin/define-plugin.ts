import type { ContainerModule } from 'inversify';
import { isConnectorDefinition, type ConnectorDefinition } from '../connector/define-connector.js';

export const PLUGIN_TAG = 'provisio.plugin';
/** The plugin API version this core speaks; a package's `provisio.apiVersion` must match. */
export const PLUGIN_API_VERSION = 1;

export interface PluginInput {
  /** Usually the npm package name. */
  name: string;
  // A plugin's connectors are typed by their own configs; the registry sees them as unknown.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  connectors: readonly ConnectorDefinition<any>[];
  /** Extra DI bindings the plugin contributes (rarely needed by connectors). */
  containerModule?: ContainerModule;
}

export interface ProvisioPlugin extends PluginInput {
  readonly $$type: typeof PLUGIN_TAG;
  readonly apiVersion: number;
}

export function definePlugin(input: PluginInput): ProvisioPlugin {
  if (!input.name || typeof input.name !== 'string') throw new Error('definePlugin: name is required');
  for (const connector of input.connectors) {
    if (!isConnectorDefinition(connector)) {
      throw new Error(`plugin "${input.name}": every entry of connectors must come from defineConnector()`);
    }
  }
  return Object.freeze({ ...input, connectors: Object.freeze([...input.connectors]), $$type: PLUGIN_TAG, apiVersion: PLUGIN_API_VERSION });
}

/** Recognises a plugin by its tag, never by instanceof: two copies of core must interoperate. */
export function isProvisioPlugin(value: unknown): value is ProvisioPlugin {
  return typeof value === 'object' && value !== null && (value as { $$type?: unknown }).$$type === PLUGIN_TAG;
}
