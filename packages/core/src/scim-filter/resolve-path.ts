import type { AttrPath, PatchPath } from './filter-ast.js';
import { attributeContainer, getAttribute, subAttributeValues, valuesAt, valuesOf } from './attribute-lookup.js';
import { elementMatcher, type FilterMatchOptions } from './filter-evaluator.js';
import { parsePatchPath } from './filter-parser.js';

/**
 * Every value at a path, in document order, flattened over multi-valued attributes:
 * `userName`, `name.familyName`, `emails[primary eq true].value`, `urn:...:enterprise:2.0:User:department`.
 * A string is parsed first (throws ScimFilterError `invalidPath`); parse once and pass the
 * PatchPath when resolving the same path many times.
 */
export function resolvePath(resource: object, path: string | PatchPath | AttrPath, options: FilterMatchOptions = {}): unknown[] {
  const patchPath = typeof path === 'string' ? parsePatchPath(path) : 'attribute' in path ? { path } : path;
  const { schema, attribute, subAttribute } = patchPath.path;
  const container = attributeContainer(resource, schema);
  const filter = patchPath.valueFilter;
  if (filter === undefined) return valuesAt(container, attribute, subAttribute).filter((v) => v !== undefined);
  const items = valuesOf(getAttribute(container, attribute)).filter(elementMatcher(filter, attribute, options));
  const sub = patchPath.subAttribute;
  return sub === undefined ? items : items.flatMap((item) => subAttributeValues(item, sub));
}
