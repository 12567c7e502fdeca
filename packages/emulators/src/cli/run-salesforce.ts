// provisio-emulator salesforce: one connected app and one integration user with generated secrets.
import { startSalesforceEmulator } from '../salesforce/emulator.js';
import type { SeedGroup, SeedPermissionSet, SeedUser } from '../salesforce/options.js';
import type { CliArgs } from './cli-args.js';
import type { SeedFile } from './seed-file.js';
import { generatedSecret, seedFailure, type StartedEmulator } from './started-emulator.js';

const SALESFORCE_CLI_CLIENT_ID = 'provisio-emulator';
const SALESFORCE_CLI_USERNAME = 'integration@emulator.example.com';

export async function runSalesforce(args: CliArgs, seed: SeedFile): Promise<StartedEmulator> {
  const clientSecret = generatedSecret();
  const password = generatedSecret();
  const securityToken = generatedSecret();
  let emulator;
  try {
    emulator = await startSalesforceEmulator({
      port: args.port,
      host: args.host,
      latencyMs: args.latencyMs,
      // Shapes were checked by readSeedFile; field values are checked by the emulator's own rules.
      users: seed.users as unknown as SeedUser[],
      groups: seed.groups as unknown as SeedGroup[],
      permissionSets: seed.permissionSets as unknown as SeedPermissionSet[],
      // executionUsername lets the client credentials flow run as the integration user too.
      clients: [{ clientId: SALESFORCE_CLI_CLIENT_ID, clientSecret, executionUsername: SALESFORCE_CLI_USERNAME }],
      credentials: [{ username: SALESFORCE_CLI_USERNAME, password, securityToken }],
    });
  } catch (error) {
    if ((error as Error).message.startsWith('Salesforce emulator seed'))
      throw seedFailure(args.seedFile, 'users, groups or permissionSets', error);
    throw error;
  }
  const { url } = emulator;
  return {
    title: 'Salesforce emulator',
    url,
    details: [
      ['Login URL', url],
      ['Client id', SALESFORCE_CLI_CLIENT_ID],
      ['Client secret', clientSecret],
      ['Username', SALESFORCE_CLI_USERNAME],
      ['Password', password],
      ['Security token', securityToken],
      ['Password grant', 'send password + security token as the password (jsforce: login(username, password + token))'],
      ['State', `curl -s ${url}/__emulator/state`],
      ['Faults', `curl -s -X POST ${url}/__emulator/faults -H 'Content-Type: application/json' -d '{"failNext":{"count":1,"status":503}}'`],
    ],
    json: {
      emulator: 'salesforce',
      url,
      loginUrl: url,
      instanceUrl: emulator.instanceUrl,
      clientId: SALESFORCE_CLI_CLIENT_ID,
      clientSecret,
      username: SALESFORCE_CLI_USERNAME,
      password,
      securityToken,
    },
    close: () => emulator.close(),
  };
}
