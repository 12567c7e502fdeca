import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { ManifestProblem } from '@provisio/core/engine';

export const DEFAULT_MANIFEST_NAMES = ['provisio.config.yaml', 'provisio.config.yml', 'provisio.config.json'];

export interface ManifestSource {
  /** Absolute path, or undefined when running on the embedded defaults. */
  path?: string;
  raw: unknown;
  problems: ManifestProblem[];
}

/** The manifest named on the command line, else ./provisio.config.yaml if present, else the embedded defaults. */
export function findManifest(explicit: string | undefined, cwd: string): string | undefined {
  if (explicit) return resolve(cwd, explicit);
  return DEFAULT_MANIFEST_NAMES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
}

export function readManifestFile(path: string | undefined): ManifestSource {
  if (path === undefined) return { raw: {}, problems: [] };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return {
      path,
      raw: {},
      problems: [{ path: '', message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }],
    };
  }
  if (extname(path) === '.json') {
    try {
      return { path, raw: JSON.parse(text) as unknown, problems: [] };
    } catch (error) {
      return { path, raw: {}, problems: [{ path: '', message: `${path} is not valid JSON: ${(error as Error).message}` }] };
    }
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    // Only the first: after one syntax error the parser's further complaints are mostly echoes of it.
    const [first] = document.errors;
    const where = `${path}:${first.linePos?.[0].line ?? '?'}:${first.linePos?.[0].col ?? '?'}`;
    return { path, raw: {}, problems: [{ path: '', message: `${where}: ${first.message.split('\n')[0]}` }] };
  }
  const raw = document.toJS() as unknown;
  return { path, raw: raw ?? {}, problems: [] };
}
