// Manifests the e2e tests write: the lines most of them start with, and a fresh folder holding one.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ManifestHead {
  /** `server.logLevel` (default silent: an in-process server logs nothing unless asked). */
  logLevel?: 'silent' | 'warn' | 'info' | 'debug';
  /** `server.host`, when the server must listen on one address only. */
  host?: string;
  /** A SQLite store at data/provisio.db, beside the manifest. */
  sqlite?: boolean;
  /** The bearer token inbound SCIM accepts (credential `hr`). */
  scimToken?: string;
  /** The bearer token the admin API accepts (credential `ops`). */
  adminToken?: string;
  /** With adminToken: a read-only admin token too (credential `auditor`). */
  readerToken?: string;
}

/** The `server:`, `store:`, `inbound:` and `admin:` lines of a manifest, each only when asked for; ends with a newline. */
export function manifestHead(head: ManifestHead = {}): string {
  const lines = [`server: { ${head.host ? `host: ${head.host}, ` : ''}port: 0, logLevel: ${head.logLevel ?? 'silent'} }`];
  if (head.sqlite) lines.push('store: { type: sqlite, path: data/provisio.db }');
  if (head.scimToken !== undefined) lines.push(`inbound: { scim: { auth: { bearer: [{ name: hr, token: "${head.scimToken}" }] } } }`);
  if (head.adminToken !== undefined) {
    const reader = head.readerToken === undefined ? '' : `, { name: auditor, token: "${head.readerToken}", readOnly: true }`;
    lines.push(`admin: { auth: { bearer: [{ name: ops, token: "${head.adminToken}" }${reader}] } }`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A fresh temporary folder with `provisio.config.yaml` written from `yaml(dir)` (so the manifest can name
 * files in the folder) and any side files it references.
 */
export function writeManifestDir(
  prefix: string,
  yaml: (dir: string) => string,
  files: Record<string, string> = {},
): { dir: string; manifestPath: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const manifestPath = join(dir, 'provisio.config.yaml');
  writeFileSync(manifestPath, yaml(dir));
  return { dir, manifestPath };
}
