import { formatProblem, type ManifestProblem } from '@provisio/core/engine';

/** One line per problem, then where they are; for `validate` and a failed `serve`. */
export function printProblems(problems: readonly ManifestProblem[], manifestPath: string | undefined, write: (line: string) => void): void {
  for (const problem of problems) write(`error: ${formatProblem(problem)}`);
  const where = manifestPath ?? 'the embedded defaults';
  write(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${where}`);
}
