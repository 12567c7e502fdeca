import { asServiceId, ConnectorInstances, systemClock, TOKENS, type Logger } from '@provisio/core';
import type { Configuration } from './config/load-configuration.js';
import { createHttpApp, listen, type RunningHttpServer } from './http/http-server.js';

/** A running server: HTTP plus connector instances (and, later, the workers). */
export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** Composition root for `provisio serve`: binds the runtime services into the configuration's container and starts. */
export async function startServer(configuration: Configuration, logger: Logger): Promise<RunningServer> {
  const manifest = configuration.manifest;
  if (!manifest) throw new Error('startServer needs a valid manifest');
  const { container } = configuration;
  container.bind(asServiceId(TOKENS.Manifest)).toConstantValue(manifest);
  container.bind(asServiceId(TOKENS.Logger)).toConstantValue(logger);
  container.bind(asServiceId(TOKENS.Clock)).toConstantValue(systemClock);

  let ready = false;
  const instances = await ConnectorInstances.open(manifest, configuration.registry, { logger, clock: systemClock });
  let http: RunningHttpServer;
  try {
    http = await listen(createHttpApp({ ready: () => ready }, logger), manifest.server.host, manifest.server.port);
  } catch (error) {
    await instances.closeAll();
    throw error;
  }
  ready = true;
  logger.info(
    { url: http.url, manifest: configuration.manifestPath ?? '(embedded defaults)', connectors: instances.list().map((i) => i.id), plugins: configuration.plugins.map((p) => p.plugin.name) },
    'provisio listening',
  );

  return {
    url: http.url,
    async stop() {
      ready = false;
      await http.close();
      await instances.closeAll();
      logger.info('provisio stopped');
    },
  };
}
