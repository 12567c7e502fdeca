// Reads a --seed file: {"users": [...], "groups": [...]} in the emulated service's own resource
// shape (see packages/emulators/README.md). Errors name the file and the JSON path.
import { readFileSync } from 'node:fs';
import type { JsonObject, JsonValue } from '../scim/scim-json.js';
import type { EmulatorName } from './cli-args.js';
import { CliUsageError } from './cli-errors.js';

export interface SeedFile {
  users: JsonObject[];
  groups: JsonObject[];
  /** Salesforce only. */
  permissionSets: JsonObject[];
}

/** The field every entry must carry, per emulator and list. */
const KEY_FIELDS: Record<EmulatorName, Partial<Record<keyof SeedFile, string>>> = {
  salesforce: { users: 'Username', groups: 'Name', permissionSets: 'Name' },
  google: { users: 'primaryEmail', groups: 'email' },
  scim: { users: 'userName', groups: 'displayName' },
};

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fail(file: string, path: string, problem: string): never {
  throw new CliUsageError(`--seed ${file}: ${path} ${problem}`);
}

function entries(file: string, emulator: EmulatorName, document: JsonObject, list: keyof SeedFile): JsonObject[] {
  const value = document[list];
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(file, list, 'must be an array');
  const keyField = KEY_FIELDS[emulator][list] as string;
  return value.map((entry, index) => {
    if (!isObject(entry)) fail(file, `${list}[${index}]`, 'must be an object');
    if (typeof entry[keyField] !== 'string' || entry[keyField] === '')
      fail(file, `${list}[${index}].${keyField}`, 'must be a non-empty string');
    const members = entry['members'];
    // Members are named by username / email; Google's may also be {email, role} objects.
    const isMember = (m: JsonValue): boolean =>
      typeof m === 'string' || (emulator === 'google' && isObject(m) && typeof m['email'] === 'string');
    if (list === 'groups' && members !== undefined && !(Array.isArray(members) && members.every(isMember))) {
      fail(
        file,
        `${list}[${index}].members`,
        emulator === 'google' ? 'must be an array of emails or {"email", "role"} objects' : 'must be an array of user names',
      );
    }
    return entry;
  });
}

export function readSeedFile(file: string, emulator: EmulatorName): SeedFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliUsageError(`--seed ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let document: JsonValue;
  try {
    document = JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new CliUsageError(`--seed ${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(document)) fail(file, '(top level)', 'must be an object with "users" and/or "groups"');
  const allowed = Object.keys(KEY_FIELDS[emulator]);
  for (const key of Object.keys(document)) {
    if (!allowed.includes(key)) fail(file, key, `is not a seed list of the ${emulator} emulator (expected ${allowed.join(', ')})`);
  }
  return {
    users: entries(file, emulator, document, 'users'),
    groups: entries(file, emulator, document, 'groups'),
    permissionSets: entries(file, emulator, document, 'permissionSets'),
  };
}
