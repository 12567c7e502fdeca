/** Walks a JSON Schema (as zod emits it) along a dot path; `*` or a number steps into arrays. */
type JsonSchemaNode = {
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  allOf?: JsonSchemaNode[];
  additionalProperties?: boolean | JsonSchemaNode;
};

function branches(node: JsonSchemaNode): JsonSchemaNode[] {
  return [node, ...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])];
}

export function jsonSchemaHasPath(schema: unknown, path: string): boolean {
  const segments = path.split('.');
  const walk = (node: JsonSchemaNode, index: number): boolean => {
    if (index === segments.length) return true;
    const segment = segments[index];
    return branches(node).some((branch) => {
      if ((segment === '*' || /^\d+$/.test(segment)) && branch.items) return walk(branch.items, index + 1);
      const child = branch.properties?.[segment];
      if (child) return walk(child, index + 1);
      if (typeof branch.additionalProperties === 'object') return walk(branch.additionalProperties, index + 1);
      return false;
    });
  };
  return walk(schema as JsonSchemaNode, 0);
}
