import type { ExpressionContext } from './expression-compiler.js';
import { compileNode } from './expression-compiler.js';
import { isSyntaxProblem, parseExpression } from './expression-syntax.js';
import type { ValueSource } from './value-source.js';

/**
 * `selectUniqueValue(candidate1, candidate2, ...)` as a field's whole `from`: each candidate
 * compiled on its own, in order. Undefined when the `from` is something else; a string is the problem.
 */
export function compileCandidates(from: string, context: ExpressionContext): ValueSource[] | string | undefined {
  const parsed = parseExpression(from);
  if (isSyntaxProblem(parsed) || parsed.kind !== 'call' || parsed.name !== 'selectUniqueValue') return undefined;
  if (parsed.args.length < 2)
    return `selectUniqueValue takes at least 2 candidates (${JSON.stringify(parsed.source)} gives ${parsed.args.length}): selectUniqueValue(candidate1, candidate2, ...)`;
  const candidates: ValueSource[] = [];
  for (const [index, node] of parsed.args.entries()) {
    const candidate = compileNode(node, context, false);
    if (typeof candidate === 'string') return `in selectUniqueValue: ${candidate}`;
    if (candidate.omitted) return `selectUniqueValue: candidate ${index + 1} is empty`;
    if (candidate.kind === 'list')
      return `selectUniqueValue: candidate ${index + 1} (${candidate.source}) is a list; each candidate is one value`;
    candidates.push(candidate.value);
  }
  return candidates;
}
