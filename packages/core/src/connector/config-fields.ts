// The fields of a connector's zod config schema, flattened to dot paths, for
// `provisio connectors` and the generated docs: each variant of a discriminated
// union (`auth.flow: password`) is listed with its own fields.
import { z } from 'zod';

export interface ConfigFieldRow {
  path: string;
  type: string;
  /** Must be given whenever its enclosing object (or variant) is. */
  required: boolean;
  secret: boolean;
  default?: unknown;
  description?: string;
  /** The union variant the field belongs to, e.g. `auth.flow: password`. */
  variant?: string;
}

interface JsonNode {
  type?: string | string[];
  properties?: Record<string, JsonNode>;
  additionalProperties?: JsonNode | boolean;
  required?: string[];
  default?: unknown;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonNode[];
  oneOf?: JsonNode[];
  items?: JsonNode;
  format?: string;
  pattern?: string;
}

function typeName(node: JsonNode): string {
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (node.const !== undefined) return JSON.stringify(node.const);
  const variants = node.anyOf ?? node.oneOf;
  if (variants) return [...new Set(variants.map(typeName))].join(' | ');
  const base = Array.isArray(node.type) ? node.type.join(' | ') : (node.type ?? 'any');
  if (base === 'array' && node.items) return `${typeName(node.items)}[]`;
  if (base === 'object' && typeof node.additionalProperties === 'object' && !node.properties)
    return `map of string → ${typeName(node.additionalProperties)}`;
  if (node.format === 'uri') return 'string (URL)';
  return node.format ? `string (${node.format})` : base;
}

/** The variants of a discriminated union of objects, and the property that tells them apart. */
function discriminatedVariants(node: JsonNode | undefined): { key: string; variants: JsonNode[] } | undefined {
  const variants = node?.oneOf ?? node?.anyOf;
  if (!variants || variants.length < 2 || !variants.every((v) => v.type === 'object' && v.properties)) return undefined;
  const key = Object.keys(variants[0].properties ?? {}).find((name) => variants.every((v) => v.properties?.[name]?.const !== undefined));
  return key ? { key, variants } : undefined;
}

/**
 * Structure, types and requiredness come from the input JSON Schema (what a
 * manifest author writes); defaults from the output one too, because zod
 * drops a default that sits on a transform from the input schema.
 */
export function configFields(schema: z.ZodType, secretFields: readonly string[] = []): ConfigFieldRow[] {
  const input = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonNode;
  const output = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonNode;
  const secrets = new Set(secretFields);
  const rows: ConfigFieldRow[] = [];

  const walk = (node: JsonNode, out: JsonNode | undefined, prefix: string, variant: string | undefined): void => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const path = prefix ? `${prefix}.${name}` : name;
      const outChild = out?.properties?.[name];
      const fallback = child.default ?? outChild?.default;
      const required = (node.required ?? []).includes(name) && fallback === undefined;
      const row: ConfigFieldRow = {
        path,
        type: typeName(child),
        required,
        secret: secrets.has(path),
        default: fallback,
        description: child.description ?? outChild?.description,
        variant,
      };
      const union = discriminatedVariants(child);
      if (union) {
        const outUnion = discriminatedVariants(outChild);
        const values = union.variants.map((v) => JSON.stringify(v.properties?.[union.key]?.const));
        rows.push({ ...row, type: 'object' });
        rows.push({
          path: `${path}.${union.key}`,
          type: values.join(' | '),
          required: true,
          secret: false,
          description: `Chooses the variant; the fields of each follow.`,
          variant,
        });
        union.variants.forEach((v, index) => {
          const label = `${path}.${union.key}: ${String(v.properties?.[union.key]?.const)}`;
          const properties = Object.fromEntries(Object.entries(v.properties ?? {}).filter(([key]) => key !== union.key));
          walk({ ...v, properties }, outUnion?.variants[index], path, label);
        });
        continue;
      }
      if (child.type === 'object' && child.properties) {
        walk(child, outChild, path, variant);
        continue;
      }
      rows.push(row);
    }
  };
  walk(input, output, '', undefined);
  return rows;
}
