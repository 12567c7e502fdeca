import { arityProblem, callExpressionFunction, ExpressionFunctions, type ExpressionFunction } from '../extension/expression-function.js';
import { parsePatchPath, resolvePath, ScimFilterError, type PatchPath } from '../scim-filter/index.js';
import { parseCall } from './call-expression.js';
import { nearestNames } from './nearest-names.js';
import { WSO2_CLAIM_PATHS, WSO2_CLAIM_PREFIX, isWso2ClaimUri } from './wso2-claims.js';

/** Where a remote field's value comes from; `undefined` when the identity has none. */
export type ValueSource = (resource: object) => unknown;

/** Empty values count as missing, so the field's default applies (as in WSO2). */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * Compiles a `from`: a SCIM attribute path, a WSO2 claim URI,
 * `concat(part, ...)` whose parts are paths, claim URIs or quoted literals, or a
 * plugin's expression function called the same way. Returns a reason string when
 * it cannot be compiled.
 */
export function compileSource(from: string, functions: ExpressionFunctions = ExpressionFunctions.none): ValueSource | string {
  const text = from.trim();
  if (/^concat\s*\(/.test(text)) return compileConcat(text);
  const called = /^([A-Za-z][A-Za-z0-9_]*)\s*\(/.exec(text);
  const plugged = called ? functions.get(called[1]) : undefined;
  if (plugged) return compileFunctionCall(text, plugged);
  return compileReference(text);
}

/** `slug(name.givenName, ".")`: the function gets each path's value (undefined when absent) and each quoted literal. */
function compileFunctionCall(text: string, fn: ExpressionFunction): ValueSource | string {
  const call = parseCall(text);
  if (typeof call === 'string') return `invalid call of ${fn.name} ${JSON.stringify(text)}: ${call}`;
  const parts: Array<string | ValueSource> = [];
  for (const arg of call.args ?? []) {
    if (arg.quoted) {
      parts.push(arg.text);
      continue;
    }
    const source = compileReference(arg.text);
    if (typeof source === 'string') return `in ${fn.name}: ${source}`;
    parts.push(source);
  }
  const problem = arityProblem(fn, parts.length, JSON.stringify(text));
  if (problem) return problem;
  return (resource) =>
    callExpressionFunction(
      fn,
      parts.map((part) => (typeof part === 'string' ? part : part(resource))),
    );
}

/** A path or claim: its first non-empty value (a multi-valued attribute gives its first value). */
function compileReference(text: string): ValueSource | string {
  const paths = referencePaths(text);
  if (typeof paths === 'string') return paths;
  return (resource) => {
    for (const path of paths) {
      const value = resolvePath(resource, path).find((v) => !isMissing(v));
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

function referencePaths(text: string): PatchPath[] | string {
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
  try {
    return [parsePatchPath(text)];
  } catch (error) {
    if (error instanceof ScimFilterError) return `invalid attribute path ${JSON.stringify(text)}: ${error.message}`;
    throw error;
  }
}

/**
 * `concat(name.givenName, " ", name.familyName)`: absent parts count as "", and when every
 * path part is absent the whole value is absent, so the default still applies.
 */
function compileConcat(text: string): ValueSource | string {
  const call = parseCall(text);
  if (typeof call === 'string') return `invalid concat ${JSON.stringify(text)}: ${call}`;
  if (call.args === undefined || call.args.length === 0) return 'concat needs at least one part';
  const parts: Array<string | ValueSource> = [];
  for (const arg of call.args) {
    if (arg.quoted) {
      parts.push(arg.text);
      continue;
    }
    const source = compileReference(arg.text);
    if (typeof source === 'string') return `in concat: ${source}`;
    parts.push(source);
  }
  const literalOnly = parts.every((part) => typeof part === 'string');
  return (resource) => {
    let found = literalOnly;
    const pieces = parts.map((part) => {
      if (typeof part === 'string') return part;
      const value = part(resource);
      if (isMissing(value)) return '';
      found = true;
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    });
    return found ? pieces.join('') : undefined;
  };
}
