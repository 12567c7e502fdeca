import { ContainerModule } from 'inversify';
import { asServiceId, definePlugin, TOKENS } from '@provisio/core';
import { aboutRoute } from './about-route.js';
import { directoryHandle } from './directory-handle.js';
import { restDirectoryConnector } from './rest-directory-connector.js';

export { restDirectoryConnector, RestDirectoryConnector } from './rest-directory-connector.js';
export { restDirectoryConfigSchema, type RestDirectoryConfig } from './rest-directory-config.js';
export { directoryHandle };

const PLUGIN_NAME = 'provisio-connector-rest-directory';

export default definePlugin({
  name: PLUGIN_NAME,
  connectors: [restDirectoryConnector],
  // Beyond its connector type the plugin binds into the server's extension points:
  // a mapping function, and an HTTP route under /plugins/provisio-connector-rest-directory/.
  containerModule: new ContainerModule(({ bind }) => {
    bind(asServiceId(TOKENS.ExpressionFunction)).toConstantValue(directoryHandle);
    bind(asServiceId(TOKENS.PluginRoute)).toConstantValue(
      aboutRoute(PLUGIN_NAME, { connectorTypes: [restDirectoryConnector.type], functions: [directoryHandle.name] }),
    );
  }),
});
