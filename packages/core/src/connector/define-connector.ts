import { z } from 'zod';
import type { ConnectorCapabilities, ConnectorContext, OutboundConnector } from './outbound-connector.js';
import { jsonSchemaHasPath } from '../manifest/json-schema-paths.js';
import type { MappingRule } from '../manifest/manifest-schema.js';
import type { MatchingDefinition } from '../matching/match-rules.js';

export const CONNECTOR_TAG = 'provisio.connector';

export interface ConnectorDefinitionInput<TConfig> {
  /** The `type` used in the manifest: `salesforce`, `google`, `scim2`. Lowercase, digits, dashes. */
  type: string;
  displayName: string;
  description?: string;
  /** Validates `connectors[].config`, generates its JSON Schema and docs, types `create`'s config. */
  configSchema: z.ZodType<TConfig>;
  /** Dot paths into the config that hold secrets (`clientSecret`, `auth.password`); redacted everywhere. */
  secretFields: readonly string[];
  capabilities: ConnectorCapabilities;
  /**
   * Remote field ← local attribute rules used when an instance's manifest gives
   * no `mapping` (e.g. Salesforce's required User fields). Same syntax as the manifest.
   */
  defaultMapping?: Readonly<Record<string, MappingRule>>;
  /** Likewise for groups (`groupMapping`). */
  defaultGroupMapping?: Readonly<Record<string, MappingRule>>;
  /** How existing accounts are recognised (default `match` rules, the account-name field, the fields it can look up by). */
  matching?: MatchingDefinition;
  /**
   * Checks a mapping rule's `lookup` (`Profile.Name`): undefined when this type resolves it, else why not.
   * Absent: the type has no lookups. The instance's lookups reach `create` in `ConnectorContext.lookups`.
   */
  checkLookup?(lookup: string): string | undefined;
  create(config: TConfig, ctx: ConnectorContext): OutboundConnector | Promise<OutboundConnector>;
}

export interface ConnectorDefinition<TConfig = unknown> extends ConnectorDefinitionInput<TConfig> {
  readonly $$type: typeof CONNECTOR_TAG;
}

const TYPE_PATTERN = /^[a-z][a-z0-9-]*$/;

/**
 * Declares a connector type. Checks the declaration itself, so a plugin author
 * learns of a typo in `secretFields` at import time, not when a secret leaks.
 */
export function defineConnector<TConfig>(input: ConnectorDefinitionInput<TConfig>): ConnectorDefinition<TConfig> {
  if (!TYPE_PATTERN.test(input.type)) {
    throw new Error(`connector type "${input.type}" must match ${TYPE_PATTERN} (lowercase letters, digits, dashes)`);
  }
  const jsonSchema = z.toJSONSchema(input.configSchema, { io: 'input', unrepresentable: 'any' });
  for (const path of input.secretFields) {
    if (!jsonSchemaHasPath(jsonSchema, path)) {
      throw new Error(`connector type "${input.type}": secretFields names "${path}", which its configSchema does not have`);
    }
  }
  return Object.freeze({ ...input, secretFields: Object.freeze([...input.secretFields]), $$type: CONNECTOR_TAG });
}

export function isConnectorDefinition(value: unknown): value is ConnectorDefinition {
  return typeof value === 'object' && value !== null && (value as { $$type?: unknown }).$$type === CONNECTOR_TAG;
}
