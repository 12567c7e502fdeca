// The connector types the server ships, from their plugins' public entry points.
import type { ConnectorDefinition, ProvisioPlugin } from '@provisio/core';
import google from '@provisio/connector-google';
import memory from '@provisio/connector-memory';
import salesforce from '@provisio/connector-salesforce';
import scim from '@provisio/connector-scim';

export interface BuiltInType {
  plugin: string;
  definition: ConnectorDefinition;
}

/** In the order the docs present them: the three real targets, then the test and demo one. */
export function builtInConnectorTypes(): BuiltInType[] {
  const plugins: ProvisioPlugin[] = [salesforce, google, scim, memory];
  return plugins.flatMap((plugin) => plugin.connectors.map((definition) => ({ plugin: plugin.name, definition })));
}
