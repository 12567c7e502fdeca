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

export function problemsFromZod(error: z.ZodError, prefix = ''): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const issue of error.issues) {
    const base = joinPath(prefix, formatPath(issue.path));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: joinPath(base, key), message: 'unknown key' });
    } else {
      problems.push({ path: base, message: issue.message });
    }
  }
  return problems;
}
