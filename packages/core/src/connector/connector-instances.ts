import type { Clock } from '../clock.js';
import { createConnectorHttp } from '../http/connector-http.js';
import type { Logger } from '../logging/logger.js';
import { maskSecrets } from '../logging/secret-redaction.js';
import type { ConnectorInstanceConfig, Manifest } from '../manifest/manifest-schema.js';
import type { ConnectorTypeLookup } from '../manifest/manifest-validation.js';
import { effectiveMapping, mappingLookups } from '../mapping/effective-mapping.js';
import type { ConnectorDefinition } from './define-connector.js';
import { observeConnector, type ConnectorObserver } from './observed-connector.js';
import type { OutboundConnector } from './outbound-connector.js';

/** One configured, enabled target with its live connector object. */
export interface ConnectorInstance {
  id: string;
  type: string;
  definition: ConnectorDefinition;
  settings: ConnectorInstanceConfig;
  connector: OutboundConnector;
}

/** The enabled connector instances of a manifest, created once and closed together. */
export class ConnectorInstances {
  private constructor(private readonly byId: Map<string, ConnectorInstance>) {}

  static async open(
    manifest: Manifest,
    types: ConnectorTypeLookup,
    deps: { logger: Logger; clock: Clock; observer?: ConnectorObserver },
  ): Promise<ConnectorInstances> {
    const byId = new Map<string, ConnectorInstance>();
    try {
      for (const settings of manifest.connectors) {
        if (!settings.enabled) continue;
        byId.set(settings.id, await ConnectorInstances.openOne(settings, types, deps));
      }
    } catch (error) {
      await new ConnectorInstances(byId).closeAll();
      throw error;
    }
    return new ConnectorInstances(byId);
  }

  /** Creates one instance's connector (also for a disabled instance: an import before it is enabled). */
  static async openOne(
    settings: ConnectorInstanceConfig,
    types: ConnectorTypeLookup,
    deps: { logger: Logger; clock: Clock; observer?: ConnectorObserver },
  ): Promise<ConnectorInstance> {
    const definition = types.get(settings.type);
    if (!definition) throw new Error(`connector ${settings.id}: unknown type ${settings.type}`);
    const logger = deps.logger.child({ connector: settings.id, connectorType: settings.type });
    const http = createConnectorHttp();
    let connector: OutboundConnector;
    try {
      const lookups = mappingLookups(effectiveMapping(settings.mapping, definition.defaultMapping));
      connector = await definition.create(settings.config, { instanceId: settings.id, logger, clock: deps.clock, http, lookups });
    } catch (error) {
      throw new Error(`connector ${settings.id} (${settings.type}) could not be created: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (deps.observer) connector = observeConnector(settings.id, connector, deps.observer);
    logger.info({ config: maskSecrets(settings.config, definition.secretFields) }, 'connector instance ready');
    return { id: settings.id, type: settings.type, definition, settings, connector };
  }

  get(id: string): ConnectorInstance | undefined {
    return this.byId.get(id);
  }

  list(): ConnectorInstance[] {
    return [...this.byId.values()];
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled(this.list().map((instance) => instance.connector.close()));
  }
}
