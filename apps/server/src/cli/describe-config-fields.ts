import { z, type ConnectorDefinition } from '@provisio/core';

export interface ConfigField {
  path: string;
  type: string;
  required: boolean;
  secret: boolean;
  default?: unknown;
  description?: string;
}

type JsonNode = {
  type?: string | string[];
  properties?: Record<string, JsonNode>;
  required?: string[];
  default?: unknown;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonNode[];
  oneOf?: JsonNode[];
  items?: JsonNode;
  format?: string;
};

function typeName(node: JsonNode): string {
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (node.const !== undefined) return JSON.stringify(node.const);
  const variants = node.anyOf ?? node.oneOf;
  if (variants) return [...new Set(variants.map(typeName))].join(' | ');
  const base = Array.isArray(node.type) ? node.type.join(' | ') : (node.type ?? 'any');
  if (base === 'array' && node.items) return `${typeName(node.items)}[]`;
  return node.format ? `${base} (${node.format})` : base;
}

/** The config fields of a connector type, flattened to dot paths, from its zod schema. */
export function describeConfigFields(definition: ConnectorDefinition): ConfigField[] {
  const schema = z.toJSONSchema(definition.configSchema, { io: 'input', unrepresentable: 'any' }) as JsonNode;
  const secrets = new Set(definition.secretFields);
  const fields: ConfigField[] = [];
  const walk = (node: JsonNode, prefix: string, parentRequired: boolean): void => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const path = prefix ? `${prefix}.${name}` : name;
      const required = parentRequired && (node.required ?? []).includes(name) && child.default === undefined;
      if (child.properties && child.type === 'object') {
        walk(child, path, required);
        continue;
      }
      fields.push({ path, type: typeName(child), required, secret: secrets.has(path), default: child.default, description: child.description });
    }
  };
  walk(schema, '', true);
  return fields;
}
