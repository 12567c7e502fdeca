// Connector types whose declaration is all a test reads (validation, wiring): none of them is ever created.
import { z } from 'zod';
import { defineConnector, type ConnectorDefinition, type ConnectorDefinitionInput } from '../src/connector/define-connector.js';
import type { OutboundConnector } from '../src/connector/outbound-connector.js';

const noConfig = z.object({});
type NoConfig = z.infer<typeof noConfig>;

/**
 * A connector type with no configuration and no secrets that provisions users only and throws if created;
 * `more` replaces any of that (matching, lookups, a working `create`).
 */
export function declaredConnector(
  type: string,
  displayName: string,
  more: Partial<Omit<ConnectorDefinitionInput<NoConfig>, 'type' | 'displayName'>> = {},
): ConnectorDefinition<NoConfig> {
  return defineConnector({
    type,
    displayName,
    configSchema: noConfig,
    secretFields: [],
    capabilities: { users: true, groups: false },
    create: (): OutboundConnector => {
      throw new Error(`connector type ${type} is not created in these tests`);
    },
    ...more,
  });
}
