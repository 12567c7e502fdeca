import type { z } from 'zod';

/** One thing wrong with a manifest, at an exact path: `connectors[1].config.clientId: Required`. */
export interface ManifestProblem {
  path: string;
  message: string;
}

export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

export function joinPath(prefix: string, rest: string): string {
  if (prefix === '') return rest;
  if (rest === '') return prefix;
  return rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest}`;
}

export function formatProblem(problem: ManifestProblem): string {
  return problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
}

/** Zod's messages, made shorter where a person reads them: a missing field is "Required". */
export const manifestErrorMap = (issue: { code?: string; input?: unknown }): string | undefined =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined;

type Issue = z.ZodError['issues'][number];

/**
 * Of a union's branches, the one the input was meant for: the only one whose
 * failure is not "wrong type" at the union itself (a list given where a number
 * or a list is allowed failed as a list; an object where `false` or an object is allowed
 * failed as the object). Undefined when that is not clear.
 */
function intendedBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  // A literal branch (`false` beside an object) that was not given fails as invalid_value at the union too.
  const typed = branches.filter(
    (issues) => !issues.some((i) => (i.code === 'invalid_type' || i.code === 'invalid_value') && i.path.length === 0),
  );
  return typed.length === 1 ? typed[0] : undefined;
}

export function problemsFromZod(error: z.ZodError, prefix = ''): ManifestProblem[] {
  return problemsFromIssues(error.issues, prefix);
}

function problemsFromIssues(issues: readonly Issue[], prefix: string): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const issue of issues) {
    const base = joinPath(prefix, formatPath(issue.path));
    const branch = issue.code === 'invalid_union' ? intendedBranch(issue.errors) : undefined;
    if (branch) {
      problems.push(...problemsFromIssues(branch, base));
    } else if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: joinPath(base, key), message: 'unknown key' });
    } else {
      problems.push({ path: base, message: issue.message });
    }
  }
  return problems;
}
