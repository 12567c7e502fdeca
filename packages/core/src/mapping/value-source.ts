import { ExpressionFunctions } from '../extension/expression-function.js';
import type { AttributeCatalog } from './attribute-catalog.js';
import { compileExpression } from './expression-compiler.js';

export { isMissing } from './compiled-expression.js';

/** Where a remote field's value comes from; `undefined` when the identity has none. */
export type ValueSource = (resource: object) => unknown;

/**
 * Compiles a `from` that gives one value: a SCIM attribute path, a WSO2 claim URI, a quoted
 * literal, or a call of the built-in functions (concat, join, iif, ...; see builtin-functions.ts)
 * and the plugins' ones, nested as needed. Returns a reason string when it cannot be compiled.
 */
export function compileSource(
  from: string,
  functions: ExpressionFunctions = ExpressionFunctions.none,
  attributes?: AttributeCatalog,
): ValueSource | string {
  const compiled = compileExpression(from.trim(), { functions, attributes });
  return typeof compiled === 'string' ? compiled : compiled.value;
}
