import { Container, ContainerModule } from 'inversify';
import { ConnectorTypeRegistry, PLUGIN_NAME } from '../connector/connector-type-registry.js';
import type { ConnectorDefinition } from '../connector/define-connector.js';
import { ExpressionFunctions } from '../extension/expression-function.js';
import { BUILTIN_FUNCTION_NAMES } from '../mapping/transforms.js';
import type { ProvisioPlugin } from '../plugin/define-plugin.js';
import { asServiceId, TOKENS } from './tokens.js';

/** Core's own bindings: the registries that gather what plugins contribute. */
export const coreContainerModule = new ContainerModule(({ bind }) => {
  bind(asServiceId(TOKENS.ConnectorTypeRegistry)).to(ConnectorTypeRegistry).inSingletonScope();
  bind(asServiceId(TOKENS.ExpressionFunctions))
    .toDynamicValue(
      (context) =>
        new ExpressionFunctions(context.getAll(asServiceId(TOKENS.ExpressionFunction), { optional: true }), BUILTIN_FUNCTION_NAMES),
    )
    .inSingletonScope();
});

/** Binds one plugin: each connector type (multi-binding) and its own ContainerModule, if any. */
export function pluginContainerModule(plugin: ProvisioPlugin): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(asServiceId(TOKENS.Plugin)).toConstantValue(plugin);
    for (const connector of plugin.connectors) {
      const stamped: ConnectorDefinition = Object.freeze(Object.assign(Object.create(null), connector, { [PLUGIN_NAME]: plugin.name }));
      bind(asServiceId(TOKENS.ConnectorDefinition)).toConstantValue(stamped);
    }
  });
}

export interface ContainerBuildOptions {
  plugins: readonly ProvisioPlugin[];
  /** The host's own modules (store, logger, HTTP, ...), loaded after core and before plugins. */
  modules?: readonly ContainerModule[];
  /** The server's container, when this one is a configuration's generation beneath it. */
  parent?: Container;
}

/**
 * A container for one configuration: core, the host's modules, then every plugin.
 * The connector registry and the expression functions are resolved last, which
 * checks and locks what the plugins contributed.
 */
export function buildContainer(options: ContainerBuildOptions): Container {
  const seen = new Set<string>();
  for (const plugin of options.plugins) {
    if (seen.has(plugin.name)) throw new Error(`plugin "${plugin.name}" is loaded twice`);
    seen.add(plugin.name);
  }
  const container = new Container({ defaultScope: 'Singleton', parent: options.parent });
  container.load(coreContainerModule, ...(options.modules ?? []));
  for (const plugin of options.plugins) {
    container.load(pluginContainerModule(plugin));
    if (plugin.containerModule) container.load(plugin.containerModule);
  }
  container.get(asServiceId(TOKENS.ConnectorTypeRegistry));
  container.get(asServiceId(TOKENS.ExpressionFunctions));
  return container;
}
