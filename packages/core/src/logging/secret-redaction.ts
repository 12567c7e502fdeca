/**
 * Two layers keep secrets out of logs, errors and API responses:
 * - `maskSecrets` masks known secret fields of a config before it is shown;
 * - `SecretScrubber` replaces every known secret value in any text (a log line,
 *   an error message), wherever it hides.
 */
export const MASK = '********';

/**
 * Copy of `value` with every field at one of `paths` (dot paths, `*` = any key/index) masked,
 * and those fields' values masked wherever else they appear in it (a URL with `?key=`, a message).
 */
export function maskSecrets<T>(value: T, paths: readonly string[]): T {
  const split = paths.map((p) => p.split('.'));
  const elsewhere = new SecretScrubber(collectValuesAt(value, paths));
  const walk = (node: unknown, matching: string[][]): unknown => {
    if (typeof node === 'string') return elsewhere.scrub(node);
    if (node === null || typeof node !== 'object') return node;
    const entries: [string, unknown][] = Array.isArray(node) ? node.map((v, i) => [String(i), v]) : Object.entries(node);
    const out: Record<string, unknown> | unknown[] = Array.isArray(node) ? [] : {};
    for (const [key, child] of entries) {
      const here = matching.filter((segments) => segments[0] === '*' || segments[0] === key);
      const masked = here.some((segments) => segments.length === 1) && child !== undefined && child !== null;
      const next = masked
        ? MASK
        : walk(
            child,
            here.filter((s) => s.length > 1).map((s) => s.slice(1)),
          );
      if (Array.isArray(out)) out.push(next);
      else out[key] = next;
    }
    return out;
  };
  return walk(value, split) as T;
}

/** Values at `paths` inside `value` (strings only; secrets are strings). */
export function collectValuesAt(value: unknown, paths: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (node: unknown, segments: string[]): void => {
    if (segments.length === 0) {
      if (typeof node === 'string' && node !== '') found.push(node);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const [head, ...rest] = segments;
    const children = head === '*' ? Object.values(node) : [(node as Record<string, unknown>)[head]];
    for (const child of children) walk(child, rest);
  };
  for (const path of paths) walk(value, path.split('.'));
  return found;
}

export class SecretScrubber {
  private readonly needles: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    this.add(secrets);
  }

  add(secrets: Iterable<string>): void {
    for (const secret of secrets) {
      if (!secret) continue;
      // Scrub the raw form and the JSON-escaped form a structured log line carries.
      for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
        if (!this.needles.includes(form)) this.needles.push(form);
      }
    }
    // Longest first, so a secret that contains another is replaced whole.
    this.needles.sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.needles.length;
  }

  scrub(text: string): string {
    let out = text;
    for (const needle of this.needles) {
      if (out.includes(needle)) out = out.split(needle).join(MASK);
    }
    return out;
  }
}
