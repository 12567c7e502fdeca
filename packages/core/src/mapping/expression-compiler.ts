import { arityProblem, callExpressionFunction, type ExpressionFunctions } from '../extension/expression-function.js';
import type { AttributeCatalog } from './attribute-catalog.js';
import { compileReference } from './attribute-reference.js';
import { BUILTIN_FUNCTIONS, valuesOfResult } from './builtin-functions.js';
import { presentValues, sameValue, type CompiledExpression } from './compiled-expression.js';
import { isSyntaxProblem, parseExpression, type Expr } from './expression-syntax.js';
import { nearestNames } from './nearest-names.js';

export interface ExpressionContext {
  /** The plugins' expression functions, callable beside the built-ins. */
  functions: ExpressionFunctions;
  /** When given, every attribute path is checked against it (`provisio validate`). */
  attributes?: AttributeCatalog;
}

/** Parses and compiles a whole `from`; a string is the problem, saying where. */
export function compileExpression(text: string, context: ExpressionContext): CompiledExpression | string {
  const parsed = parseExpression(text);
  if (isSyntaxProblem(parsed)) return `invalid expression ${JSON.stringify(text)}: ${parsed.message} (at character ${parsed.at + 1})`;
  return compileNode(parsed, context, false);
}

export function compileNode(expr: Expr, context: ExpressionContext, asCondition: boolean): CompiledExpression | string {
  switch (expr.kind) {
    case 'text':
      return constant(expr.value, JSON.stringify(expr.value));
    case 'number':
      return constant(expr.value, String(expr.value));
    case 'omitted':
      return { kind: 'any', constant: true, omitted: true, source: '(empty)', value: () => undefined, values: () => [] };
    case 'path':
      return compileReference(expr.text, context.attributes);
    case 'compare':
      return compileComparison(expr, context, asCondition);
    case 'call':
      return compileCall(expr, context);
  }
}

function constant(literal: string | number, source: string): CompiledExpression {
  return { kind: 'text', constant: true, literal, source, value: () => literal, values: () => presentValues(literal) };
}

function compileComparison(
  expr: Extract<Expr, { kind: 'compare' }>,
  context: ExpressionContext,
  asCondition: boolean,
): CompiledExpression | string {
  const left = compileNode(expr.left, context, false);
  if (typeof left === 'string') return left;
  const right = compileNode(expr.right, context, false);
  if (typeof right === 'string') return right;
  const source = `${left.source} ${expr.op} ${right.source}`;
  if (!asCondition) return `a comparison (${source}) can only be the condition of iif(condition, valueIfTrue, valueIfFalse)`;
  const equal = expr.op === '=';
  const value = (resource: object) => sameValue(left.value(resource), right.value(resource)) === equal;
  return { kind: 'boolean', constant: left.constant && right.constant, source, value, values: (r) => [value(r)] };
}

function compileCall(expr: Extract<Expr, { kind: 'call' }>, context: ExpressionContext): CompiledExpression | string {
  const builtin = BUILTIN_FUNCTIONS.get(expr.name);
  const plugged = builtin ? undefined : context.functions.get(expr.name);
  const shape = builtin ? { name: expr.name, ...builtin } : plugged;
  if (shape === undefined) {
    const known = [...BUILTIN_FUNCTIONS.keys(), ...context.functions.names()];
    return `unknown function ${JSON.stringify(expr.name)}; did you mean ${JSON.stringify(nearestNames(expr.name, known, 1)[0])}? (functions: ${known.join(', ')})`;
  }
  const args: CompiledExpression[] = [];
  for (const [index, node] of expr.args.entries()) {
    // A comparison is written only as iif's condition, as in Entra.
    const arg = compileNode(node, context, builtin !== undefined && expr.name === 'iif' && index === 0);
    if (typeof arg === 'string') return `in ${expr.name}: ${arg}`;
    args.push(arg);
  }
  const arity = arityProblem(shape, args.length, JSON.stringify(expr.source));
  if (arity) return arity;
  const allConstant = args.every((arg) => arg.constant);
  if (plugged) {
    const value = (resource: object) =>
      callExpressionFunction(
        plugged,
        args.map((arg) => arg.value(resource)),
      );
    return { kind: 'any', constant: allConstant, source: expr.source, value, values: valuesOfResult(value) };
  }
  if (builtin === undefined) return `unknown function ${JSON.stringify(expr.name)}`;
  for (const [index, arg] of args.entries()) {
    if (arg.omitted && !builtin.omittable?.(index, args.length))
      return `${expr.name}: argument ${index + 1} of ${JSON.stringify(expr.source)} is empty: ${builtin.signature}`;
    if (arg.kind === 'list' && !builtin.takesLists)
      return `${expr.name}: argument ${index + 1} (${arg.source}) is a list, and ${expr.name} takes single values: ${builtin.signature}`;
  }
  const value = builtin.build(args);
  if (typeof value === 'string') return `in ${JSON.stringify(expr.source)}: ${value}`;
  return { kind: builtin.returns, constant: allConstant, source: expr.source, value, values: valuesOfResult(value) };
}
