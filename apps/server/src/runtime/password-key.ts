import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The key sealing passwords that wait to be provisioned: from the manifest
 * (`security.passwordKey`), else a key file created beside the SQLite database
 * with owner-only permissions. Never logged.
 */
export function loadPasswordKey(manifestKey: string | undefined, sqlitePath: string | undefined): Buffer {
  if (manifestKey) return decodeKey(manifestKey, 'security.passwordKey');
  if (!sqlitePath || sqlitePath === ':memory:') return randomBytes(32);
  const keyFile = `${sqlitePath}.key`;
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(keyFile, 0o600);
  return decodeKey(readFileSync(keyFile, 'utf8').trim(), keyFile);
}

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) throw new Error(`${where} must hold 32 bytes in base64`);
  return key;
}
