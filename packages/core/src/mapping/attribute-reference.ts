import { parsePatchPath, resolvePath, ScimFilterError, type PatchPath } from '../scim-filter/index.js';
import type { AttributeCatalog } from './attribute-catalog.js';
import { isMissing, type CompiledExpression } from './compiled-expression.js';
import { nearestNames } from './nearest-names.js';
import { WSO2_CLAIM_PATHS, WSO2_CLAIM_PREFIX, isWso2ClaimUri } from './wso2-claims.js';

/**
 * A SCIM attribute path or WSO2 claim URI: its value is the first non-empty one (a multi-valued
 * attribute gives its first value, a claim its first candidate path that has one); `values` gives
 * every value of that path. With a catalog, a path the identities cannot carry is refused.
 */
export function compileReference(text: string, catalog?: AttributeCatalog): CompiledExpression | string {
  const paths = referencePaths(text, catalog);
  if (typeof paths === 'string') return paths;
  const values = (resource: object): unknown[] => {
    for (const path of paths) {
      const found = resolvePath(resource, path).filter((v) => !isMissing(v));
      if (found.length > 0) return found;
    }
    return [];
  };
  return { kind: 'any', constant: false, source: text, value: (resource) => values(resource)[0], values };
}

function referencePaths(text: string, catalog: AttributeCatalog | undefined): PatchPath[] | string {
  if (isWso2ClaimUri(text)) {
    const paths = WSO2_CLAIM_PATHS.get(text);
    if (paths === undefined) {
      return `unknown WSO2 claim ${JSON.stringify(text)}; nearest known: ${nearestNames(text, WSO2_CLAIM_PATHS.keys()).join(', ')}`;
    }
    return paths.map((path) => parsePatchPath(path));
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return `${JSON.stringify(text)} is neither a WSO2 local claim URI (${WSO2_CLAIM_PREFIX}...) nor a SCIM attribute path`;
  }
  let path: PatchPath;
  try {
    path = parsePatchPath(text);
  } catch (error) {
    if (error instanceof ScimFilterError) return `invalid attribute path ${JSON.stringify(text)}: ${error.message}`;
    throw error;
  }
  const problem = catalog?.check(path);
  return problem === undefined ? [path] : `unknown attribute ${JSON.stringify(text)}: ${problem}`;
}
