import { z } from 'zod';
import type { ConnectorTypeLookup } from './manifest-validation.js';
import { CORE_SECRET_PATHS, manifestSchema } from './manifest-schema.js';

type JsonObject = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType): JsonObject {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonObject;
}

/** Marks secret fields `writeOnly` so editors and docs treat them as such. */
function markSecrets(schema: JsonObject, secretFields: readonly string[]): void {
  for (const path of secretFields) {
    let nodes: JsonObject[] = [schema];
    for (const segment of path.split('.')) {
      nodes = nodes.flatMap((node) => {
        const candidates = [node, ...((node.anyOf ?? node.oneOf ?? []) as JsonObject[])];
        return candidates.flatMap((c) => {
          if (segment === '*' && c.items) return [c.items as JsonObject];
          const child = (c.properties as Record<string, JsonObject> | undefined)?.[segment];
          return child ? [child] : [];
        });
      });
    }
    for (const node of nodes) node.writeOnly = true;
  }
}

/**
 * JSON Schema of the whole manifest: core's sections, and for `connectors[]`
 * one variant per loaded connector type with that type's `config` schema.
 */
export function manifestJsonSchema(types: ConnectorTypeLookup): JsonObject {
  const root = toJsonSchema(manifestSchema);
  root.$id = 'https://provisio.dev/schemas/provisio.config.json';
  root.title = 'Provisio manifest (provisio.config.yaml)';
  const connectors = (root.properties as Record<string, JsonObject>).connectors;
  const instance = connectors.items as JsonObject;
  const variants = types.list().map((summary) => {
    const definition = types.get(summary.type);
    if (!definition) throw new Error(`connector type ${summary.type} vanished from the registry`);
    const config = toJsonSchema(definition.configSchema);
    delete config.$schema;
    markSecrets(config, definition.secretFields);
    const properties = {
      ...(instance.properties as JsonObject),
      type: { const: summary.type, description: definition.displayName },
      config,
    };
    return { ...instance, title: `${summary.type}: ${definition.displayName}`, properties };
  });
  if (variants.length > 0) connectors.items = { oneOf: variants };
  markSecrets(root, CORE_SECRET_PATHS);
  return root;
}
