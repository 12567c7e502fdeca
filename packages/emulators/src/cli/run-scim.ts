// provisio-emulator scim: a SCIM 2.0 and 1.1 service with the --auth scheme and generated credentials.
import type { ScimAuthOptions } from '../scim/scim-auth.js';
import { startScimEmulator, type ScimEmulator } from '../scim/scim-emulator.js';
import type { JsonObject } from '../scim/scim-json.js';
import type { CliArgs, ScimCliAuth } from './cli-args.js';
import type { SeedFile } from './seed-file.js';
import { generatedSecret, seedFailure, type StartedEmulator } from './started-emulator.js';

const SCIM_CLI_BASIC_USERNAME = 'provisio';
const SCIM_CLI_CLIENT_ID = 'provisio-emulator';
const API_KEY_HEADER = 'X-API-Key';

interface CliAuth {
  auth: ScimAuthOptions;
  details: Array<[string, string]>;
  json: Record<string, string>;
}

/** What to print for `auth`: each `[label, option]` as a line, and the options by name in the JSON. */
function described<A extends ScimAuthOptions>(
  auth: A,
  cliName: ScimCliAuth,
  fields: Array<[label: string, option: keyof A & string]>,
): CliAuth {
  const value = (option: keyof A & string) => String(auth[option]);
  return {
    auth,
    details: fields.map(([label, option]) => [label, value(option)]),
    json: { auth: cliName, ...Object.fromEntries(fields.map(([, option]) => [option, value(option)])) },
  };
}

/** The auth options and the lines that tell the engineer how to authenticate. */
function authFor(type: ScimCliAuth): CliAuth {
  switch (type) {
    case 'none':
      return { auth: { type: 'none' }, details: [['Auth', 'none']], json: { auth: 'none' } };
    case 'bearer':
      return described({ type: 'bearer', token: generatedSecret() }, type, [['Bearer token', 'token']]);
    case 'basic':
      return described({ type: 'basic', username: SCIM_CLI_BASIC_USERNAME, password: generatedSecret() }, type, [
        ['Basic username', 'username'],
        ['Basic password', 'password'],
      ]);
    case 'apikey':
      return described({ type: 'apiKey', token: generatedSecret(), headerName: API_KEY_HEADER }, type, [
        ['API key header', 'headerName'],
        ['API key', 'token'],
      ]);
    case 'oauth2':
      return described({ type: 'oauth2', clientId: SCIM_CLI_CLIENT_ID, clientSecret: generatedSecret() }, type, [
        ['Client id', 'clientId'],
        ['Client secret', 'clientSecret'],
      ]);
  }
}

/** Group members are listed by userName in the seed file; SCIM wants the users' ids. */
function withMemberIds(emulator: ScimEmulator, group: JsonObject): JsonObject {
  const members = group['members'];
  if (!Array.isArray(members)) return group;
  return {
    ...group,
    members: members.map((userName) => {
      const user = emulator.state.findUserByUserName(String(userName));
      if (!user) throw new Error(`member '${String(userName)}' is not a seeded user`);
      return { value: user['id'] as string };
    }),
  };
}

function seedService(emulator: ScimEmulator, seed: SeedFile, file: string | undefined): void {
  seed.users.forEach((user, index) => {
    try {
      emulator.state.seedUser(user);
    } catch (error) {
      throw seedFailure(file, `users[${index}]`, error);
    }
  });
  seed.groups.forEach((group, index) => {
    try {
      emulator.state.seedGroup(withMemberIds(emulator, group));
    } catch (error) {
      throw seedFailure(file, `groups[${index}]`, error);
    }
  });
}

export async function runScim(args: CliArgs, seed: SeedFile): Promise<StartedEmulator> {
  const { auth, details, json } = authFor(args.scimAuth);
  const emulator = await startScimEmulator({ port: args.port, host: args.host, latencyMs: args.latencyMs, auth });
  try {
    seedService(emulator, seed, args.seedFile);
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const { url } = emulator;
  return {
    title: 'SCIM emulator',
    url,
    details: [
      ['SCIM 2.0 base URL', emulator.baseUrl2],
      ['SCIM 1.1 base URL', emulator.baseUrl11],
      ...(args.scimAuth === 'oauth2' ? [['Token URL', emulator.tokenUrl] as [string, string]] : []),
      ...details,
      ['State', `curl -s ${url}/__emulator/state`],
      ['Faults', `curl -s -X POST ${url}/__emulator/faults -H 'Content-Type: application/json' -d '{"failNext":{"count":1,"status":503}}'`],
    ],
    json: {
      emulator: 'scim',
      url,
      baseUrl2: emulator.baseUrl2,
      baseUrl11: emulator.baseUrl11,
      ...(args.scimAuth === 'oauth2' ? { tokenUrl: emulator.tokenUrl } : {}),
      ...json,
    },
    close: () => emulator.close(),
  };
}
