// Just enough YAML to print a manifest entry in the docs: nested maps of scalars.
// Strings that are not plainly safe are written JSON-quoted (valid YAML).

const PLAIN = /^[A-Za-z0-9_./@-]+$/;
const LOOKS_LIKE_OTHER_TYPE = /^(true|false|null|yes|no|on|off|~|[-+]?[0-9.]+(e[-+]?\d+)?)$/i;

function scalar(value: unknown): string {
  if (typeof value === 'string') return PLAIN.test(value) && !LOOKS_LIKE_OTHER_TYPE.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  throw new Error(`cannot write ${typeof value} as a YAML scalar`);
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The lines of `value` (a map) at `indent` spaces. */
export function yamlLines(value: Record<string, unknown>, indent = 0): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const name = scalar(key);
    if (isMap(child)) lines.push(`${pad}${name}:`, ...yamlLines(child, indent + 2));
    else if (Array.isArray(child)) lines.push(`${pad}${name}: [${child.map(scalar).join(', ')}]`);
    else lines.push(`${pad}${name}: ${scalar(child)}`);
  }
  return lines;
}

/** A one-element YAML sequence: `- id: ...` with the entry's keys under it. */
export function yamlListItem(value: Record<string, unknown>, indent = 0): string[] {
  const lines = yamlLines(value, indent + 2);
  if (lines.length > 0) lines[0] = `${' '.repeat(indent)}- ${lines[0].trimStart()}`;
  return lines;
}
