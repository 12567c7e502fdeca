import { formatPath, type ManifestProblem } from './manifest-problems.js';

/**
 * `${env:NAME}` and `${file:path}` references in manifest strings, resolved
 * before validation so that secrets never have to be written into the file.
 * `$${` stands for a literal `${`.
 */
export interface SecretSources {
  env(name: string): string | undefined;
  /** Reads a file named relative to the manifest; throws if it cannot. */
  readFile(path: string): string;
}

export interface ResolvedReferences {
  value: unknown;
  problems: ManifestProblem[];
}

const REFERENCE = /\$\$\{|\$\{(env|file):([^}]*)\}/g;

export function resolveSecretReferences(raw: unknown, sources: SecretSources): ResolvedReferences {
  const problems: ManifestProblem[] = [];

  const resolveString = (text: string, path: readonly PropertyKey[]): string =>
    text.replace(REFERENCE, (match, kind: string | undefined, ref: string | undefined) => {
      if (kind === undefined) return '${';
      const name = (ref ?? '').trim();
      if (name === '') {
        problems.push({ path: formatPath(path), message: `empty reference ${match}` });
        return match;
      }
      if (kind === 'env') {
        const value = sources.env(name);
        if (value === undefined) {
          problems.push({ path: formatPath(path), message: `environment variable ${name} is not set (referenced as ${match})` });
          return match;
        }
        return value;
      }
      try {
        // A trailing newline from `echo secret > file` is never part of the secret.
        return sources.readFile(name).replace(/\r?\n$/, '');
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        problems.push({ path: formatPath(path), message: `cannot read file ${name} (${reason}) (referenced as ${match})` });
        return match;
      }
    });

  const walk = (node: unknown, path: PropertyKey[]): unknown => {
    if (typeof node === 'string') return resolveString(node, path);
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) out[key] = walk(value, [...path, key]);
      return out;
    }
    return node;
  };

  return { value: walk(raw, []), problems };
}
