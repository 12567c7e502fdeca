// The `fields` system parameter (partial response): `kind,users(id,name/givenName),nextPageToken`.
import { googleErrors } from './google-errors.js';
import { isJsonObject, type JsonValue } from './google-http-types.js';

/** true selects the whole value below that key. */
type Selection = Map<string, Selection | true>;

export function parseFieldSelection(fields: string): Selection {
  let position = 0;
  const parseList = (depth: number): Selection => {
    const selection: Selection = new Map();
    for (let guard = 0; guard <= fields.length; guard++) {
      addPath(selection, readPath(), depth);
      const next = fields[position];
      if (next === ',') position++;
      else break;
    }
    return selection;
  };
  const readPath = (): string[] => {
    const start = position;
    while (position < fields.length && !',()'.includes(fields[position])) position++;
    const path = fields
      .slice(start, position)
      .trim()
      .split('/')
      .map((p) => p.trim());
    if (path.some((p) => p === '')) throw googleErrors.invalid(`Invalid field selection ${fields}`);
    return path;
  };
  const addPath = (selection: Selection, path: string[], depth: number): void => {
    let node = selection;
    for (const [index, key] of path.entries()) {
      const last = index === path.length - 1;
      if (last && fields[position] === '(') {
        position++;
        const nested = parseList(depth + 1);
        if (fields[position] !== ')') throw googleErrors.invalid(`Invalid field selection ${fields}`);
        position++;
        node.set(key, nested);
      } else if (last) {
        node.set(key, true);
      } else {
        const existing = node.get(key);
        const child: Selection = existing instanceof Map ? existing : new Map();
        node.set(key, child);
        node = child;
      }
    }
  };
  const selection = parseList(0);
  if (position !== fields.length) throw googleErrors.invalid(`Invalid field selection ${fields}`);
  return selection;
}

export function applyFieldSelection(value: JsonValue, selection: Selection): JsonValue {
  if (Array.isArray(value)) return value.map((item) => applyFieldSelection(item, selection));
  if (!isJsonObject(value)) return value;
  if (selection.get('*') === true) return value;
  const picked: Record<string, JsonValue> = {};
  for (const [key, sub] of selection) {
    if (!(key in value)) continue;
    picked[key] = sub === true ? value[key] : applyFieldSelection(value[key], sub);
  }
  return picked;
}
